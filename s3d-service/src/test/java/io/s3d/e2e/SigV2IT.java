package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature V2 clients on the packaged s3d with credentials (scripts/compat/sigv2.sh): s3cmd in V2
 * mode (mb, put, a 17 MiB multipart put in 5 MiB parts, ls, get, del, rb, a wrong secret) and boto3
 * with signature_version='s3' (header auth with sub-resources and multipart, presigned GET/PUT,
 * expiry, a V2-signed POST form).
 */
class SigV2IT {
    @TempDir
    Path store;

    @Test
    void s3cmdAndBoto3SignedWithVersion2() throws Exception {
        Map<String, String> env = Map.of("S3D_ACCESS_KEY_ID", "v2-key", "S3D_SECRET_ACCESS_KEY", "v2-secret");
        try (ServiceProcess s3d = ServiceProcess.start(store, env)) {
            CompatScript.run(s3d, "sigv2.sh", Map.of("AWS_ACCESS_KEY_ID", "v2-key", "AWS_SECRET_ACCESS_KEY", "v2-secret"),
                    "boto3 sigv2: 0 failure(s)", "sigv2: 0 failure(s)");
        }
    }

    /** A ListBuckets signed with V2 by hand (x-amz-date, so the Date line is empty). */
    private static HttpResponse<String> listBucketsV2(String endpoint) throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("v2-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(
                mac.doFinal(("GET\n\n\n\nx-amz-date:" + date + "\n/").getBytes(StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/")).header("x-amz-date", date)
                .header("Authorization", "AWS v2-key:" + signature).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void allowSigv2FalseRefusesVersion2AsAVersion4OnlyRegion() throws Exception {
        Map<String, String> on = Map.of("S3D_ACCESS_KEY_ID", "v2-key", "S3D_SECRET_ACCESS_KEY", "v2-secret");
        try (ServiceProcess s3d = ServiceProcess.start(java.nio.file.Files.createDirectories(store.resolve("on")), on)) {
            HttpResponse<String> accepted = listBucketsV2(s3d.endpoint());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
            assertThat(accepted.body()).contains("<ListAllMyBucketsResult");
        }
        Map<String, String> off = Map.of("S3D_ACCESS_KEY_ID", "v2-key", "S3D_SECRET_ACCESS_KEY", "v2-secret",
                "S3D_SECURITY_ALLOW_SIGV2", "false");
        try (ServiceProcess s3d = ServiceProcess.start(java.nio.file.Files.createDirectories(store.resolve("off")), off)) {
            HttpResponse<String> refused = listBucketsV2(s3d.endpoint());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("<Code>InvalidRequest</Code>")
                    .contains("Please use AWS4-HMAC-SHA256.");
        }
    }
}
