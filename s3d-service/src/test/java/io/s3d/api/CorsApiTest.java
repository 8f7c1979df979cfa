package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import io.s3d.TestSigner;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Put/Get/DeleteBucketCors through the AWS SDK for Java v2, and preflights and actual requests
 * from a web origin as a browser sends them (s3d runs with credentials here).
 */
@QuarkusTest
class CorsApiTest {
    private static final String APP = "https://app.example.com";
    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "cors-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("photo.jpg"), RequestBody.fromString("pixels"));
    }

    @AfterEach
    void tearDown() {
        s3.deleteObject(b -> b.bucket(bucket).key("photo.jpg"));
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    private void putRules(CORSRule... rules) {
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
    }

    private static CORSRule appRule() {
        return CORSRule.builder().id("app").allowedOrigins(APP).allowedMethods("GET", "PUT")
                .allowedHeaders("x-amz-*", "content-type").exposeHeaders("ETag").maxAgeSeconds(600).build();
    }

    private HttpResponse<String> options(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void configurationRoundTripsAndIsGoneAfterDelete() {
        assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket(bucket))).isInstanceOfSatisfying(S3Exception.class,
                e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchCORSConfiguration");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The CORS configuration does not exist");
                });
        putRules(appRule(), CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build());
        GetBucketCorsResponse got = s3.getBucketCors(b -> b.bucket(bucket));
        assertThat(got.corsRules()).containsExactly(appRule(),
                CORSRule.builder().allowedOrigins("*").allowedMethods("GET").build());
        s3.deleteBucketCors(b -> b.bucket(bucket));
        s3.deleteBucketCors(b -> b.bucket(bucket)); // deleting none succeeds, as in S3
        assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket(bucket))).isInstanceOf(S3Exception.class);
    }

    @Test
    void invalidRulesAreRefusedAsAws() {
        assertThatThrownBy(() -> putRules(CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
                });
        assertThatThrownBy(() -> s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(
                java.util.List.of())))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MalformedXML"));
        assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket(bucket))).isInstanceOf(S3Exception.class);
    }

    @Test
    void aPutWithoutContentMd5OrChecksumIsRefusedAndAWrongOneIsBadDigest() throws Exception {
        byte[] body = ("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "</CORSRule></CORSConfiguration>").getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(base + bucket + "?cors");
        HttpResponse<String> missing = http.send(TestSigner.signed("PUT", uri, Map.of(), body,
                TestClients.ACCESS_KEY, TestClients.SECRET_KEY, Instant.now()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("<Code>InvalidRequest</Code>")
                .contains("Missing required header for this request: Content-MD5");
        HttpResponse<String> wrong = http.send(TestSigner.signed("PUT", uri,
                Map.of("Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA=="), body, TestClients.ACCESS_KEY,
                TestClients.SECRET_KEY, Instant.now()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("<Code>BadDigest</Code>");
        String md5 = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("MD5").digest(body));
        HttpResponse<String> right = http.send(TestSigner.signed("PUT", uri, Map.of("Content-MD5", md5), body,
                TestClients.ACCESS_KEY, TestClients.SECRET_KEY, Instant.now()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(s3.getBucketCors(b -> b.bucket(bucket)).corsRules()).hasSize(1);
        s3.deleteBucketCors(b -> b.bucket(bucket));
    }

    @Test
    void anUnsignedPreflightIsAnsweredFromTheFirstMatchingRule() throws Exception {
        putRules(appRule(), CORSRule.builder().allowedOrigins("*").allowedMethods("GET", "HEAD").build());
        HttpResponse<String> allowed = options("/" + bucket + "/photo.jpg", Map.of("Origin", APP,
                "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "X-Amz-Meta-A,content-type"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEmpty();
        Map<String, java.util.List<String>> headers = allowed.headers().map();
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, PUT");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("x-amz-meta-a, content-type");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
        assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(allowed.headers().firstValue("Vary")).hasValue(VARY);
        assertThat(headers).containsKey("x-amz-request-id");

        HttpResponse<String> anyone = options("/" + bucket, Map.of("Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "GET"));
        assertThat(anyone.statusCode()).isEqualTo(200);
        assertThat(anyone.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(anyone.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(anyone.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD");
    }

    @Test
    void aPreflightNoRuleAllowsIsAccessForbidden() throws Exception {
        HttpResponse<String> noConfig = options("/" + bucket + "/photo.jpg", Map.of("Origin", APP,
                "Access-Control-Request-Method", "PUT"));
        assertThat(noConfig.statusCode()).isEqualTo(403);
        assertThat(noConfig.body()).contains("<Code>AccessForbidden</Code>")
                .contains("<Message>CORSResponse: CORS is not enabled for this bucket.</Message>")
                .contains("<Method>PUT</Method><ResourceType>BUCKET</ResourceType>");
        assertThat(noConfig.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        putRules(appRule());
        for (Map<String, String> refused : java.util.List.of(
                Map.of("Origin", "https://evil.example", "Access-Control-Request-Method", "PUT"),
                Map.of("Origin", APP, "Access-Control-Request-Method", "DELETE"),
                Map.of("Origin", APP, "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers",
                        "authorization"))) {
            HttpResponse<String> answer = options("/" + bucket + "/photo.jpg", refused);
            assertThat(answer.statusCode()).as(refused.toString()).isEqualTo(403);
            assertThat(answer.body()).contains("<Code>AccessForbidden</Code>").contains("<Message>CORSResponse: "
                    + "This CORS request is not allowed. This is usually because the evalution of Origin, request "
                    + "method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted "
                    + "by the resource&apos;s CORS spec.</Message>").contains("<ResourceType>OBJECT</ResourceType>");
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }

        HttpResponse<String> noOrigin = options("/" + bucket + "/photo.jpg", Map.of(
                "Access-Control-Request-Method", "PUT"));
        assertThat(noOrigin.statusCode()).isEqualTo(400);
        assertThat(noOrigin.body()).contains("<Code>BadRequest</Code>")
                .contains("Insufficient information. Origin request header needed.");

        HttpResponse<String> noBucket = options("/no-such-bucket-" + bucket, Map.of("Origin", APP,
                "Access-Control-Request-Method", "GET"));
        assertThat(noBucket.statusCode()).isEqualTo(403);
        assertThat(noBucket.body()).contains("CORSResponse: Bucket not found");
        s3.deleteBucketCors(b -> b.bucket(bucket));
    }

    @Test
    void actualRequestsCarryTheHeadersOnSuccessAndOnErrors() throws Exception {
        putRules(appRule());
        URI get = TestSigner.presigned("GET", URI.create(base + bucket + "/photo.jpg"), TestClients.ACCESS_KEY,
                TestClients.SECRET_KEY, Instant.now(), Duration.ofMinutes(5));
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(get).header("Origin", APP).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("pixels");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(ok.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, PUT");
        assertThat(ok.headers().firstValue("Vary")).hasValue(VARY);

        // Unsigned: authentication still applies (403), and the page may read why.
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(base + bucket + "/photo.jpg"))
                .header("Origin", APP).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);

        HttpResponse<String> otherOrigin = http.send(HttpRequest.newBuilder(get).header("Origin",
                "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(otherOrigin.statusCode()).isEqualTo(200); // served, as S3 does, but the browser may not read it
        assertThat(otherOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(otherOrigin.headers().firstValue("Vary")).isEmpty();

        HttpResponse<String> noOrigin = http.send(HttpRequest.newBuilder(get).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        s3.deleteBucketCors(b -> b.bucket(bucket));
    }

    @Test
    void theConfigurationGoesWithTheBucket() {
        putRules(appRule());
        s3.deleteObject(b -> b.bucket(bucket).key("photo.jpg"));
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("photo.jpg"), RequestBody.fromString("pixels"));
        assertThatThrownBy(() -> s3.getBucketCors(b -> b.bucket(bucket))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchCORSConfiguration"));
    }
}
