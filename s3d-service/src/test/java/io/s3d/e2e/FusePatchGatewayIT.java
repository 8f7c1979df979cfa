package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.fuse.FuseAvailable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A small change of a large remote file through the mount of a gateway (read cache on, write queue
 * off) in front of a real S3 server (S3Proxy): only the part holding the change goes up, the other
 * parts are copied on the remote from the version opened (UploadPartCopy with
 * x-amz-copy-source-if-match), and nothing but that part's other bytes comes down.
 */
class FusePatchGatewayIT {
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 22 * MIB + 123;

    @TempDir
    static Path tmp;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client direct;
    private static S3Client s3;
    private static S3dAdmin admin;
    private static Path mnt;

    @BeforeAll
    static void start() throws Exception {
        FuseAvailable.assumeFuse();
        remote = RemoteS3.start();
        mnt = tmp.resolve("mnt");
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_READ_CACHE", "true");
        env.put("S3D_READ_CACHE_BLOCK_SIZE", "256K");
        env.put("S3D_REMOTE_MULTIPART_THRESHOLD", "10M");
        env.put("S3D_REMOTE_PART_SIZE", "5M");
        env.put("S3D_FUSE", "true");
        env.put("S3D_FUSE_MOUNT_POINT", mnt.toString());
        s3d = ServiceProcess.start(tmp.resolve("local"), env);
        FuseMounts.awaitMounted(mnt);
        direct = remote.directClient();
        s3 = S3dAdmin.client(s3d.endpoint());
        admin = new S3dAdmin(s3d.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (AutoCloseable c : new AutoCloseable[] {s3, direct, s3d, remote}) {
                if (c != null) {
                    c.close();
                }
            }
        } finally {
            FuseMounts.forceUnmount(mnt);
        }
    }

    @Test
    void patchingFourKibOfARemoteFileSendsOnePartAndCopiesTheRestOnTheRemote() throws Exception {
        String bucket = "fuse-patch";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] original = random(SIZE, 31);
        direct.putObject(b -> b.bucket(bucket).key("disk.img").contentType("application/x-test")
                .metadata(Map.of("color", "blue")), RequestBody.fromBytes(original));
        byte[] patch = random(4096, 32);
        byte[] expected = original.clone();
        System.arraycopy(patch, 0, expected, 11 * MIB + 100, patch.length);
        double copiedBefore = stored("copied");
        double uploadedBefore = stored("uploaded");

        try (FileChannel ch = FileChannel.open(mnt.resolve(bucket).resolve("disk.img"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(patch), 11L * MIB + 100);
        }

        String want = FuseMounts.sha256(expected);
        assertThat(FuseMounts.sha256(s3.getObjectAsBytes(b -> b.bucket(bucket).key("disk.img")).asByteArray()))
                .as("SHA-256 through s3d's S3 API").isEqualTo(want);
        assertThat(FuseMounts.sha256(direct.getObjectAsBytes(b -> b.bucket(bucket).key("disk.img")).asByteArray()))
                .as("SHA-256 on the remote").isEqualTo(want);
        var head = direct.headObject(b -> b.bucket(bucket).key("disk.img"));
        assertThat(head.eTag()).as("a multipart ETag of 5 parts").endsWith("-5\"");
        assertThat(head.contentType()).isEqualTo("application/x-test");
        assertThat(head.metadata()).containsEntry("color", "blue").containsKey("mtime");
        assertThat(stored("uploaded") - uploadedBefore).as("bytes sent: the part holding the change")
                .isEqualTo(5.0 * MIB);
        assertThat(stored("copied") - copiedBefore).as("bytes copied on the remote").isEqualTo(SIZE - 5.0 * MIB);
    }

    /**
     * The remote object replaced between open and close: the copies' condition fails, and the file
     * is stored whole from the version opened when its bytes can still be had (the read cache), or
     * the close answers EIO and the remote keeps the other version — never a mix of both.
     */
    @Test
    void anObjectReplacedOnTheRemoteWhileOpenIsNeverMixed() throws Exception {
        String bucket = "fuse-patch-race";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] v1 = random(SIZE, 41);
        byte[] v2 = random(SIZE, 42);
        direct.putObject(b -> b.bucket(bucket).key("race.bin"), RequestBody.fromBytes(v1));
        byte[] patch = random(4096, 43);
        byte[] v1Patched = v1.clone();
        System.arraycopy(patch, 0, v1Patched, 3 * MIB, patch.length);

        IOException failure = null;
        try (FileChannel ch = FileChannel.open(mnt.resolve(bucket).resolve("race.bin"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(patch), 3L * MIB);
            direct.putObject(b -> b.bucket(bucket).key("race.bin"), RequestBody.fromBytes(v2));
        } catch (IOException e) {
            failure = e;
        }

        String onRemote = FuseMounts.sha256(direct.getObjectAsBytes(b -> b.bucket(bucket).key("race.bin"))
                .asByteArray());
        if (failure == null) {
            assertThat(onRemote).as("stored whole: the version opened with the change").isEqualTo(
                    FuseMounts.sha256(v1Patched));
        } else {
            assertThat(failure).hasMessageContaining("Input/output error");
            assertThat(onRemote).as("the other writer's version, untouched").isEqualTo(FuseMounts.sha256(v2));
            assertThat(s3d.log()).contains("race.bin");
        }
    }

    /** The {@code s3d_fuse_stored_bytes_total} series of {@code how}. */
    private static double stored(String how) {
        String metrics = admin.get("/q/metrics").body();
        Matcher m = Pattern.compile("(?m)^s3d_fuse_stored_bytes_total\\{[^}]*how=\"" + how + "\"[^}]*\\} (\\S+)$")
                .matcher(metrics);
        assertThat(m.find()).as("s3d_fuse_stored_bytes_total{how=%s} on /q/metrics", how).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
