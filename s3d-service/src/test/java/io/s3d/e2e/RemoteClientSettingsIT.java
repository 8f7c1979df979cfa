package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * s3d's own remote settings reach the SDK client the quarkus-amazon-s3 extension builds: with
 * {@code S3D_REMOTE_READ_TIMEOUT=2s} a GET through the read cache (which reads the remote with that
 * client, not the forwarding path) from a remote that stops answering on an open connection fails
 * after the read timeout and the client's retries (seconds, where the extension's 30 s default or
 * s3d's 60 s would take minutes), as {@code 503 ServiceUnavailable}, and is counted as
 * {@code Unreachable} in {@code s3d_remote_errors_total}.
 */
class RemoteClientSettingsIT {
    private static final String BUCKET = "settings";

    @TempDir
    Path localDir;

    @Test
    void theRemoteReadTimeoutIsS3dsAndAStalledRemoteIsUnreachable() throws Exception {
        try (RemoteS3 remote = RemoteS3.start()) {
            try (S3Client direct = remote.directClient()) {
                direct.createBucket(b -> b.bucket(BUCKET));
            }
            Map<String, String> env = new HashMap<>(remote.gatewayEnv());
            env.put("S3D_REMOTE_READ_TIMEOUT", "2s");
            env.put("S3D_READ_CACHE", "true");
            try (ServiceProcess s3d = ServiceProcess.start(Files.createDirectories(localDir.resolve("data")), env);
                    S3Client s3 = S3dAdmin.client(s3d.endpoint())) {
                s3.putObject(b -> b.bucket(BUCKET).key("before"), RequestBody.fromString("reached the remote"));
                s3.putObject(b -> b.bucket(BUCKET).key("stalled"), RequestBody.fromString("never read back"));
                // A first read through the cache opens the pooled connection that the stalled one reuses.
                assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("before")).asUtf8String())
                        .isEqualTo("reached the remote");
                double unreachableBefore = unreachable(s3d);

                remote.link().cut();
                long t0 = System.nanoTime();
                S3Exception failed = catchThrowableOfType(S3Exception.class, () -> s3.getObjectAsBytes(
                        b -> b.bucket(BUCKET).key("stalled")));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                remote.link().restore();

                assertThat(failed).isNotNull();
                assertThat(failed.statusCode()).isEqualTo(503);
                assertThat(failed.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                assertThat(took).isBetween(Duration.ofMillis(1800), Duration.ofSeconds(30));
                assertThat(unreachable(s3d)).isGreaterThan(unreachableBefore);
            }
        }
    }

    /** {@code s3d_remote_errors_total{code="Unreachable"}} from the Prometheus endpoint. */
    private static double unreachable(ServiceProcess s3d) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(s3d.endpoint() + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body().lines().filter(l -> l.startsWith("s3d_remote_errors_total{")
                && l.contains("code=\"Unreachable\"")).mapToDouble(l -> Double.parseDouble(l.substring(
                l.lastIndexOf(' ') + 1))).sum();
    }
}
