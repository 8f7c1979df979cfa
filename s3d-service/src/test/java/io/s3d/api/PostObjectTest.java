package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Browser uploads (POST Object) with SigV4-signed policies, built here as a web page's backend would. */
@QuarkusTest
class PostObjectTest {
    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "post-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        for (S3Object object : s3.listObjectsV2(b -> b.bucket(bucket)).contents()) {
            s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        }
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    private Map<String, String> signedFields(String policyJson, String secret) throws Exception {
        Instant now = Instant.now();
        String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(now);
        String amzDate = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
        String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, "us-east-1");
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", TestClients.ACCESS_KEY + "/" + date + "/us-east-1/s3/aws4_request");
        fields.put("x-amz-date", amzDate);
        fields.put("policy", policy);
        fields.put("x-amz-signature", HexFormat.of().formatHex(hmac(key, policy)));
        return fields;
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private String policy(String keyCondition, long maxLength, Instant expiration) {
        return "{\"expiration\":\"" + expiration + "\",\"conditions\":[{\"bucket\":\"" + bucket + "\"}," + keyCondition
                + ",[\"content-length-range\",1," + maxLength + "],[\"starts-with\",\"$Content-Type\",\"text/\"],"
                + "{\"success_action_status\":\"201\"},{\"x-amz-meta-origin\":\"browser\"},"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},[\"starts-with\",\"$x-amz-credential\",\"\"],"
                + "[\"starts-with\",\"$x-amz-date\",\"\"]]}";
    }

    private HttpResponse<String> post(Map<String, String> fields, String filename, byte[] content) throws Exception {
        String boundary = "----s3dBoundary" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestClients.endpoint(base) + "/" + bucket))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> form(String policyJson, String key, String secret) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", "text/plain");
        fields.put("success_action_status", "201");
        fields.put("x-amz-meta-origin", "browser");
        fields.putAll(signedFields(policyJson, secret));
        return fields;
    }

    @Test
    void signedPolicyUploadStoresTheFile() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 1024 * 1024, Instant.now().plusSeconds(600));
        byte[] content = "hello from a browser\r\n--not a boundary\r\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = post(form(policy, "uploads/${filename}", TestClients.SECRET_KEY), "note.txt",
                content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("<Key>uploads/note.txt</Key>").contains("<Bucket>" + bucket + "</Bucket>");
        var stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key("uploads/note.txt"));
        assertThat(stored.asByteArray()).isEqualTo(content);
        assertThat(stored.response().contentType()).isEqualTo("text/plain");
        assertThat(stored.response().metadata()).containsEntry("origin", "browser");
    }

    @Test
    void checksumFieldsAreVerifiedStoredAndReturned() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"],[\"starts-with\",\"$x-amz-checksum-algorithm\",\"\"],"
                + "[\"starts-with\",\"$x-amz-checksum-sha256\",\"\"]", 1024 * 1024, Instant.now().plusSeconds(600));
        byte[] content = "a browser upload with its SHA-256".getBytes(StandardCharsets.UTF_8);
        String sha256 = Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(content));
        Map<String, String> fields = form(policy, "uploads/summed.txt", TestClients.SECRET_KEY);
        fields.put("x-amz-checksum-algorithm", "SHA256");
        fields.put("x-amz-checksum-sha256", sha256);
        HttpResponse<String> response = post(fields, "summed.txt", content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-amz-checksum-sha256")).hasValue(sha256);
        var head = s3.headObject(b -> b.bucket(bucket).key("uploads/summed.txt")
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));
        assertThat(head.checksumSHA256()).isEqualTo(sha256);
        assertThat(head.checksumTypeAsString()).isEqualTo("FULL_OBJECT");

        Map<String, String> wrong = form(policy, "uploads/wrong.txt", TestClients.SECRET_KEY);
        wrong.put("x-amz-checksum-algorithm", "SHA256");
        wrong.put("x-amz-checksum-sha256", sha256);
        HttpResponse<String> refused = post(wrong, "wrong.txt", "other bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("<Code>BadDigest</Code>");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("uploads/wrong")).contents()).isEmpty();
    }

    @Test
    void policyViolationsAreRefusedAndStoreNothing() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 10, Instant.now().plusSeconds(600));
        HttpResponse<String> wrongKey = post(form(policy, "elsewhere/x.txt", TestClients.SECRET_KEY), "x.txt",
                "tiny".getBytes(StandardCharsets.UTF_8));
        assertThat(wrongKey.statusCode()).isEqualTo(403);
        assertThat(wrongKey.body()).contains("<Code>AccessDenied</Code>").contains("Policy Condition failed");

        HttpResponse<String> tooLarge = post(form(policy, "uploads/big.txt", TestClients.SECRET_KEY), "big.txt",
                "this is more than ten bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("<Code>EntityTooLarge</Code>");

        String expired = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 10, Instant.now().minusSeconds(60));
        HttpResponse<String> late = post(form(expired, "uploads/late.txt", TestClients.SECRET_KEY), "late.txt",
                "x".getBytes(StandardCharsets.UTF_8));
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("Policy expired");

        HttpResponse<String> forged = post(form(policy, "uploads/forged.txt", "not-the-secret"), "forged.txt",
                "x".getBytes(StandardCharsets.UTF_8));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");

        Map<String, String> extra = form(policy, "uploads/extra.txt", TestClients.SECRET_KEY);
        extra.put("x-amz-meta-sneaky", "not in the policy");
        HttpResponse<String> unlisted = post(extra, "extra.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(unlisted.statusCode()).isEqualTo(403);
        assertThat(unlisted.body()).contains("Extra input fields: x-amz-meta-sneaky");

        for (String key : new String[] { "elsewhere/x.txt", "uploads/big.txt", "uploads/late.txt", "uploads/forged.txt",
                "uploads/extra.txt" }) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key(key)))
                    .as(key).isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("uploads/big.txt")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void headerBoundFieldsWithLineBreaksAreRefusedAndStoreNothing() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 1024, Instant.now().plusSeconds(600));
        Map<String, String> fields = form(policy, "uploads/split.txt", TestClients.SECRET_KEY);
        fields.put("Content-Type", "text/plain\r\nSet-Cookie: a=b");
        HttpResponse<String> response = post(fields, "split.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidArgument</Code>");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> s3.headObject(b -> b.bucket(bucket).key("uploads/split.txt")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);

        String redirecting = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 1024, Instant.now().plusSeconds(600))
                .replace("{\"success_action_status\":\"201\"}", "[\"starts-with\",\"$success_action_redirect\",\"\"]");
        Map<String, String> redirect = form(redirecting, "uploads/redirect.txt", TestClients.SECRET_KEY);
        redirect.remove("success_action_status");
        redirect.put("success_action_redirect", "https://example.com/\r\nSet-Cookie: a=b");
        HttpResponse<String> split = post(redirect, "redirect.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(split.statusCode()).as(split.body()).isEqualTo(400);
        assertThat(split.body()).contains("<Code>InvalidArgument</Code>");
        assertThat(split.headers().firstValue("Set-Cookie")).isEmpty();
    }
}
