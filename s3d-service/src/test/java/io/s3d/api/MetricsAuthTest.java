package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.s3d.TestClients;
import io.s3d.TestSigner;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code s3d.security.metrics-require-auth=true}, /q/metrics answers signed requests only. */
@QuarkusTest
@TestProfile(MetricsAuthTest.Guarded.class)
class MetricsAuthTest {
    public static class Guarded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("s3d.security.metrics-require-auth", "true");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void anonymousScrapesAreRefusedSignedOnesServed() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create(TestClients.endpoint(base) + "/q/metrics");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>").doesNotContain("s3d_requests");
        HttpResponse<String> signed = http.send(TestSigner.signed("GET", metrics, Map.of(), null,
                TestClients.ACCESS_KEY, TestClients.SECRET_KEY, Instant.now()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.body()).contains("jvm_");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(TestClients.endpoint(base)
                + "/q/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("probes stay anonymous").isEqualTo(200);
    }
}
