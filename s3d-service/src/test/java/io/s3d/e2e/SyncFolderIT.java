package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.s3d.bench.wan.CutMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The sync folder end to end: the packaged s3d in gateway mode (write queue on) in front of a real
 * S3 server (S3Proxy), configured exactly as the operator does it (a properties file named by
 * {@code QUARKUS_CONFIG_LOCATIONS}), with one folder per behaviour. What arrived is checked with a
 * client talking to the remote directly, and on the local disk. Every wait polls with a deadline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncFolderIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path work;

    private static RemoteS3 remote;
    private static S3Client direct;
    private static ServiceProcess s3d;
    private static S3dAdmin admin;
    private static Map<String, String> env;
    private static Path both;
    private static Path newer;
    private static Path up;
    private static Path down;
    private static Path guarded;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        direct = remote.directClient();
        for (String bucket : List.of("sync-both", "sync-newer", "sync-up", "sync-down", "sync-guarded", "sync-big")) {
            direct.createBucket(b -> b.bucket(bucket));
        }
        both = Files.createDirectories(work.resolve("both"));
        newer = Files.createDirectories(work.resolve("newer"));
        up = Files.createDirectories(work.resolve("up"));
        down = work.resolve("down"); // download-only creates it
        guarded = Files.createDirectories(work.resolve("guarded"));
        // Already in the bucket before s3d starts: the first pass brings it down.
        direct.putObject(b -> b.bucket("sync-both").key("shared/before.txt"), RequestBody.fromString("was there"));
        Files.writeString(both.resolve("local-before.txt"), "local before start");
        old(both.resolve("local-before.txt"));

        Path properties = work.resolve("sync.properties");
        Files.writeString(properties, String.join("\n",
                folder("both", both, "sync-both", "shared/", "both", "keep-both"),
                "s3d.sync.folders.\"both\".exclude=*.tmp,scratch/**," + S3PROXY_TEMP,
                "s3d.sync.folders.\"both\".max-file-size=1M",
                folder("newer", newer, "sync-newer", "", "both", "newer-wins"),
                folder("up", up, "sync-up", "u/", "upload-only", "keep-both"),
                folder("down", down, "sync-down", "d/", "download-only", "keep-both"),
                folder("guarded", guarded, "sync-guarded", "", "both", "keep-both"),
                folder("big", work.resolve("big"), "sync-big", "", "both", "keep-both"), ""));
        Files.createDirectories(work.resolve("big"));
        env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_WRITE_QUEUE_MAX_FILES", "1000");
        env.put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        s3d = ServiceProcess.start(work.resolve("store"), env);
        admin = new S3dAdmin(s3d.endpoint());
    }

    /**
     * S3Proxy's filesystem store lists an object still being written under {@code <key>-<uuid>}
     * (real S3 never lists unfinished writes): the tests keep such names out of their folders.
     */
    private static final String S3PROXY_TEMP = "*-????????-????-????-????-????????????";

    private static String folder(String name, Path dir, String bucket, String prefix, String direction,
            String policy) {
        String k = "s3d.sync.folders.\"" + name + "\".";
        return String.join("\n", k + "local-dir=" + dir, k + "bucket=" + bucket, k + "prefix=" + prefix,
                k + "direction=" + direction, k + "conflict-policy=" + policy, k + "interval=2s",
                k + "exclude=" + S3PROXY_TEMP);
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
    @Order(1)
    void theFirstPassBringsBothSidesTogether() throws Exception {
        awaitRemote("sync-both", "shared/local-before.txt", "local before start");
        awaitLocal(both.resolve("before.txt"), "was there");
        // The download carries the object's Last-Modified, so it is not mistaken for a local change.
        Instant lastModified = direct.headObject(b -> b.bucket("sync-both").key("shared/before.txt")).lastModified();
        assertThat(Files.getLastModifiedTime(both.resolve("before.txt")).toInstant()).isEqualTo(lastModified);
    }

    @Test
    @Order(2)
    void aLocalFileAppearsInTheBucketByteForByte() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        Files.createDirectories(both.resolve("a/b"));
        Files.write(both.resolve("a/b/data.bin"), body);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> remoteBytes("sync-both", "shared/a/b/data.bin") != null);
        assertThat(remoteBytes("sync-both", "shared/a/b/data.bin")).isEqualTo(body);
        // Content-Type by extension.
        Files.writeString(both.resolve("notes.html"), "<p>hi</p>");
        awaitRemote("sync-both", "shared/notes.html", "<p>hi</p>");
        assertThat(direct.headObject(b -> b.bucket("sync-both").key("shared/notes.html")).contentType())
                .isEqualTo("text/html");
    }

    @Test
    @Order(3)
    void anObjectPutInTheBucketAppearsLocally() throws Exception {
        direct.putObject(b -> b.bucket("sync-both").key("shared/remote/new.txt"), RequestBody.fromString("from S3"));
        awaitLocal(both.resolve("remote/new.txt"), "from S3");
        // Written through s3d's own S3 front too (through the write queue).
        try (S3Client client = S3dAdmin.client(s3d.endpoint())) {
            client.putObject(b -> b.bucket("sync-both").key("shared/via-s3d.txt"), RequestBody.fromString("via s3d"));
        }
        awaitLocal(both.resolve("via-s3d.txt"), "via s3d");
        try (Stream<Path> files = Files.walk(both)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".s3d-sync-"));
        }
    }

    @Test
    @Order(4)
    void deletionsPropagateBothWays() throws Exception {
        Files.writeString(both.resolve("doomed-local.txt"), "delete me here");
        direct.putObject(b -> b.bucket("sync-both").key("shared/doomed-remote.txt"), RequestBody.fromString("bye"));
        awaitRemote("sync-both", "shared/doomed-local.txt", "delete me here");
        awaitLocal(both.resolve("doomed-remote.txt"), "bye");

        Files.delete(both.resolve("doomed-local.txt"));
        direct.deleteObject(b -> b.bucket("sync-both").key("shared/doomed-remote.txt"));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> remoteBytes("sync-both", "shared/doomed-local.txt") == null
                        && !Files.exists(both.resolve("doomed-remote.txt")));
        JsonPath health = folderCheck("both");
        assertThat(health.getLong("data.deletedRemote")).isGreaterThanOrEqualTo(1);
        assertThat(health.getLong("data.deletedLocal")).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(5)
    void excludedTooLargeAndLinkedFilesStayLocalAndAreReported() throws Exception {
        Files.writeString(both.resolve("work.tmp"), "excluded by *.tmp");
        Files.createDirectories(both.resolve("scratch"));
        Files.writeString(both.resolve("scratch/x.txt"), "excluded by scratch/**");
        Files.write(both.resolve("big.bin"), new byte[1024 * 1024 + 1]);
        Files.createSymbolicLink(both.resolve("link.txt"), both.resolve("notes.html"));
        Files.writeString(both.resolve("marker-after.txt"), "synced after the others");
        awaitRemote("sync-both", "shared/marker-after.txt", "synced after the others");
        awaitPasses("both", 2);
        List<String> keys = keys("sync-both", "shared/");
        assertThat(keys).doesNotContain("shared/work.tmp", "shared/scratch/x.txt", "shared/big.bin",
                "shared/link.txt");
        assertThat(folderCheck("both").getLong("data.skipped")).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(6)
    void folderMarkersAreIgnored() throws Exception {
        direct.putObject(b -> b.bucket("sync-both").key("shared/folder/"), RequestBody.empty());
        long skippedBefore = folderCheck("both").getLong("data.skipped");
        awaitPasses("both", 2);
        assertThat(both.resolve("folder")).doesNotExist();
        assertThat(folderCheck("both").getLong("data.skipped")).isEqualTo(skippedBefore);
        assertThat(folderCheck("both").getString("status")).isEqualTo("UP");
        direct.deleteObject(b -> b.bucket("sync-both").key("shared/folder/"));
    }

    @Test
    @Order(10)
    void keepBothKeepsTheRemoteVersionNextToTheLocalOne() throws Exception {
        Files.writeString(both.resolve("report.md"), "v1");
        awaitRemote("sync-both", "shared/report.md", "v1");
        awaitPasses("both", 1);

        remote.link().cut(CutMode.RESET);
        try {
            // While s3d cannot reach the remote, its passes fail: the health check says so.
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> "DOWN".equals(folderCheck("both").getString("status")));
            assertThat(folderCheck("both").getString("data.lastError")).isNotBlank();
            direct.putObject(b -> b.bucket("sync-both").key("shared/report.md"), RequestBody.fromString("remote v2"));
            Files.writeString(both.resolve("report.md"), "local v2");
        } finally {
            remote.link().restore();
        }
        // The remote version arrives next to the local file; the local version wins the path.
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> conflictCopies(both, "report").size() == 1);
        Path copy = conflictCopies(both, "report").get(0);
        assertThat(copy.getFileName().toString()).matches("report\\.conflict-\\d{8}-\\d{6}\\.md");
        assertThat(Files.readString(copy)).isEqualTo("remote v2");
        assertThat(Files.readString(both.resolve("report.md"))).isEqualTo("local v2");
        awaitRemote("sync-both", "shared/report.md", "local v2");
        // The conflict copy is synced like any new file: both versions exist on both sides.
        awaitRemote("sync-both", "shared/" + copy.getFileName(), "remote v2");
        JsonPath health = folderCheck("both");
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getLong("data.conflicts")).isEqualTo(1);
    }

    @Test
    @Order(11)
    void newerWinsAndTheLoserIsKept() throws Exception {
        Files.writeString(newer.resolve("local-newer.txt"), "v1");
        Files.writeString(newer.resolve("remote-newer.txt"), "v1");
        awaitRemote("sync-newer", "local-newer.txt", "v1");
        awaitRemote("sync-newer", "remote-newer.txt", "v1");
        awaitPasses("newer", 1);

        remote.link().cut(CutMode.RESET);
        try {
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> "DOWN".equals(folderCheck("newer").getString("status")));
            direct.putObject(b -> b.bucket("sync-newer").key("local-newer.txt"), RequestBody.fromString("remote v2"));
            direct.putObject(b -> b.bucket("sync-newer").key("remote-newer.txt"), RequestBody.fromString("remote v2"));
            Files.writeString(newer.resolve("local-newer.txt"), "local v2");
            Files.setLastModifiedTime(newer.resolve("local-newer.txt"),
                    FileTime.from(Instant.now().plus(Duration.ofHours(1))));
            Files.writeString(newer.resolve("remote-newer.txt"), "local v2");
            Files.setLastModifiedTime(newer.resolve("remote-newer.txt"),
                    FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        } finally {
            remote.link().restore();
        }
        awaitRemote("sync-newer", "local-newer.txt", "local v2");
        awaitLocal(newer.resolve("remote-newer.txt"), "remote v2");
        // Neither loser is lost: both are kept in the folder's state directory.
        Path kept = work.resolve("store/.sync/newer/conflicts");
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> contents(kept).containsAll(List.of("remote v2", "local v2")));
        assertThat(folderCheck("newer").getLong("data.conflicts")).isEqualTo(2);
        assertThat(conflictCopies(newer, "local-newer")).isEmpty();
    }

    @Test
    @Order(12)
    void uploadOnlyNeverWritesLocally() throws Exception {
        Files.writeString(up.resolve("up.txt"), "going up");
        Files.writeString(up.resolve("still.txt"), "here");
        awaitRemote("sync-up", "u/up.txt", "going up");
        awaitRemote("sync-up", "u/still.txt", "here");
        direct.putObject(b -> b.bucket("sync-up").key("u/stays-remote.txt"), RequestBody.fromString("not for you"));
        direct.putObject(b -> b.bucket("sync-up").key("u/still.txt"), RequestBody.fromString("changed remotely"));
        Files.delete(up.resolve("up.txt"));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> remoteBytes("sync-up", "u/up.txt") == null);
        awaitPasses("up", 2);
        assertThat(up.resolve("stays-remote.txt")).doesNotExist();
        assertThat(up.resolve("still.txt")).hasContent("here");
        assertThat(folderCheck("up").getLong("data.downloaded")).isZero();
        // The target is repaired: an object deleted from the bucket while the local file is
        // unchanged is uploaded again (at the next periodic pass).
        Files.writeString(up.resolve("kept.txt"), "backed up");
        awaitRemote("sync-up", "u/kept.txt", "backed up");
        direct.deleteObject(b -> b.bucket("sync-up").key("u/kept.txt"));
        awaitRemote("sync-up", "u/kept.txt", "backed up");
    }

    @Test
    @Order(13)
    void downloadOnlyNeverWritesToTheBucket() throws Exception {
        direct.putObject(b -> b.bucket("sync-down").key("d/down.txt"), RequestBody.fromString("coming down"));
        awaitLocal(down.resolve("down.txt"), "coming down");
        Files.writeString(down.resolve("stays-local.txt"), "not for the bucket");
        Files.delete(down.resolve("down.txt"));
        // The target is repaired: the local deletion does not reach the bucket, the file comes back.
        awaitLocal(down.resolve("down.txt"), "coming down");
        awaitPasses("down", 2);
        assertThat(remoteBytes("sync-down", "d/stays-local.txt")).isNull();
        assertThat(remoteBytes("sync-down", "d/down.txt")).isNotNull();
        direct.deleteObject(b -> b.bucket("sync-down").key("d/down.txt"));
        direct.putObject(b -> b.bucket("sync-down").key("d/later.txt"), RequestBody.fromString("later"));
        awaitLocal(down.resolve("later.txt"), "later");
        assertThat(down.resolve("stays-local.txt")).hasContent("not for the bucket");
    }

    @Test
    @Order(14)
    void aSideThatSuddenlyLooksEmptyStopsDeletions() throws Exception {
        Files.writeString(guarded.resolve("one.txt"), "1");
        Files.writeString(guarded.resolve("two.txt"), "2");
        awaitRemote("sync-guarded", "one.txt", "1");
        awaitRemote("sync-guarded", "two.txt", "2");
        awaitPasses("guarded", 1);
        // As if the volume was unmounted: the directory is there, its files are not.
        Files.delete(guarded.resolve("one.txt"));
        Files.delete(guarded.resolve("two.txt"));
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> "DOWN".equals(folderCheck("guarded").getString("status")));
        assertThat(folderCheck("guarded").getString("data.lastError")).contains("local directory looks empty");
        assertThat(remoteBytes("sync-guarded", "one.txt")).isNotNull();
        assertThat(remoteBytes("sync-guarded", "two.txt")).isNotNull();
        JsonPath status = admin.status();
        assertThat(status.getString("sync.folders.find { it.name == 'guarded' }.state")).isEqualTo("error");
    }

    @Test
    @Order(15)
    void bigFilesStreamBothWaysAndAMultipartPushIsNotDownloadedAgain() throws Exception {
        // s3d runs with -Xmx256m: 200 MiB each way only fit streamed. The queue pushes the upload by
        // multipart (over 16M), which gives the remote object another ETag for the same bytes.
        Path big = work.resolve("big");
        long errorsBefore = folderCheck("big").getLong("data.errors"); // the link cuts of earlier tests
        Path upload = work.resolve("upload.bin");
        String uploadMd5 = randomFile(upload, 200L << 20, 1);
        Files.move(upload, big.resolve("up.bin"));
        Path download = work.resolve("download.bin");
        String downloadMd5 = randomFile(download, 200L << 20, 2);
        direct.putObject(b -> b.bucket("sync-big").key("down.bin"), RequestBody.fromFile(download));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                return direct.headObject(b -> b.bucket("sync-big").key("up.bin")).eTag().contains("-");
            } catch (NoSuchKeyException e) {
                return false;
            }
        });
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.isRegularFile(big.resolve("down.bin")));
        assertThat(md5(big.resolve("down.bin"))).isEqualTo(downloadMd5);
        try (var in = direct.getObject(b -> b.bucket("sync-big").key("up.bin"))) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            assertThat(java.util.HexFormat.of().formatHex(digest.digest())).isEqualTo(uploadMd5);
        }
        awaitPasses("big", 2);
        JsonPath health = folderCheck("big");
        assertThat(health.getLong("data.uploaded")).isEqualTo(1);
        assertThat(health.getLong("data.downloaded")).isEqualTo(1);
        assertThat(health.getLong("data.errors")).isEqualTo(errorsBefore);
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(md5(big.resolve("up.bin"))).isEqualTo(uploadMd5);
    }

    private static String randomFile(Path file, long size, long seed) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("MD5");
        java.util.Random random = new java.util.Random(seed);
        byte[] buffer = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                int n = (int) Math.min(buffer.length, left);
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
            }
        }
        old(file);
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static String md5(Path file) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("MD5");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    @Test
    @Order(20)
    void statusReportsEveryFolder() {
        S3dAdmin.Answer health = admin.get("/q/health/group/sync");
        System.out.println("GET /q/health/group/sync -> " + health.status() + " " + health.body());
        JsonPath json = health.json();
        assertThat(json.getList("checks.name")).containsExactlyInAnyOrder("sync-folder both", "sync-folder newer",
                "sync-folder up", "sync-folder down", "sync-folder guarded", "sync-folder big");
        JsonPath both = folderCheck("both");
        assertThat(both.getString("status")).isEqualTo("UP");
        assertThat(Instant.parse(both.getString("data.lastSyncTime"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(both.getLong("data.uploaded")).isGreaterThanOrEqualTo(4);
        assertThat(both.getLong("data.downloaded")).isGreaterThanOrEqualTo(3);
        // The sync group is not part of readiness: a failing folder does not take s3d out of service.
        assertThat(admin.get("/q/health/ready").status()).isEqualTo(200);

        JsonPath status = admin.status();
        System.out.println("GET /_s3d/status -> " + status.prettify());
        String f = "sync.folders.find { it.name == 'both' }.";
        assertThat(status.getString(f + "localDir")).isEqualTo(SyncFolderIT.both.toString());
        assertThat(status.getString(f + "bucket")).isEqualTo("sync-both");
        assertThat(status.getString(f + "prefix")).isEqualTo("shared/");
        assertThat(status.getString(f + "direction")).isEqualTo("both");
        assertThat(status.getString(f + "state")).isIn("idle", "syncing");
        assertThat(status.getLong(f + "uploaded")).isEqualTo(both.getLong("data.uploaded"));
    }

    @Test
    @Order(30)
    void aRestartResumesWithoutTransferringAgain() throws Exception {
        s3d.close();
        // Changed while s3d was down: found by the first pass after the restart.
        Files.writeString(both.resolve("while-down.txt"), "written while s3d was stopped");
        old(both.resolve("while-down.txt"));
        s3d = ServiceProcess.start(work.resolve("store"), env);
        admin = new S3dAdmin(s3d.endpoint());
        awaitRemote("sync-both", "shared/while-down.txt", "written while s3d was stopped");
        awaitPasses("both", 1);
        JsonPath health = folderCheck("both");
        assertThat(health.getLong("data.uploaded")).isEqualTo(1);
        assertThat(health.getLong("data.downloaded")).isZero();
        assertThat(health.getLong("data.conflicts")).isZero();
        assertThat(health.getLong("data.deletedLocal") + health.getLong("data.deletedRemote")).isZero();
        assertThat(both.resolve("report.md")).hasContent("local v2");
    }

    @Test
    @Order(40)
    void passThroughWithTheReadCacheSyncsEveryVersion() throws Exception {
        // No write queue: conditional PUTs go to the remote itself. The read cache keeps what the
        // sync downloads; a newer version in the listing must not be answered from the old copy.
        direct.createBucket(b -> b.bucket("sync-cached"));
        Path dir = Files.createDirectories(work.resolve("cached"));
        Path properties = work.resolve("cached.properties");
        Files.writeString(properties, folder("cached", dir, "sync-cached", "c/", "both", "keep-both") + "\n");
        Map<String, String> cachedEnv = new HashMap<>(remote.gatewayEnv());
        cachedEnv.put("S3D_READ_CACHE", "true");
        cachedEnv.put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        try (ServiceProcess other = ServiceProcess.start(work.resolve("store-cached"), cachedEnv)) {
            S3dAdmin otherAdmin = new S3dAdmin(other.endpoint());
            direct.putObject(b -> b.bucket("sync-cached").key("c/doc.txt"), RequestBody.fromString("version 1"));
            awaitLocal(dir.resolve("doc.txt"), "version 1");
            direct.putObject(b -> b.bucket("sync-cached").key("c/doc.txt"), RequestBody.fromString("version 2!"));
            awaitLocal(dir.resolve("doc.txt"), "version 2!");
            Files.writeString(dir.resolve("doc.txt"), "version 3 (local)");
            awaitRemote("sync-cached", "c/doc.txt", "version 3 (local)");
            Files.writeString(dir.resolve("new.txt"), "brand new");
            awaitRemote("sync-cached", "c/new.txt", "brand new");
            JsonPath status = otherAdmin.status();
            assertThat(status.getLong("sync.folders[0].downloaded")).isEqualTo(2);
            assertThat(status.getLong("sync.folders[0].uploaded")).isEqualTo(2);
            assertThat(status.getLong("sync.folders[0].conflicts")).isZero();
            assertThat(status.getLong("sync.folders[0].errors")).isZero();
            String metrics = otherAdmin.get("/q/metrics").body();
            assertThat(metrics).contains("s3d_sync_uploaded_total{folder=\"cached\"} 2.0")
                    .contains("s3d_sync_last_pass_failed{folder=\"cached\"} 0.0");
        }
    }

    // --- helpers ---

    /** The one check of a folder in {@code GET /q/health/group/sync}, as its own JSON. */
    private static JsonPath folderCheck(String name) {
        S3dAdmin.Answer a = admin.get("/q/health/group/sync");
        assertThat(a.status()).as(a.body()).isIn(200, 503);
        assertThat(a.json().getList("checks.name")).as(a.body()).contains("sync-folder " + name);
        return JsonPath.from(a.body()).setRootPath("checks.find { it.name == 'sync-folder " + name + "' }");
    }

    /** Waits until the folder completed {@code n} more passes than now (by its last sync time). */
    private static void awaitPasses(String name, int n) {
        for (int i = 0; i < n; i++) {
            String before = lastSync(name);
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> lastSync(name) != null && !lastSync(name).equals(before));
        }
    }

    private static String lastSync(String name) {
        return folderCheck(name).getString("data.lastSyncTime");
    }

    private static void awaitRemote(String bucket, String key, String content) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            byte[] bytes = remoteBytes(bucket, key);
            return bytes != null && new String(bytes, StandardCharsets.UTF_8).equals(content);
        });
    }

    private static void awaitLocal(Path file, String content) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.isRegularFile(file) && Files.readString(file).equals(content));
    }

    private static byte[] remoteBytes(String bucket, String key) {
        try {
            return direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private static List<String> keys(String bucket, String prefix) {
        return direct.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static List<Path> conflictCopies(Path dir, String base) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(base + ".conflict-")).toList();
        }
    }

    private static List<String> contents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.add(Files.readString(p));
            }
        }
        return out;
    }

    /** Backdates a file past the settle time, so a pass takes it at once. */
    private static void old(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }
}
