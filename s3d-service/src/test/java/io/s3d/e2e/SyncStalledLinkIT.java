package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.s3d.bench.wan.CutMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A sync folder whose link to the remote stalls (connections stay open, nothing moves): a pass
 * fails within {@code s3d.sync.remote-timeout} instead of waiting the remote read timeout (60 s)
 * on every retry, the folder's health check turns DOWN while passes fail, and once the link
 * moves again the next pass syncs.
 */
class SyncStalledLinkIT {
    private static final String BUCKET = "sync-stalled";

    @TempDir
    static Path work;

    private static RemoteS3 remote;
    private static S3Client direct;
    private static ServiceProcess s3d;
    private static S3dAdmin admin;
    private static Path folder;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        direct = remote.directClient();
        direct.createBucket(b -> b.bucket(BUCKET));
        folder = Files.createDirectories(work.resolve("folder"));
        Path properties = work.resolve("sync.properties");
        String k = "s3d.sync.folders.\"stalled\".";
        Files.writeString(properties, String.join("\n", k + "local-dir=" + folder, k + "bucket=" + BUCKET,
                k + "interval=2s", ""));
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_SYNC_REMOTE_TIMEOUT", "3s");
        // The default read timeout (RemoteS3 sets 10 s): a stalled connection alone fails after a minute.
        env.put("S3D_REMOTE_READ_TIMEOUT", "60s");
        env.put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        s3d = ServiceProcess.start(work.resolve("store"), env);
        admin = new S3dAdmin(s3d.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3d != null) {
            s3d.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void aPassOnAStalledLinkFailsWithinTheRemoteTimeoutAndTheNextOneAfterTheLinkMovesSyncs() throws Exception {
        Files.writeString(folder.resolve("before.txt"), "before");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "before".equals(remoteText("before.txt")));
        await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(check().getString("status")));

        remote.link().cut(CutMode.STALL);
        long cut = System.nanoTime();
        try {
            // The read timeout is 60 s: without the bound the first failure would come after a minute.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "DOWN".equals(check().getString("status")));
            assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(Duration.ofSeconds(15));
            S3dAdmin.Answer group = admin.get("/q/health/group/sync");
            assertThat(group.status()).as(group.body()).isEqualTo(503);
            assertThat(check().getString("data.lastError")).contains("unreachable");
            // Passes keep being tried, and keep failing, while the link stalls.
            Files.writeString(folder.resolve("during.txt"), "written while the link stalled");
            Thread.sleep(5000);
            assertThat(check().getString("status")).isEqualTo("DOWN");
        } finally {
            remote.link().restore();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "written while the link stalled".equals(remoteText("during.txt")));
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(check().getString("status")));
    }

    /** The folder's check in {@code GET /q/health/group/sync}. */
    private static JsonPath check() {
        S3dAdmin.Answer a = admin.get("/q/health/group/sync");
        assertThat(a.status()).as(a.body()).isIn(200, 503);
        return JsonPath.from(a.body()).setRootPath("checks.find { it.name == 'sync-folder stalled' }");
    }

    private static String remoteText(String key) {
        try {
            return direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }
}
