package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.s3d.TestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;

/**
 * A gateway (with client credentials) in front of moto: the bucket's CORS rules are the remote's,
 * and an unsigned preflight reaches the remote, which answers it from those rules.
 */
class CorsGatewayIT {
    @TempDir
    Path tmp;

    @Test
    void rulesAndPreflightsAreTheRemotes() throws Exception {
        Optional<Path> moto = MotoS3.executable();
        assumeTrue(moto.isPresent(), "SKIPPED: no moto_server on this machine");
        try (MotoS3 remote = MotoS3.start(moto.get())) {
            Map<String, String> env = new HashMap<>(remote.gatewayEnv());
            env.put("S3D_ACCESS_KEY_ID", "gw-key");
            env.put("S3D_SECRET_ACCESS_KEY", "gw-secret");
            try (ServiceProcess s3d = ServiceProcess.start(tmp.resolve("store"), env);
                    S3Client s3 = TestClients.s3(URI.create(s3d.endpoint()).toURL(), "gw-key", "gw-secret");
                    S3Client direct = remote.directClient()) {
                s3.createBucket(b -> b.bucket("gw-cors"));
                s3.putBucketCors(b -> b.bucket("gw-cors").corsConfiguration(c -> c.corsRules(CORSRule.builder()
                        .allowedOrigins("https://app.example").allowedMethods("GET", "PUT").build())));
                assertThat(direct.getBucketCors(b -> b.bucket("gw-cors")).corsRules()).singleElement()
                        .satisfies(rule -> assertThat(rule.allowedOrigins()).containsExactly("https://app.example"));

                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                        + "/gw-cors/k")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://app.example").header("Access-Control-Request-Method", "PUT")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
                assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");

                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                        + "/gw-cors/k")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "PUT")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(refused.body()).contains("AccessForbidden");
                s3.deleteBucketCors(b -> b.bucket("gw-cors"));
                s3.deleteBucket(b -> b.bucket("gw-cors"));
            }
        }
    }
}
