package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The sync folder without a remote: s3d standalone syncs a directory with a bucket of its own
 * local store, and refuses to start on a bad folder setting, naming the key.
 */
class SyncFolderStandaloneIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void syncsWithABucketOfTheLocalStore() throws Exception {
        // Not created beforehand, as a sub-path of a fresh volume: s3d creates it in its existing parent.
        Path dir = work.resolve("photos");
        Path properties = work.resolve("sync.properties");
        Files.writeString(properties, String.join("\n", "s3d.sync.folders.\"photos\".local-dir=" + dir,
                "s3d.sync.folders.\"photos\".bucket=photos", "s3d.sync.folders.\"photos\".interval=2s", ""));
        try (ServiceProcess s3d = ServiceProcess.start(work.resolve("store"),
                Map.of("QUARKUS_CONFIG_LOCATIONS", properties.toString()));
                S3Client s3 = S3dAdmin.client(s3d.endpoint())) {
            S3dAdmin admin = new S3dAdmin(s3d.endpoint());
            // No bucket yet: the folder reports the failure and does not create one on a typo's behalf.
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> "DOWN".equals(
                    admin.get("/q/health/group/sync").json().getString("checks[0].status")));
            assertThat(admin.get("/q/health/group/sync").json().getString("checks[0].data.lastError"))
                    .contains("NoSuchBucket");
            s3.createBucket(b -> b.bucket("photos"));
            Files.writeString(dir.resolve("cat.txt"), "meow");
            s3.putObject(b -> b.bucket("photos").key("dog/dog.txt"), RequestBody.fromString("woof"));

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    return s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.txt")).asUtf8String().equals("meow");
                } catch (NoSuchKeyException e) {
                    return false;
                }
            });
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.isRegularFile(dir.resolve("dog/dog.txt")));
            assertThat(dir.resolve("dog/dog.txt")).hasContent("woof");
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> "UP".equals(
                    admin.get("/q/health/group/sync").json().getString("checks[0].status")));
            JsonPath status = admin.status();
            assertThat(status.getString("mode")).isEqualTo("standalone");
            assertThat(status.getLong("sync.folders[0].uploaded")).isEqualTo(1);
            assertThat(status.getLong("sync.folders[0].downloaded")).isEqualTo(1);
        }
    }

    @Test
    void aFolderThatWasSyncedAndIsGoneIsNotRecreatedEmpty() throws Exception {
        Path dir = Files.createDirectories(work.resolve("volume/docs"));
        Path properties = work.resolve("sync.properties");
        Files.writeString(properties, String.join("\n", "s3d.sync.folders.\"docs\".local-dir=" + dir,
                "s3d.sync.folders.\"docs\".bucket=docs", "s3d.sync.folders.\"docs\".interval=2s", ""));
        Map<String, String> env = Map.of("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        try (ServiceProcess s3d = ServiceProcess.start(work.resolve("store"), env);
                S3Client s3 = S3dAdmin.client(s3d.endpoint())) {
            s3.createBucket(b -> b.bucket("docs"));
            Files.writeString(dir.resolve("a.txt"), "synced once");
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    return s3.getObjectAsBytes(b -> b.bucket("docs").key("a.txt")).asUtf8String().equals("synced once");
                } catch (NoSuchKeyException e) {
                    return false;
                }
            });
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(work.resolve("store/.sync/docs/state")));
        }
        // The volume is not mounted at the next start: its folder is missing, its parent still there.
        Files.move(dir, work.resolve("elsewhere"));
        assertThatThrownBy(() -> ServiceProcess.start(work.resolve("store"), env))
                .hasMessageContaining("s3d.sync.folders.\"docs\".local-dir " + dir + " does not exist, but it was synced before");
        assertThat(dir).doesNotExist();
    }

    @Test
    void noFoldersMeansNoSyncStatus() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(work.resolve("store"), Map.of())) {
            S3dAdmin admin = new S3dAdmin(s3d.endpoint());
            assertThat(admin.get("/_s3d/status").body()).contains("\"sync\":null");
        }
    }

    @Test
    void aBadFolderSettingStopsStartUpNamingTheKey() throws Exception {
        Path properties = work.resolve("bad.properties");
        Files.writeString(properties, String.join("\n", "s3d.sync.folders.\"docs\".local-dir=relative/docs",
                "s3d.sync.folders.\"docs\".bucket=docs", ""));
        assertThatThrownBy(() -> ServiceProcess.start(work.resolve("store"),
                Map.of("QUARKUS_CONFIG_LOCATIONS", properties.toString())))
                .hasMessageContaining("s3d.sync.folders.\"docs\".local-dir must be an absolute path");

        Files.writeString(properties, String.join("\n", "s3d.sync.folders.\"docs\".local-dir=" + work.resolve("unmounted/docs"),
                "s3d.sync.folders.\"docs\".bucket=docs", ""));
        assertThatThrownBy(() -> ServiceProcess.start(work.resolve("store"),
                Map.of("QUARKUS_CONFIG_LOCATIONS", properties.toString())))
                .hasMessageContaining("s3d.sync.folders.\"docs\".local-dir " + work.resolve("unmounted/docs")
                        + " does not exist (or is not a directory), nor does its parent");

        Files.createDirectories(work.resolve("docs"));
        Files.writeString(properties, String.join("\n", "s3d.sync.folders.\"docs\".local-dir=" + work.resolve("docs"),
                "s3d.sync.folders.\"docs\".bucket=docs", "s3d.sync.folders.\"docs\".direction=sideways", ""));
        assertThatThrownBy(() -> ServiceProcess.start(work.resolve("store"),
                Map.of("QUARKUS_CONFIG_LOCATIONS", properties.toString())))
                .hasMessageContaining("s3d.sync.folders.\"docs\".direction must be both, upload-only or download-only");
    }
}
