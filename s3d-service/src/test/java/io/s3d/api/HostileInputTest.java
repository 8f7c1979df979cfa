package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import io.s3d.TestSigner;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An attacker's pass over the front door with credentials configured (issue 14): headers a
 * signature does not cover, destructive requests without a digest, control characters bound for
 * response headers, and failures that must still be answered.
 */
@QuarkusTest
class HostileInputTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    LocalStore store;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String bucket;

    @BeforeEach
    void createBucket() throws Exception {
        bucket = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(send("PUT", "/" + bucket, Map.of(), null).statusCode()).isEqualTo(200);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(TestClients.endpoint(base) + pathAndQuery);
    }

    private HttpRequest.Builder signed(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return TestSigner.signed(method, uri(pathAndQuery), headers, body, TestClients.ACCESS_KEY,
                TestClients.SECRET_KEY, Instant.now()).timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws Exception {
        return http.send(signed(method, pathAndQuery, headers, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (!response.request().method().equals("HEAD")) {
            assertThat(response.body()).contains("<Code>" + code + "</Code>")
                    .contains("<RequestId>" + response.headers().firstValue("x-amz-request-id").orElseThrow()
                            + "</RequestId>");
        }
    }

    static String md5(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    private void put(String key, String content) throws Exception {
        assertThat(send("PUT", "/" + bucket + "/" + key, Map.of(), content.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
    }

    // ---- hole 2: headers the signature does not cover

    @Test
    void aPresignedPutCannotBeTurnedIntoACopyOfAnotherObject() throws Exception {
        put("secret", "top secret");
        URI presigned = TestSigner.presigned("PUT", uri("/" + bucket + "/upload"), TestClients.ACCESS_KEY,
                TestClients.SECRET_KEY, Instant.now(), Duration.ofMinutes(5));
        HttpResponse<String> copy = http.send(HttpRequest.newBuilder(presigned)
                .header("x-amz-copy-source", "/" + bucket + "/secret").PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(copy, 403, "AccessDenied");
        assertThat(copy.body()).contains("There were headers present in the request which were not signed")
                .contains("<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>");
        assertError(send("GET", "/" + bucket + "/upload", Map.of(), null), 404, "NoSuchKey");
        // The URL itself still does what it was signed for.
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(presigned)
                .PUT(HttpRequest.BodyPublishers.ofString("uploaded")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    }

    @Test
    void aReplayedSignedRequestCannotGainUnsignedMetadataOrTags() throws Exception {
        for (String header : new String[] { "x-amz-meta-owner", "x-amz-tagging", "x-amz-acl",
                "x-amz-metadata-directive" }) {
            HttpRequest request = signed("PUT", "/" + bucket + "/replayed", Map.of(),
                    "body".getBytes(StandardCharsets.UTF_8)).header(header, "public-read").build();
            assertError(http.send(request, HttpResponse.BodyHandlers.ofString()), 403, "AccessDenied");
        }
        assertError(send("GET", "/" + bucket + "/replayed", Map.of(), null), 404, "NoSuchKey");
    }

    // ---- hole 4: Content-MD5 (or a checksum) where S3 requires it

    @Test
    void destructiveXmlRequestsNeedAMatchingDigest() throws Exception {
        put("keep", "k");
        byte[] delete = ("<Delete><Object><Key>keep</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);
        byte[] tags = ("<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>")
                .getBytes(StandardCharsets.UTF_8);
        String[][] requests = { { "PUT", "/" + bucket + "?tagging" }, { "PUT", "/" + bucket + "/keep?tagging" },
            { "POST", "/" + bucket + "?delete" } };
        for (String[] r : requests) {
            byte[] body = r[0].equals("POST") ? delete : tags;
            HttpResponse<String> none = send(r[0], r[1], Map.of(), body);
            assertError(none, 400, "InvalidRequest");
            assertThat(none.body()).contains("Missing required header for this request: Content-MD5");
            assertError(send(r[0], r[1], Map.of("Content-MD5", md5("other".getBytes(StandardCharsets.UTF_8))), body),
                    400, "BadDigest");
            assertError(send(r[0], r[1], Map.of("Content-MD5", "not base64!"), body), 400, "InvalidDigest");
            assertError(send(r[0], r[1], Map.of("Content-MD5", "AAAA"), body), 400, "InvalidDigest");
        }
        assertThat(send("GET", "/" + bucket + "/keep", Map.of(), null).body()).isEqualTo("k");
        assertThat(send("GET", "/" + bucket + "?tagging", Map.of(), null).body()).doesNotContain("<Key>a</Key>");
        for (String[] r : requests) {
            byte[] body = r[0].equals("POST") ? delete : tags;
            HttpResponse<String> ok = send(r[0], r[1], Map.of("Content-MD5", md5(body)), body);
            assertThat(ok.statusCode()).as(r[1] + ": " + ok.body()).isIn(200, 204);
        }
        // The SDK sends a checksum instead of Content-MD5: accepted.
        try (var s3 = TestClients.s3(base)) {
            s3.putObject(b -> b.bucket(bucket).key("sdk"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(o -> o.key("sdk"))));
            assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        }
    }

    // ---- hole 5: control characters bound for headers, and answers for every failure

    @Test
    void responseOverridesWithControlCharactersAreRefused() throws Exception {
        put("page", "<html>");
        for (String query : new String[] { "response-content-type=text%2Fhtml%0D%0ASet-Cookie%3A%20a%3Db",
            "response-content-disposition=inline%0Aevil", "response-content-type=text%00" }) {
            HttpResponse<String> response = send("GET", "/" + bucket + "/page?" + query, Map.of(), null);
            assertError(response, 400, "InvalidArgument");
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void anObjectWhoseStoredHeaderCannotBeSentIsAnswered500NotLeftHanging() throws Exception {
        // As an older s3d could have stored it: a Content-Type with a line break.
        store.putObject(new PutRequest(bucket, "broken", new ByteArrayInputStream(new byte[] { 1 }), 1,
                Optional.empty(), Map.of("content-type", "text/plain\r\nX-Evil: 1"), Map.of(), Map.of(), Map::of,
                WriteCondition.NONE));
        HttpResponse<String> get = send("GET", "/" + bucket + "/broken", Map.of(), null);
        assertError(get, 500, "InternalError");
        assertThat(get.headers().firstValue("X-Evil")).isEmpty();
        HttpResponse<String> head = send("HEAD", "/" + bucket + "/broken", Map.of(), null);
        assertThat(head.statusCode()).isEqualTo(500);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).containsPattern("s3d_requests_failed_total\\{operation=\"GetObject\"[^}]*} [1-9]");
        // The server still answers afterwards.
        assertThat(send("GET", "/" + bucket + "?list-type=2", Map.of(), null).statusCode()).isEqualTo(200);
    }

    // ---- smaller holes (item 8)

    @Test
    void keysLongerThan1024BytesAreKeyTooLongOnEveryOperation() throws Exception {
        String longKey = "k".repeat(1025);
        assertError(send("GET", "/" + bucket + "/" + longKey, Map.of(), null), 400, "KeyTooLongError");
        assertError(send("DELETE", "/" + bucket + "/" + longKey, Map.of(), null), 400, "KeyTooLongError");
        assertThat(send("HEAD", "/" + bucket + "/" + longKey, Map.of(), null).statusCode()).isEqualTo(400);
        put("kept", "kept");
        byte[] delete = ("<Delete><Object><Key>kept</Key></Object><Object><Key>" + longKey + "</Key></Object></Delete>")
                .getBytes(StandardCharsets.UTF_8);
        assertError(send("POST", "/" + bucket + "?delete", Map.of("Content-MD5", md5(delete)), delete), 400,
                "KeyTooLongError");
        byte[] empty = "<Delete><Object><Key>kept</Key></Object><Object><Key></Key></Object></Delete>"
                .getBytes(StandardCharsets.UTF_8);
        assertError(send("POST", "/" + bucket + "?delete", Map.of("Content-MD5", md5(empty)), empty), 400,
                "UserKeyMustBeSpecified");
        assertThat(send("GET", "/" + bucket + "/kept", Map.of(), null).body()).isEqualTo("kept");
    }

    @Test
    void oversizedRangeNumbersAreClampedLikeS3() throws Exception {
        put("digits", "0123456789");
        HttpResponse<String> tail = send("GET", "/" + bucket + "/digits",
                Map.of("Range", "bytes=2-99999999999999999999999"), null);
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 2-9/10");
        assertThat(tail.body()).isEqualTo("23456789");
        HttpResponse<String> suffix = send("GET", "/" + bucket + "/digits",
                Map.of("Range", "bytes=-99999999999999999999999"), null);
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo("0123456789");
        assertError(send("GET", "/" + bucket + "/digits", Map.of("Range", "bytes=99999999999999999999999-"), null),
                416, "InvalidRange");
    }

    @Test
    void negativeOrUnknownListParametersAreInvalidArgument() throws Exception {
        for (String query : new String[] { "?max-keys=-1", "?list-type=2&max-keys=-5", "?encoding-type=base64",
            "?list-type=2&encoding-type=xml", "?uploads&max-uploads=-1", "?uploads&encoding-type=bogus",
            "?max-keys=abc" }) {
            assertError(send("GET", "/" + bucket + query, Map.of(), null), 400, "InvalidArgument");
        }
    }

    @Test
    void readinessDoesNotShowTheStorePathToAnonymousCallers() throws Exception {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("local-store").doesNotContain("s3d-test-store")
                .doesNotContain(store.root().toString());
    }

    @Test
    void metricsStayAnonymousByDefaultAsInQuarkus() throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("s3d_requests");
    }

    // ---- a compact pass over what already held, so that it stays held

    @Test
    void whatAlreadyHeldStaysHeld() throws Exception {
        put("object", "original");
        // Billion laughs: no DTD is expanded.
        byte[] laughs = ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<Delete><Object><Key>&lol3;</Key></Object></Delete>").getBytes(StandardCharsets.UTF_8);
        assertError(send("POST", "/" + bucket + "?delete", Map.of("Content-MD5", md5(laughs)), laughs), 400,
                "MalformedXML");
        // A presigned URL for one key does not open another, nor another method.
        URI presigned = TestSigner.presigned("GET", uri("/" + bucket + "/object"), TestClients.ACCESS_KEY,
                TestClients.SECRET_KEY, Instant.now(), Duration.ofMinutes(5));
        URI otherKey = URI.create(presigned.toString().replace("/object?", "/other?"));
        assertError(http.send(HttpRequest.newBuilder(otherKey).build(), HttpResponse.BodyHandlers.ofString()), 403,
                "SignatureDoesNotMatch");
        assertError(http.send(HttpRequest.newBuilder(presigned).DELETE().build(), HttpResponse.BodyHandlers.ofString()),
                403, "SignatureDoesNotMatch");
        // Oversized request line and headers are refused by the HTTP layer before any work.
        HttpResponse<String> longUrl = http.send(signed("GET", "/" + bucket + "/object?x=" + "a".repeat(20_000),
                Map.of(), null).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longUrl.statusCode()).isEqualTo(414);
        HttpResponse<String> bigHeaders = http.send(signed("GET", "/" + bucket + "/object", Map.of(), null)
                .header("x-padding", "p".repeat(70_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bigHeaders.statusCode()).isIn(400, 413, 431);
        // A body cut short never replaces the object.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", base.getPort())) {
            HttpRequest full = signed("PUT", "/" + bucket + "/object", Map.of(),
                    "replacement".getBytes(StandardCharsets.UTF_8)).build();
            StringBuilder head = new StringBuilder("PUT /" + bucket + "/object HTTP/1.1\r\nHost: 127.0.0.1:"
                    + base.getPort() + "\r\nContent-Length: 11\r\n");
            full.headers().map().forEach((name, values) -> head.append(name).append(": ").append(values.get(0))
                    .append("\r\n"));
            socket.getOutputStream().write((head + "\r\nrepl").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }
        Thread.sleep(500);
        assertThat(send("GET", "/" + bucket + "/object", Map.of(), null).body()).isEqualTo("original");
    }
}
