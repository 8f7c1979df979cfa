package io.s3d.e2e;

import static io.s3d.e2e.FuseMounts.lines;
import static io.s3d.e2e.FuseMounts.ok;
import static io.s3d.e2e.FuseMounts.sh;
import static io.s3d.e2e.FuseMounts.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.s3d.fuse.FuseAvailable;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The packaged s3d, standalone, with the FUSE mount on ({@code S3D_FUSE=true}): what a program
 * that does not speak S3 sees under the mount point, checked against what S3 clients see of the
 * same buckets. Every test works in its own bucket. The last tests kill s3d (the stale mount is
 * cleared by the next start) and stop it with SIGTERM (no mount is left).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FuseMountIT {
    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path tmp;

    private static Path localDir;
    private static Path mnt;
    private static ServiceProcess s3d;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        FuseAvailable.assumeFuse();
        localDir = tmp.resolve("local");
        mnt = tmp.resolve("mnt");
        s3d = startS3d();
        s3 = S3dAdmin.client(s3d.endpoint());
    }

    private static ServiceProcess startS3d() throws Exception {
        ServiceProcess started = ServiceProcess.start(localDir,
                Map.of("S3D_FUSE", "true", "S3D_FUSE_MOUNT_POINT", mnt.toString()));
        FuseMounts.awaitMounted(mnt);
        return started;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (s3 != null) {
                s3.close();
            }
            if (s3d != null) {
                s3d.close();
            }
        } finally {
            FuseMounts.forceUnmount(mnt);
        }
    }

    private static void bucket(String name) {
        s3.createBucket(b -> b.bucket(name));
    }

    private static byte[] s3Get(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    @Order(1)
    void bucketsAreTopLevelDirectoriesAndMkdirRmdirCreateAndDeleteThem() throws Exception {
        bucket("fz-buckets");
        assertThat(Files.isDirectory(mnt.resolve("fz-buckets"))).isTrue();
        try (Stream<Path> top = Files.list(mnt)) {
            assertThat(top.map(p -> p.getFileName().toString())).contains("fz-buckets");
        }

        Files.createDirectory(mnt.resolve("fz-made-by-mkdir"));
        s3.headBucket(b -> b.bucket("fz-made-by-mkdir"));
        Files.delete(mnt.resolve("fz-made-by-mkdir"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("fz-made-by-mkdir")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);

        s3.putObject(b -> b.bucket("fz-buckets").key("keep"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> Files.delete(mnt.resolve("fz-buckets"))).isInstanceOf(DirectoryNotEmptyException.class);
        assertThat(ok("mkdir " + mnt.resolve("Not_A_Valid_Bucket") + " 2>&1 || echo refused")).contains("refused");
    }

    @Test
    @Order(2)
    void filesWrittenThroughTheMountAreObjectsAndObjectsAreFiles() throws Exception {
        bucket("fz-files");
        byte[] nio = random(300_000, 1);
        Files.write(mnt.resolve("fz-files/nio.bin"), nio);
        assertThat(s3Get("fz-files", "nio.bin")).isEqualTo(nio);
        assertThat(s3.headObject(b -> b.bucket("fz-files").key("nio.bin")).contentLength()).isEqualTo(nio.length);

        Path local = Files.write(tmp.resolve("local.txt"), "copied with cp\n".getBytes());
        ok("cp " + local + " " + mnt.resolve("fz-files/cp.txt"));
        assertThat(new String(s3Get("fz-files", "cp.txt"))).isEqualTo("copied with cp\n");

        byte[] viaS3 = random(123_457, 2);
        s3.putObject(b -> b.bucket("fz-files").key("from-s3/deep/object.bin"), RequestBody.fromBytes(viaS3));
        Path file = mnt.resolve("fz-files/from-s3/deep/object.bin");
        assertThat(Files.size(file)).isEqualTo(viaS3.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(viaS3);
        assertThat(ok("sha256sum " + file)).startsWith(sha256(viaS3));
        assertThat(ok("cat " + mnt.resolve("fz-files/cp.txt"))).isEqualTo("copied with cp\n");
        assertThat(lines(ok("ls " + mnt.resolve("fz-files")))).containsExactly("cp.txt", "from-s3", "nio.bin");
    }

    @Test
    @Order(3)
    void mkdirRmdirAndRmWorkInsideABucket() throws Exception {
        bucket("fz-dirs");
        Files.createDirectories(mnt.resolve("fz-dirs/a/b"));
        assertThat(s3.headObject(b -> b.bucket("fz-dirs").key("a/b/")).contentLength()).as("marker object").isZero();
        Files.writeString(mnt.resolve("fz-dirs/a/b/f.txt"), "f");
        assertThatThrownBy(() -> Files.delete(mnt.resolve("fz-dirs/a/b"))).isInstanceOf(DirectoryNotEmptyException.class);

        ok("rm " + mnt.resolve("fz-dirs/a/b/f.txt"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("fz-dirs").key("a/b/f.txt")))
                .isInstanceOf(NoSuchKeyException.class);
        ok("rmdir " + mnt.resolve("fz-dirs/a/b"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("fz-dirs").key("a/b/")))
                .isInstanceOf(NoSuchKeyException.class);
        ok("rm -r " + mnt.resolve("fz-dirs/a"));
        assertThat(s3.listObjectsV2(b -> b.bucket("fz-dirs")).contents()).isEmpty();
    }

    @Test
    @Order(4)
    void mvRenamesFilesAndMovesDirectoriesByCopying() throws Exception {
        bucket("fz-mv");
        s3.putObject(b -> b.bucket("fz-mv").key("old.txt").contentType("text/plain"), RequestBody.fromString("one"));
        s3.putObject(b -> b.bucket("fz-mv").key("target.txt"), RequestBody.fromString("to be replaced"));
        ok("mv " + mnt.resolve("fz-mv/old.txt") + " " + mnt.resolve("fz-mv/target.txt"));
        assertThat(new String(s3Get("fz-mv", "target.txt"))).isEqualTo("one");
        assertThat(s3.headObject(b -> b.bucket("fz-mv").key("target.txt")).contentType()).isEqualTo("text/plain");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("fz-mv").key("old.txt")))
                .isInstanceOf(NoSuchKeyException.class);

        for (String key : List.of("dir/a.txt", "dir/sub/b.txt", "dir/sub/c.txt")) {
            s3.putObject(b -> b.bucket("fz-mv").key(key), RequestBody.fromString(key));
        }
        // rename(2) of a non-empty directory answers EXDEV; mv then copies and deletes.
        ok("mv " + mnt.resolve("fz-mv/dir") + " " + mnt.resolve("fz-mv/moved"));
        List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket("fz-mv")).contents().stream().map(S3Object::key)
                .filter(k -> !k.endsWith("/")).toList();
        assertThat(keys).containsExactlyInAnyOrder("moved/a.txt", "moved/sub/b.txt", "moved/sub/c.txt", "target.txt");
        assertThat(new String(s3Get("fz-mv", "moved/sub/c.txt"))).isEqualTo("dir/sub/c.txt");

        Files.createDirectory(mnt.resolve("fz-mv/empty"));
        Files.move(mnt.resolve("fz-mv/empty"), mnt.resolve("fz-mv/renamed-empty"));
        assertThat(Files.isDirectory(mnt.resolve("fz-mv/renamed-empty"))).isTrue();
        assertThat(Files.exists(mnt.resolve("fz-mv/empty"))).isFalse();
    }

    @Test
    @Order(5)
    void aFiftyMebibyteFileRoundTripsWithTheSameSha256() throws Exception {
        bucket("fz-big");
        Path source = tmp.resolve("big.bin");
        try (var out = Files.newOutputStream(source)) {
            Random random = new Random(5);
            byte[] chunk = new byte[MIB];
            for (int i = 0; i < 50; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        String expected = lines(ok("sha256sum " + source)).get(0).split(" ")[0];
        ok("cp " + source + " " + mnt.resolve("fz-big/big.bin"));
        MessageDigest viaS3 = MessageDigest.getInstance("SHA-256");
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("fz-big").key("big.bin"))) {
            assertThat(in.response().contentLength()).isEqualTo(50L * MIB);
            byte[] buf = new byte[MIB];
            int n;
            while ((n = in.read(buf)) > 0) {
                viaS3.update(buf, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(viaS3.digest())).isEqualTo(expected);
        assertThat(ok("sha256sum " + mnt.resolve("fz-big/big.bin"))).startsWith(expected);
    }

    @Test
    @Order(6)
    void randomReadsReturnTheBytesAtTheirOffsets() throws Exception {
        bucket("fz-random");
        byte[] body = random(6 * MIB, 6);
        s3.putObject(b -> b.bucket("fz-random").key("r.bin"), RequestBody.fromBytes(body));
        Random offsets = new Random(7);
        try (FileChannel ch = FileChannel.open(mnt.resolve("fz-random/r.bin"), StandardOpenOption.READ)) {
            for (int i = 0; i < 40; i++) {
                int offset = offsets.nextInt(body.length - 5000);
                int length = 1 + offsets.nextInt(5000);
                ByteBuffer buf = ByteBuffer.allocate(length);
                while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                    // read until full
                }
                assertThat(buf.array()).as("%d bytes at %d", length, offset)
                        .isEqualTo(Arrays.copyOfRange(body, offset, offset + length));
            }
        }
        assertThat(ok("tail -c 100 " + mnt.resolve("fz-random/r.bin") + " | od -An -tx1 | tr -d ' \\n'"))
                .isEqualTo(HexFormat.of().formatHex(Arrays.copyOfRange(body, body.length - 100, body.length)));
    }

    @Test
    @Order(7)
    void appendingToAnExistingFileKeepsItsBytes() throws Exception {
        bucket("fz-append");
        s3.putObject(b -> b.bucket("fz-append").key("log.txt"), RequestBody.fromString("line 1\n"));
        Files.writeString(mnt.resolve("fz-append/log.txt"), "line 2\n", StandardOpenOption.APPEND);
        ok("echo 'line 3' >> " + mnt.resolve("fz-append/log.txt"));
        assertThat(new String(s3Get("fz-append", "log.txt"))).isEqualTo("line 1\nline 2\nline 3\n");
        // In place, without truncating: dd conv=notrunc.
        ok("printf XX | dd of=" + mnt.resolve("fz-append/log.txt") + " bs=1 seek=5 conv=notrunc");
        assertThat(new String(s3Get("fz-append", "log.txt"))).isEqualTo("line XXline 2\nline 3\n");
        ok("truncate -s 4 " + mnt.resolve("fz-append/log.txt"));
        assertThat(new String(s3Get("fz-append", "log.txt"))).isEqualTo("line");
    }

    @Test
    @Order(8)
    void aDirectoryOfMoreThanOneListingPageListsEveryEntry() throws Exception {
        bucket("fz-many");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < 1100; i++) {
                String key = String.format("many/f%04d", i);
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket("fz-many").key(key), RequestBody.fromString(key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> names = lines(ok("ls " + mnt.resolve("fz-many/many")));
        assertThat(names).hasSize(1100).first().isEqualTo("f0000");
        assertThat(names).last().isEqualTo("f1099");
        assertThat(lines(ok("ls -l " + mnt.resolve("fz-many/many") + " | grep -c '^-rw'"))).containsExactly("1100");
    }

    @Test
    @Order(9)
    void concurrentReadersEachReadTheWholeFile() throws Exception {
        bucket("fz-readers");
        byte[] body = random(8 * MIB, 9);
        s3.putObject(b -> b.bucket("fz-readers").key("shared.bin"), RequestBody.fromBytes(body));
        String expected = sha256(body);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> reads = IntStream.range(0, 6).mapToObj(i -> pool.submit(() -> {
                try (InputStream in = Files.newInputStream(mnt.resolve("fz-readers/shared.bin"))) {
                    return sha256(in.readAllBytes());
                }
            })).toList();
            for (Future<String> read : reads) {
                assertThat(read.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @Order(10)
    void shellToolsWorkOnTheMount() throws Exception {
        bucket("fz-tools");
        Path src = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.write(src.resolve("one.bin"), random(200_000, 10));
        Files.writeString(src.getParent().resolve("two.txt"), "two\n");
        ok("cp -a " + src.getParent() + " " + mnt.resolve("fz-tools/cp-a"));
        ok("diff -r " + src.getParent() + " " + mnt.resolve("fz-tools/cp-a"));
        ok("tar cf " + tmp.resolve("t.tar") + " -C " + src.getParent() + " .");
        Files.createDirectory(mnt.resolve("fz-tools/untarred"));
        ok("tar xf " + tmp.resolve("t.tar") + " -C " + mnt.resolve("fz-tools/untarred"));
        ok("diff -r " + src.getParent() + " " + mnt.resolve("fz-tools/untarred"));
        if (sh("command -v rsync").exit() == 0) {
            ok("rsync -a " + src.getParent() + "/ " + mnt.resolve("fz-tools/rsynced") + "/");
            ok("diff -r " + src.getParent() + " " + mnt.resolve("fz-tools/rsynced"));
        }
        // An editor's safe save: write a temporary file, then rename it over the original.
        Files.writeString(mnt.resolve("fz-tools/doc.txt"), "draft\n");
        ok("printf 'final\\n' > " + mnt.resolve("fz-tools/.doc.txt.swp") + " && mv -f "
                + mnt.resolve("fz-tools/.doc.txt.swp") + " " + mnt.resolve("fz-tools/doc.txt"));
        assertThat(new String(s3Get("fz-tools", "doc.txt"))).isEqualTo("final\n");
        assertThat(lines(ok("ls -A " + mnt.resolve("fz-tools")))).doesNotContain(".doc.txt.swp");
    }

    @Test
    @Order(11)
    void statusReportsTheMountAndDfReportsTheLocalDisk() throws Exception {
        var status = new S3dAdmin(s3d.endpoint()).status();
        assertThat(status.getString("fuse.mountPoint")).isEqualTo(mnt.toString());
        assertThat(status.getBoolean("fuse.mounted")).isTrue();
        // RELEASE reaches s3d a moment after a program's close() returned
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> new S3dAdmin(s3d.endpoint()).status().getInt("fuse.openFiles") == 0);
        assertThat(ok("df -P " + mnt + " | tail -1")).startsWith("s3d ");
    }

    @Test
    @Order(12)
    void operationsAreCountedInTheMetrics() throws Exception {
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(s3d.endpoint() + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).containsPattern("s3d_fuse_operations_total\\{.*op=\"write\".*result=\"ok\".*\\} [1-9]");
    }

    @Test
    @Order(13)
    void aMountPointThatIsNotEmptyStopsStartUpNamingTheKey() throws Exception {
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("someone-elses.txt"), "x");
        assertThatThrownBy(() -> ServiceProcess.start(tmp.resolve("other-local"),
                Map.of("S3D_FUSE", "true", "S3D_FUSE_MOUNT_POINT", busy.toString())))
                .hasMessageContaining("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT)").hasMessageContaining("not empty");
        assertThat(FuseAvailable.isMounted(busy)).isFalse();
    }

    @Test
    @Order(14)
    void aMountPointInUseByAnotherS3dStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> ServiceProcess.start(tmp.resolve("second-local"),
                Map.of("S3D_FUSE", "true", "S3D_FUSE_MOUNT_POINT", mnt.toString())))
                .hasMessageContaining("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT)")
                .hasMessageContaining("already mounted");
        assertThat(FuseAvailable.isMounted(mnt)).as("the first s3d's mount stays").isTrue();
        assertThat(mnt.resolve("fz-files/cp.txt")).hasContent("copied with cp");
    }

    /**
     * The operator's layout: the mount point is itself a mount (a hostPath volume with Bidirectional
     * propagation). s3d mounts on top of it and, at shutdown, removes its own mount only.
     */
    @Test
    @Order(15)
    void aMountPointThatIsABindMountIsMountedOverAndLeftInPlace() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("host-path-volume"));
        assumeTrue(sh("mount -t tmpfs -o size=1m s3d-it-volume " + volume).exit() == 0, "cannot mount a tmpfs here");
        try {
            ServiceProcess second = ServiceProcess.start(tmp.resolve("third-local"),
                    Map.of("S3D_FUSE", "true", "S3D_FUSE_MOUNT_POINT", volume.toString()));
            try {
                FuseMounts.awaitMounted(volume);
                S3Client client = S3dAdmin.client(second.endpoint());
                client.createBucket(b -> b.bucket("on-a-volume"));
                Files.writeString(volume.resolve("on-a-volume/f.txt"), "over a bind mount");
                assertThat(new String(client.getObjectAsBytes(b -> b.bucket("on-a-volume").key("f.txt")).asByteArray()))
                        .isEqualTo("over a bind mount");
                client.close();
            } finally {
                second.close();
            }
            assertThat(FuseMounts.awaitUnmounted(volume, Duration.ofSeconds(5))).isTrue();
            assertThat(ok("grep ' " + volume + " ' /proc/mounts")).as("the volume itself stays mounted").contains("tmpfs");
        } finally {
            FuseMounts.forceUnmount(volume);
            sh("umount " + volume);
        }
    }

    @Test
    @Order(20)
    void aMountLeftByAKilledS3dIsClearedAtTheNextStart() throws Exception {
        bucket("fz-stale");
        Files.writeString(mnt.resolve("fz-stale/kept.txt"), "kept");
        s3d.kill();
        assertThat(FuseAvailable.isMounted(mnt)).as("SIGKILL leaves the mount behind").isTrue();
        assertThat(sh("ls " + mnt).output()).contains("not connected");
        s3d = startS3d();
        s3.close();
        s3 = S3dAdmin.client(s3d.endpoint());
        assertThat(s3d.log()).contains("stale mount");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(Files.readString(mnt.resolve("fz-stale/kept.txt"))).isEqualTo("kept"));
    }

    @Test
    @Order(21)
    void sigtermUnmounts() throws Exception {
        s3d.close();
        s3d = null;
        assertThat(FuseMounts.awaitUnmounted(mnt, Duration.ofSeconds(5))).as("no mount left in /proc/mounts").isTrue();
    }

    /**
     * SIGTERM while another program still has a file open for writing: s3d waits the grace for it
     * to be closed, then stores it as it is before the mount goes (it was lost with the lazy
     * unmount at once). A separate s3d, restarted on the same directory to read what was stored.
     */
    @Test
    void sigtermStoresAFileStillOpenForWriting() throws Exception {
        Path localTerm = tmp.resolve("local-term");
        Path mntTerm = tmp.resolve("mnt-term");
        ServiceProcess other = ServiceProcess.start(localTerm, Map.of("S3D_FUSE", "true", "S3D_FUSE_MOUNT_POINT",
                mntTerm.toString(), "S3D_WRITE_QUEUE_SHUTDOWN_GRACE", "2s"));
        Process writer = null;
        try {
            FuseMounts.awaitMounted(mntTerm);
            try (S3Client client = S3dAdmin.client(other.endpoint())) {
                client.createBucket(b -> b.bucket("term"));
            }
            writer = new ProcessBuilder("python3", "-c", """
                    import os, sys, time
                    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                    os.write(fd, b"written, never closed")
                    print("written", flush=True)
                    time.sleep(60)
                    """, mntTerm.resolve("term/unsaved.log").toString()).redirectErrorStream(true).start();
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(writer.getInputStream())).readLine())
                    .isEqualTo("written");
            long start = System.nanoTime();
            other.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped after the grace")
                    .isLessThan(Duration.ofSeconds(15));
            assertThat(FuseMounts.awaitUnmounted(mntTerm, Duration.ofSeconds(5))).as("no mount left").isTrue();
            assertThat(other.log()).contains("stored the 1 open for writing");
        } finally {
            if (writer != null) {
                writer.destroy();
                writer.waitFor();
            }
            other.close();
            FuseMounts.forceUnmount(mntTerm);
        }
        try (ServiceProcess again = ServiceProcess.start(localTerm, Map.of());
                S3Client client = S3dAdmin.client(again.endpoint())) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("term").key("unsaved.log")).asUtf8String())
                    .isEqualTo("written, never closed");
        }
    }
}
