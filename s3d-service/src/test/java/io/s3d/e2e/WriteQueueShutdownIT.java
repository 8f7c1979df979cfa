package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.bench.wan.CutMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A graceful shutdown (SIGTERM) keeps pushing for the grace period: what the slow link can carry
 * in that time reaches the remote before s3d exits; what it cannot stays queued on disk and is
 * pushed after the next start.
 */
class WriteQueueShutdownIT {
    @TempDir
    Path dir;

    @Test
    void shutdownPushesForItsGracePeriodAndKeepsTheRest() throws Exception {
        try (RemoteS3 remote = RemoteS3.start(); S3Client direct = remote.directClient()) {
            direct.createBucket(b -> b.bucket("shutdown"));
            byte[] body = new byte[64 * 1024];
            new Random(7).nextBytes(body);

            // 1. A slow link (about 1.3 s per object) and a 30 s grace: everything arrives before exit.
            Map<String, String> env = new HashMap<>(remote.gatewayEnv());
            env.put("S3D_WRITE_QUEUE", "true");
            env.put("S3D_WRITE_QUEUE_SHUTDOWN_GRACE", "30s");
            remote.link().bandwidth(48 * 1024, 10 * 1024 * 1024);
            ServiceProcess s3d = ServiceProcess.start(dir.resolve("a"), env);
            try (S3Client client = S3dAdmin.client(s3d.endpoint())) {
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    client.putObject(b -> b.bucket("shutdown").key("graceful-" + n), RequestBody.fromBytes(body));
                }
                assertThat(new S3dAdmin(s3d.endpoint()).status().getLong("writeQueue.items")).isPositive();
            }
            s3d.close();
            for (int i = 0; i < 4; i++) {
                int n = i;
                assertThat(direct.getObjectAsBytes(b -> b.bucket("shutdown").key("graceful-" + n)).asByteArray())
                        .isEqualTo(body);
            }
            assertThat(s3d.log()).contains("write queue: pushing for up to PT30S before shutdown");

            // 2. The link down and a 1 s grace: s3d exits in time, the writes stay queued and are
            // pushed after the next start.
            remote.link().bandwidth(0, 0);
            env.put("S3D_WRITE_QUEUE_SHUTDOWN_GRACE", "1s");
            ServiceProcess second = ServiceProcess.start(dir.resolve("b"), env);
            remote.link().cut(CutMode.RESET);
            try (S3Client client = S3dAdmin.client(second.endpoint())) {
                client.putObject(b -> b.bucket("shutdown").key("left-over"), RequestBody.fromBytes(body));
            }
            long stopping = System.nanoTime();
            second.close();
            assertThat((System.nanoTime() - stopping) / 1_000_000).as("shutdown took ms").isLessThan(15_000);
            assertThat(second.log()).contains("still queued at shutdown");
            remote.link().restore();
            try (ServiceProcess third = ServiceProcess.start(dir.resolve("b"), env)) {
                new S3dAdmin(third.endpoint()).flushed("shutdown", java.time.Duration.ofSeconds(60));
            }
            assertThat(direct.getObjectAsBytes(b -> b.bucket("shutdown").key("left-over")).asByteArray())
                    .isEqualTo(body);
        }
    }
}
