package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import io.s3d.bench.wan.CutMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The read cache's limits, pins and restart, on an s3d whose cache is small (6 MiB, 4 objects):
 * eviction keeps it within both limits and deletes the files, pinned objects stay whatever the
 * pressure, and a restart keeps what was cached.
 */
class ReadCacheLimitsIT {
    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path localDir;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client direct;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        direct = remote.directClient();
        s3d = ServiceProcess.start(localDir, env());
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_READ_CACHE", "true");
        env.put("S3D_READ_CACHE_BLOCK_SIZE", "1M");
        env.put("S3D_READ_CACHE_MAX_SIZE", "6M");
        env.put("S3D_READ_CACHE_MAX_FILES", "4");
        return env;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] { direct, s3d, remote }) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void evictionKeepsTheCacheWithinItsLimitsPinnedObjectsStayAndARestartKeepsTheRest() throws Exception {
        String bucket = "rcl";
        direct.createBucket(b -> b.bucket(bucket));
        for (int i = 0; i < 12; i++) {
            int n = i;
            direct.putObject(b -> b.bucket(bucket).key("scan/" + n), RequestBody.fromBytes(ReadCacheIT.random(MIB, n)));
        }
        for (int i = 0; i < 2; i++) {
            int n = i;
            direct.putObject(b -> b.bucket(bucket).key("pinned/" + n),
                    RequestBody.fromBytes(ReadCacheIT.random(MIB / 2, 100 + n)));
        }
        S3dAdmin admin = new S3dAdmin(s3d.endpoint());
        S3dAdmin.Answer pin = admin.post("/_s3d/cache/prefetch?bucket=" + bucket + "&prefix=pinned/&pin=true",
                Duration.ofSeconds(60));
        assertThat(pin.status()).as(pin.body()).isEqualTo(200);
        assertThat(pin.json().getBoolean("pinned")).isTrue();

        try (S3Client s3 = S3dAdmin.client(s3d.endpoint())) {
            // A scan of 12 MiB through a 6 MiB / 4-object cache.
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 12; i++) {
                    int n = i;
                    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("scan/" + n)).asByteArray())
                            .isEqualTo(ReadCacheIT.random(MIB, n));
                }
            }
        }
        JsonPath cache = admin.status().setRootPath("readCache");
        assertThat(cache.getLong("bytes")).as("cached bytes").isLessThanOrEqualTo(6L * MIB);
        assertThat(cache.getLong("entries") - cache.getLong("pinnedEntries")).as("unpinned entries")
                .isLessThanOrEqualTo(4);
        assertThat(cache.getLong("pinnedEntries")).isEqualTo(2);
        assertThat(cache.getLong("evictions")).isGreaterThan(0);
        assertThat(blockBytes(localDir.resolve(".cache"))).as("block files on disk")
                .isLessThanOrEqualTo(6L * MIB + 64 * 1024);
        assertThat(admin.objectStatus(bucket, "pinned/0").getString("state")).isEqualTo("pinned");

        // Restart: what was cached is still there, and served without the remote.
        long entriesBefore = cache.getLong("entries");
        s3d.close();
        s3d = ServiceProcess.start(localDir, env());
        admin = new S3dAdmin(s3d.endpoint());
        assertThat(admin.status().getLong("readCache.entries")).isEqualTo(entriesBefore);
        assertThat(admin.status().getList("readCache.localPins")).containsExactly(bucket + "/pinned/");
        remote.link().cut(CutMode.RESET);
        try (S3Client s3 = S3dAdmin.client(s3d.endpoint())) {
            for (int n = 0; n < 2; n++) {
                int k = n;
                ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("pinned/" + k));
                assertThat(got.asByteArray()).isEqualTo(ReadCacheIT.random(MIB / 2, 100 + k));
                assertThat(ReadCacheIT.cacheHeader(got.response())).isEqualTo("hit");
            }
        } finally {
            remote.link().restore();
        }

        // Unpinned, they are ordinary entries again.
        S3dAdmin.Answer unpin = admin.post("/_s3d/cache/unpin?bucket=" + bucket + "&prefix=pinned/",
                Duration.ofSeconds(10));
        assertThat(unpin.status()).as(unpin.body()).isEqualTo(200);
        assertThat(unpin.json().getBoolean("unpinned")).isTrue();
        assertThat(admin.status().getLong("readCache.pinnedEntries")).isZero();
    }

    @Test
    void aCacheDiskAtItsFreeSpaceFloorPassesReadsThrough() throws Exception {
        Path small = Files.createDirectories(localDir.resolveSibling(localDir.getFileName() + "-tmpfs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
        String bucket = "rcl-floor";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] body = ReadCacheIT.random(2 * MIB, 77);
        direct.putObject(b -> b.bucket(bucket).key("x.bin"), RequestBody.fromBytes(body));
        Map<String, String> env = env();
        // An 8 MiB cache disk under the 16 MiB free-space floor the tests run with.
        env.put("S3D_READ_CACHE_DIR", small.toString());
        try (ServiceProcess tight = ServiceProcess.start(Files.createDirectories(localDir.resolve("floor")), env);
             S3Client s3 = S3dAdmin.client(tight.endpoint())) {
            for (int i = 0; i < 2; i++) {
                ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("x.bin"));
                assertThat(got.asByteArray()).isEqualTo(body);
                assertThat(ReadCacheIT.cacheHeader(got.response())).isEqualTo("bypass");
            }
            JsonPath cache = new S3dAdmin(tight.endpoint()).status().setRootPath("readCache");
            assertThat(cache.getLong("bypassed")).isEqualTo(2);
            assertThat(cache.getLong("entries")).isZero();
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
            Files.deleteIfExists(small);
        }
    }

    static long blockBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().matches("b\\d+")).mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
