package io.s3d.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.s3d.TestClients;
import io.s3d.TestSigner;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The admin API as the CLI and the operator use it, with client credentials configured (the test
 * profile): the JSON shapes, statuses and error bodies of docs/contract.md, the request id headers,
 * and a signature required before anything else, unknown endpoints included.
 */
@QuarkusTest
class AdminApiTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    private HttpResponse<String> signed(String method, String path) throws Exception {
        return signed(method, path, TestClients.SECRET_KEY);
    }

    private HttpResponse<String> signed(String method, String path, String secret) throws Exception {
        URI uri = URI.create(TestClients.endpoint(base) + path);
        return http.send(TestSigner.signed(method, uri, Map.of(), null, TestClients.ACCESS_KEY, secret, Instant.now())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> anonymous(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(TestClients.endpoint(base) + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> answer, int status, String code, String message) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.headers().firstValue("x-amz-request-id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9A-F]{16}"));
        JsonPath json = JsonPath.from(answer.body());
        assertThat(json.getString("error")).isEqualTo(code);
        assertThat(json.getString("message")).contains(message);
    }

    @Test
    void statusIsTheDocumentOfTheContract() throws Exception {
        HttpResponse<String> answer = signed("GET", "/_s3d/status");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(answer.headers().firstValue("x-amz-request-id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9A-F]{16}"));
        assertThat(answer.headers().firstValue("x-amz-id-2")).isPresent();
        String body = answer.body();
        // Keys in the documented order, features that are off as null.
        List<String> keys = List.of("version", "uptimeSeconds", "mode", "localDir", "disk", "buckets", "remote",
                "writeQueue", "readCache", "fuse", "sync");
        int at = -1;
        for (String key : keys) {
            int next = body.indexOf("\"" + key + "\":");
            assertThat(next).as("%s after the key before it in %s", key, body).isGreaterThan(at);
            at = next;
        }
        assertThat(body).startsWith("{\"version\":").contains("\"remote\":null", "\"writeQueue\":null",
                "\"readCache\":null", "\"sync\":null");
        JsonPath json = JsonPath.from(body);
        assertThat(json.getString("mode")).isEqualTo("standalone");
        assertThat(json.getLong("disk.totalBytes")).isPositive();
    }

    @Test
    void bucketAndObjectStatusFollowThePathAsSent() throws Exception {
        String bucket = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client s3 = TestClients.s3(base)) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(b -> b.bucket(bucket).key("dir/a b+c.txt"), RequestBody.fromString("hello"));
            s3.putObject(b -> b.bucket(bucket).key("dir//twice"), RequestBody.fromString("hi"));
        }
        JsonPath bucketStatus = JsonPath.from(signed("GET", "/_s3d/status/" + bucket).body());
        assertThat(bucketStatus.getString("bucket")).isEqualTo(bucket);
        assertThat(bucketStatus.getLong("objects")).isEqualTo(2);
        assertThat(bucketStatus.getLong("bytes")).isEqualTo(7);
        assertThat(JsonPath.from(signed("GET", "/_s3d/status/" + bucket + "/").body()).getLong("objects"))
                .isEqualTo(2);

        HttpResponse<String> object = signed("GET", "/_s3d/status/" + bucket + "/dir/a%20b%2Bc.txt");
        assertThat(object.statusCode()).as(object.body()).isEqualTo(200);
        JsonPath json = JsonPath.from(object.body());
        assertThat(json.getString("key")).isEqualTo("dir/a b+c.txt");
        assertThat(json.getBoolean("exists")).isTrue();
        assertThat(json.getLong("size")).isEqualTo(5);
        assertThat(json.getString("state")).isEqualTo("local");
        assertThat(JsonPath.from(signed("GET", "/_s3d/status/" + bucket + "/dir//twice").body()).getLong("size"))
                .as("an empty key segment is kept").isEqualTo(2);

        JsonPath absent = JsonPath.from(signed("GET", "/_s3d/status/" + bucket + "/nothing-here").body());
        assertThat(absent.getBoolean("exists")).isFalse();
        assertThat(absent.getString("state")).isEqualTo("absent");
        assertError(signed("GET", "/_s3d/status/no-such-bucket-" + bucket), 404, "NoSuchBucket", "");
    }

    @Test
    void queueAndCacheEndpointsSayWhenTheirFeatureIsOff() throws Exception {
        assertError(signed("GET", "/_s3d/queue?bucket=b"), 409, "WriteQueueDisabled", "S3D_WRITE_QUEUE=true");
        assertError(signed("POST", "/_s3d/queue/flush?timeout=1s"), 409, "WriteQueueDisabled", "");
        assertError(signed("POST", "/_s3d/queue/retry"), 409, "WriteQueueDisabled", "");
        assertError(signed("GET", "/_s3d/cache"), 409, "ReadCacheDisabled", "S3D_READ_CACHE=true");
        assertError(signed("POST", "/_s3d/cache/prefetch?bucket=b"), 409, "ReadCacheDisabled", "");
        assertError(signed("POST", "/_s3d/cache/unpin?bucket=b"), 409, "ReadCacheDisabled", "");
    }

    @Test
    void unknownEndpointsAndWrongMethodsAnswerJson() throws Exception {
        assertError(signed("GET", "/_s3d/nope"), 404, "NotFound", "no admin endpoint /_s3d/nope");
        assertError(signed("GET", "/_s3d/queue/nope"), 404, "NotFound", "no admin endpoint /_s3d/queue/nope");
        assertError(signed("POST", "/_s3d/status"), 405, "MethodNotAllowed", "answers GET only");
        assertError(signed("GET", "/_s3d/queue/flush"), 405, "MethodNotAllowed", "answers POST only");
        assertError(signed("DELETE", "/_s3d/cache"), 405, "MethodNotAllowed", "answers GET only");
        assertThat(signed("PUT", "/_s3d/status/bucket/key").headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void everyAdminRequestNeedsAValidSignatureFirst() throws Exception {
        for (String path : List.of("/_s3d/status", "/_s3d/status/some-bucket/key", "/_s3d/queue", "/_s3d/cache",
                "/_s3d/nope")) {
            HttpResponse<String> answer = anonymous("GET", path);
            assertError(answer, 403, "AccessDenied", "");
            assertThat(answer.body()).as(path).doesNotContain("\"mode\"", "NotFound");
        }
        assertError(anonymous("POST", "/_s3d/queue/flush"), 403, "AccessDenied", "");
        assertError(signed("GET", "/_s3d/status", "not-the-secret"), 403, "SignatureDoesNotMatch", "");
    }

    @Test
    void theS3ApiStillAnswersEverythingElse() throws Exception {
        try (S3Client s3 = TestClients.s3(base)) {
            assertThat(s3.listBuckets().buckets()).isNotNull();
        }
        HttpResponse<String> invalid = signed("GET", "/_s3dx");
        assertThat(invalid.body()).as("an S3 answer").contains("<Code>NoSuchBucket</Code>");
    }
}
