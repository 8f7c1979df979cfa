package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.s3d.bench.wan.CutMode;
import io.s3d.fuse.FuseAvailable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The FUSE mount of a gateway with the write queue and the read cache on, in front of a real S3
 * server (S3Proxy): a file written through the mount is queued like an S3 PUT and reaches the
 * remote with the queue's flush; objects already on the remote read as files through the read
 * cache, whole or at random offsets.
 */
class FuseGatewayIT {
    @TempDir
    static Path tmp;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client direct;
    private static S3dAdmin admin;
    private static Path mnt;

    @BeforeAll
    static void start() throws Exception {
        FuseAvailable.assumeFuse();
        remote = RemoteS3.start();
        mnt = tmp.resolve("mnt");
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_READ_CACHE", "true");
        env.put("S3D_READ_CACHE_BLOCK_SIZE", "256K");
        // Objects replaced behind s3d's back are seen by new opens once the cached copy is revalidated:
        // a short max-age lets the tests wait for that instead of relying on a failed block fetch.
        env.put("S3D_READ_CACHE_MAX_AGE", "2s");
        env.put("S3D_FUSE", "true");
        env.put("S3D_FUSE_MOUNT_POINT", mnt.toString());
        s3d = ServiceProcess.start(tmp.resolve("local"), env);
        FuseMounts.awaitMounted(mnt);
        direct = remote.directClient();
        admin = new S3dAdmin(s3d.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (direct != null) {
                direct.close();
            }
            if (s3d != null) {
                s3d.close();
            }
            if (remote != null) {
                remote.close();
            }
        } finally {
            FuseMounts.forceUnmount(mnt);
        }
    }

    @Test
    void aFileWrittenThroughTheMountReachesTheRemoteAfterAFlush() throws Exception {
        String bucket = "fuse-gw-write";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(body);
        Path file = mnt.resolve(bucket).resolve("reports/q3.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, body);

        assertThat(Files.readAllBytes(file)).as("read back through the mount before the push").isEqualTo(body);
        admin.flushed(bucket, Duration.ofSeconds(60));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("reports/q3.bin")).asByteArray()).isEqualTo(body);
        assertThat(admin.status().getBoolean("fuse.mounted")).isTrue();
    }

    /** chmod, utimens, symlinks and xattrs made through the mount reach the remote in s3fs's metadata names. */
    @Test
    void attributesSymlinksAndXattrsReachTheRemoteAsUserMetadata() throws Exception {
        String bucket = "fuse-gw-attrs";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("remote.sh"), RequestBody.fromString("#!/bin/sh\necho hi\n"));
        Path script = mnt.resolve(bucket).resolve("remote.sh");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(script, java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(1_600_000_000)));
        Files.createSymbolicLink(mnt.resolve(bucket).resolve("link"), Path.of("remote.sh"));
        java.nio.file.attribute.UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(script,
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        xattrs.write("color", ByteBuffer.wrap("blue".getBytes()));

        admin.flushed(bucket, Duration.ofSeconds(60));
        Map<String, String> meta = direct.headObject(b -> b.bucket(bucket).key("remote.sh")).metadata();
        assertThat(meta).containsEntry("mode", "33256").containsEntry("mtime", "1600000000").containsKey("xattr");
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("remote.sh")).asUtf8String())
                .as("the bytes are kept").isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(direct.headObject(b -> b.bucket(bucket).key("link")).metadata()).containsEntry("mode", "41471");
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("link")).asUtf8String()).isEqualTo("remote.sh");
        assertThat(Files.readSymbolicLink(mnt.resolve(bucket).resolve("link"))).isEqualTo(Path.of("remote.sh"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
                .isEqualTo("rwxr-x---");
    }

    @Test
    void anUnreachableRemoteIsAnIoErrorThatTheLogExplains() throws Exception {
        String bucket = "fuse-gw-cut";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("never-read.txt"), RequestBody.fromString("remote only"));
        remote.link().cut(CutMode.RESET);
        try {
            assertThatThrownBy(() -> Files.readAllBytes(mnt.resolve(bucket).resolve("never-read.txt")))
                    .isInstanceOf(IOException.class).hasMessageContaining("Input/output error");
        } finally {
            remote.link().restore();
        }
        assertThat(s3d.log()).contains("FUSE").contains("/fuse-gw-cut").contains("unreachable");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Files.readString(mnt.resolve(bucket).resolve("never-read.txt"))).isEqualTo("remote only"));
    }

    /**
     * A reader is pinned to the version it opened even when the remote object is replaced behind
     * s3d's back: it gets the old version's bytes, or an I/O error once they cannot be had any
     * more, but never a mix of both versions.
     */
    @Test
    void aReaderNeverMixesTwoVersionsOfARemoteObject() throws Exception {
        String bucket = "fuse-gw-pin";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] v1 = new byte[4 * 1024 * 1024];
        new Random(21).nextBytes(v1);
        byte[] v2 = new byte[4 * 1024 * 1024];
        new Random(22).nextBytes(v2);
        direct.putObject(b -> b.bucket(bucket).key("pinned.bin"), RequestBody.fromBytes(v1));
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        IOException failure = null;
        try (java.io.InputStream in = Files.newInputStream(mnt.resolve(bucket).resolve("pinned.bin"))) {
            got.write(in.readNBytes(512 * 1024));
            direct.putObject(b -> b.bucket(bucket).key("pinned.bin"), RequestBody.fromBytes(v2));
            in.transferTo(got);
        } catch (IOException e) {
            failure = e;
        }
        byte[] read = got.toByteArray();
        assertThat(read).as("bytes read before any error are the opened version's")
                .isEqualTo(Arrays.copyOf(v1, read.length));
        if (failure == null) {
            assertThat(read).hasSize(v1.length);
        } else {
            assertThat(failure).hasMessageContaining("Input/output error");
        }
        // a new open sees the new version once max-age (2 s here) has passed and the copy is revalidated
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                Files.readAllBytes(mnt.resolve(bucket).resolve("pinned.bin"))).isEqualTo(v2));
    }

    @Test
    void objectsOnTheRemoteReadAsFiles() throws Exception {
        String bucket = "fuse-gw-read";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] body = new byte[2 * 1024 * 1024];
        new Random(12).nextBytes(body);
        direct.putObject(b -> b.bucket(bucket).key("remote/only.bin"), RequestBody.fromBytes(body));
        Path file = mnt.resolve(bucket).resolve("remote/only.bin");
        assertThat(Files.size(file)).isEqualTo(body.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(body);
        assertThat(FuseMounts.ok("sha256sum " + file)).startsWith(FuseMounts.sha256(body));
        assertThat(admin.objectStatus(bucket, "remote/only.bin").getString("state")).isEqualTo("cached");

        byte[] big = new byte[5 * 1024 * 1024];
        new Random(13).nextBytes(big);
        direct.putObject(b -> b.bucket(bucket).key("remote/random.bin"), RequestBody.fromBytes(big));
        Random offsets = new Random(14);
        try (FileChannel ch = FileChannel.open(mnt.resolve(bucket).resolve("remote/random.bin"))) {
            for (int i = 0; i < 20; i++) {
                int offset = offsets.nextInt(big.length - 4096);
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                    // until full
                }
                assertThat(buf.array()).as("4096 bytes at %d", offset)
                        .isEqualTo(Arrays.copyOfRange(big, offset, offset + 4096));
            }
        }
    }
}
