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
        return post(fields, filename, content, Map.of());
    }

    /** A form with {@code after} placed behind the file part, where S3 ignores fields. */
    private HttpResponse<String> post(Map<String, String> fields, String filename, byte[] content,
            Map<String, String> after) throws Exception {
        String boundary = "----s3dBoundary" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        for (Map.Entry<String, String> field : after.entrySet()) {
            body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue()).getBytes(StandardCharsets.UTF_8));
        }
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

    /** The policy of {@link #policy} with its success_action_status condition replaced. */
    private String policyWithStatus(String statusCondition) {
        return policy("[\"starts-with\",\"$key\",\"uploads/\"]", 1024, Instant.now().plusSeconds(600))
                .replace("{\"success_action_status\":\"201\"}", statusCondition);
    }

    private static String unescaped(String xml) {
        return xml.replace("&quot;", "\"").replace("&amp;", "&");
    }

    @Test
    void successActionStatusChoosesTheAnswer() throws Exception {
        String policy = policyWithStatus("[\"starts-with\",\"$success_action_status\",\"\"]");
        Map<String, String> ok = form(policy, "uploads/200.txt", TestClients.SECRET_KEY);
        ok.put("success_action_status", "200");
        HttpResponse<String> status200 = post(ok, "200.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(status200.statusCode()).as(status200.body()).isEqualTo(200);
        assertThat(status200.body()).isEmpty();
        assertThat(status200.headers().firstValue("ETag")).isPresent();

        Map<String, String> noContent = form(policy, "uploads/204.txt", TestClients.SECRET_KEY);
        noContent.put("success_action_status", "204");
        assertThat(post(noContent, "204.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);

        // An unknown value is ignored, as S3 does: 204.
        Map<String, String> invalid = form(policy, "uploads/invalid.txt", TestClients.SECRET_KEY);
        invalid.put("success_action_status", "404");
        HttpResponse<String> fallback = post(invalid, "invalid.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(fallback.statusCode()).as(fallback.body()).isEqualTo(204);
        assertThat(s3.headObject(b -> b.bucket(bucket).key("uploads/invalid.txt")).contentLength()).isEqualTo(1);
    }

    @Test
    void successActionRedirectAndItsOlderNameRedirectWithBucketKeyAndEtag() throws Exception {
        String policy = policyWithStatus("[\"starts-with\",\"$success_action_redirect\",\"https://app.example/\"]");
        Map<String, String> fields = form(policy, "uploads/a b.txt", TestClients.SECRET_KEY);
        fields.remove("success_action_status");
        fields.put("success_action_redirect", "https://app.example/done?from=form");
        HttpResponse<String> redirected = post(fields, "a b.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(303);
        String etag = s3.headObject(b -> b.bucket(bucket).key("uploads/a b.txt")).eTag();
        assertThat(redirected.headers().firstValue("Location")).hasValue("https://app.example/done?from=form&bucket="
                + bucket + "&key=uploads%2Fa+b.txt&etag=" + java.net.URLEncoder.encode(etag, StandardCharsets.UTF_8));

        String legacyPolicy = policyWithStatus("[\"starts-with\",\"$redirect\",\"\"]");
        Map<String, String> legacy = form(legacyPolicy, "uploads/legacy.txt", TestClients.SECRET_KEY);
        legacy.remove("success_action_status");
        legacy.put("redirect", "http://old.example/ok");
        HttpResponse<String> old = post(legacy, "legacy.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(old.statusCode()).as(old.body()).isEqualTo(303);
        assertThat(old.headers().firstValue("Location").orElseThrow())
                .startsWith("http://old.example/ok?bucket=" + bucket + "&key=uploads%2Flegacy.txt&etag=");

        Map<String, String> notUrl = form(legacyPolicy, "uploads/not-url.txt", TestClients.SECRET_KEY);
        notUrl.remove("success_action_status");
        notUrl.put("redirect", "not a url");
        assertThat(post(notUrl, "not-url.txt", "x".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(204);
    }

    @Test
    void conditionFieldNamesAreCaseInsensitiveAndEscapesAreValues() throws Exception {
        String policy = "{\"expiration\":\"" + Instant.now().plusSeconds(600) + "\",\"conditions\":["
                + "{\"Bucket\":\"" + bucket + "\"},[\"eq\",\"$KEY\",\"uploads/priced.txt\"],"
                + "[\"eq\",\"$X-Amz-Meta-Price\",\"\\$5\"],[\"eq\",\"$x-amz-meta-path\",\"C:\\\\dir\"],"
                + "[\"starts-with\",\"$Content-Type\",\"text/\"],{\"x-amz-meta-origin\":\"browser\"},"
                + "{\"X-AMZ-ALGORITHM\":\"AWS4-HMAC-SHA256\"},[\"starts-with\",\"$x-amz-credential\",\"\"],"
                + "[\"starts-with\",\"$X-Amz-Date\",\"\"],[\"eq\",\"$success_action_status\",\"201\"]]}";
        Map<String, String> fields = form(policy, "uploads/priced.txt", TestClients.SECRET_KEY);
        fields.put("X-Amz-Meta-Price", "$5");
        fields.put("x-amz-meta-path", "C:\\dir");
        HttpResponse<String> response = post(fields, "priced.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(s3.headObject(b -> b.bucket(bucket).key("uploads/priced.txt")).metadata())
                .containsEntry("price", "$5").containsEntry("path", "C:\\dir");

        Map<String, String> wrong = form(policy, "uploads/priced.txt", TestClients.SECRET_KEY);
        wrong.put("x-amz-meta-price", "\\$5");
        wrong.put("x-amz-meta-path", "C:\\dir");
        HttpResponse<String> refused = post(wrong, "priced.txt", "y".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(unescaped(refused.body()))
                .contains("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$x-amz-meta-price\", \"$5\"]");
    }

    @Test
    void aPolicyForAnotherBucketIsRefused() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 1024, Instant.now().plusSeconds(600))
                .replace("{\"bucket\":\"" + bucket + "\"}", "{\"bucket\":\"someone-elses\"}");
        HttpResponse<String> response = post(form(policy, "uploads/x.txt", TestClients.SECRET_KEY), "x.txt",
                "x".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>AccessDenied</Code>");
        assertThat(unescaped(response.body())).contains(
                "<Message>Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"someone-elses\"]</Message>");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void contentLengthRangeBoundsAndExpiry() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 5, Instant.now().plusSeconds(600))
                .replace("[\"content-length-range\",1,5]", "[\"content-length-range\",\"3\",\"5\"]");
        HttpResponse<String> small = post(form(policy, "uploads/small.txt", TestClients.SECRET_KEY), "small.txt",
                "ab".getBytes(StandardCharsets.UTF_8));
        assertThat(small.statusCode()).isEqualTo(400);
        assertThat(small.body()).contains("<Code>EntityTooSmall</Code>").contains("<MinSizeAllowed>3</MinSizeAllowed>")
                .contains("<ProposedSize>2</ProposedSize>");
        HttpResponse<String> large = post(form(policy, "uploads/large.txt", TestClients.SECRET_KEY), "large.txt",
                "abcdef".getBytes(StandardCharsets.UTF_8));
        assertThat(large.statusCode()).isEqualTo(400);
        assertThat(large.body()).contains("<Code>EntityTooLarge</Code>").contains("<MaxSizeAllowed>5</MaxSizeAllowed>");
        assertThat(post(form(policy, "uploads/fits.txt", TestClients.SECRET_KEY), "fits.txt",
                "abcde".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(201);

        String expired = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 5, Instant.now().minusSeconds(1));
        HttpResponse<String> late = post(form(expired, "uploads/late.txt", TestClients.SECRET_KEY), "late.txt",
                "abc".getBytes(StandardCharsets.UTF_8));
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("<Code>AccessDenied</Code>")
                .contains("<Message>Invalid according to Policy: Policy expired.</Message>");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactly("uploads/fits.txt");
    }

    @Test
    void fieldsAfterTheFileAreIgnored() throws Exception {
        String policy = policy("[\"starts-with\",\"$key\",\"uploads/\"]", 1024, Instant.now().plusSeconds(600));
        HttpResponse<String> response = post(form(policy, "uploads/${filename}", TestClients.SECRET_KEY), "first.txt",
                "content".getBytes(StandardCharsets.UTF_8),
                Map.of("x-amz-meta-late", "not covered by the policy", "key", "uploads/elsewhere.txt"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("<Key>uploads/first.txt</Key>");
        var head = s3.headObject(b -> b.bucket(bucket).key("uploads/first.txt"));
        assertThat(head.metadata()).doesNotContainKey("late");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactly("uploads/first.txt");
    }

    /** A Signature V2 form, as boto2's build_post_form_args and older upload widgets write it. */
    private Map<String, String> v2Form(String policyJson, String key, String accessKey, String secret) throws Exception {
        String policy = Base64.getEncoder().encodeToString(policyJson.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("AWSAccessKeyId", accessKey);
        fields.put("policy", policy);
        fields.put("signature", Base64.getEncoder().encodeToString(mac.doFinal(policy.getBytes(StandardCharsets.UTF_8))));
        fields.put("Content-Type", "text/plain");
        return fields;
    }

    @Test
    void signatureV2FormsAreVerified() throws Exception {
        String policy = "{\"expiration\":\"" + Instant.now().plusSeconds(600) + "\",\"conditions\":[{\"bucket\":\""
                + bucket + "\"},[\"starts-with\",\"$key\",\"v2/\"],[\"starts-with\",\"$Content-Type\",\"\"],"
                + "[\"content-length-range\",0,100]]}";
        HttpResponse<String> stored = post(v2Form(policy, "v2/${filename}", TestClients.ACCESS_KEY, TestClients.SECRET_KEY),
                "old.txt", "from an old form".getBytes(StandardCharsets.UTF_8));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("v2/old.txt")).asUtf8String()).isEqualTo("from an old form");

        HttpResponse<String> forged = post(v2Form(policy, "v2/forged.txt", TestClients.ACCESS_KEY, "not-the-secret"),
                "forged.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>").contains("<StringToSignBytes>");
        HttpResponse<String> unknown = post(v2Form(policy, "v2/unknown.txt", "NOSUCHKEY", TestClients.SECRET_KEY),
                "unknown.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body()).contains("<Code>InvalidAccessKeyId</Code>");
        HttpResponse<String> outside = post(v2Form(policy, "elsewhere.txt", TestClients.ACCESS_KEY, TestClients.SECRET_KEY),
                "outside.txt", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(outside.statusCode()).isEqualTo(403);
        assertThat(unescaped(outside.body())).contains("Policy Condition failed: [\"starts-with\", \"$key\", \"v2/\"]");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactly("v2/old.txt");
    }
}
