package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small change of a large file stores only the parts it touched: the file (22 MiB here, parts of
 * 5 MiB from 10 MiB on) is staged lazily at open, and its close uploads the changed parts and
 * copies the others from the version opened (UploadPartCopy, conditional on its ETag). What the
 * store holds afterwards is compared byte for byte (SHA-256) with what a local file would hold;
 * what the mount sent and read is counted at the store's interface.
 */
class FusePatchMountTest {
    private static final int MIB = 1024 * 1024;
    private static final long PART = 5L * MIB;
    private static final int SIZE = 22 * MIB + 123;

    @TempDir
    Path dir;

    private LocalMount mount;
    private final AtomicLong uploaded = new AtomicLong();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong copies = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private byte[] original;

    @BeforeEach
    void mount() throws Exception {
        mount = new LocalMount(dir, this::counting, new PartialRewrites(10L * MIB, PART));
        mount.store().createBucket("big");
        original = new byte[SIZE];
        new Random(20).nextBytes(original);
        put("data.bin", original, Map.of("Content-Type", "application/x-test"),
                Map.of("mode", "33261", "color", "blue"));
    }

    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
        }
    }

    @Test
    void patchingFourKibInTheMiddleUploadsOnePartAndCopiesTheRest() throws Exception {
        byte[] expected = original.clone();
        byte[] patch = bytes(4096, 1);
        long at = 11L * MIB + 100;
        System.arraycopy(patch, 0, expected, (int) at, patch.length);
        ObjectMeta before = mount.store().headObject("big", "data.bin");

        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.WRITE)) {
            assertThat(read.get()).as("bytes read from the store by opening the file for writing").isZero();
            write(ch, patch, at);
        }

        assertStored("data.bin", expected);
        assertThat(uploaded.get()).as("bytes sent: the one part holding the change").isEqualTo(PART);
        assertThat(copied.get()).as("bytes copied from the version opened").isEqualTo(SIZE - PART);
        assertThat(copies.get()).isEqualTo(4);
        assertThat(read.get()).as("bytes read from the store: the rest of the changed part only")
                .isEqualTo(PART - patch.length);
        assertThat(mount.rewrites().copiedBytes()).isEqualTo(SIZE - PART);
        assertThat(mount.rewrites().uploadedBytes()).isEqualTo(PART);
        ObjectMeta after = mount.store().headObject("big", "data.bin");
        assertThat(after.etag()).as("a multipart ETag of 5 parts").endsWith("-5").isNotEqualTo(before.etag());
        assertThat(after.contentHeaders()).containsEntry("Content-Type", "application/x-test");
        assertThat(after.userMetadata()).containsEntry("mode", "33261").containsEntry("color", "blue")
                .containsKey("mtime");
        assertThat(Files.getPosixFilePermissions(mount.path("big/data.bin")))
                .as("the mode kept").contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void readsOfAFileOpenForWritingSeeTheVersionOpenedAndTheChanges() throws Exception {
        byte[] expected = original.clone();
        byte[] patch = bytes(10_000, 2);
        System.arraycopy(patch, 0, expected, 7 * MIB, patch.length);
        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            write(ch, patch, 7L * MIB);
            ByteBuffer some = ByteBuffer.allocate(3 * MIB);
            readFully(ch, some, 6L * MIB);
            assertThat(some.array()).isEqualTo(Arrays.copyOfRange(expected, 6 * MIB, 9 * MIB));
            assertThat(read.get()).as("a read fetches the blocks around it, not the file").isLessThan(5L * MIB);
            ByteBuffer all = ByteBuffer.allocate(SIZE);
            readFully(ch, all, 0);
            assertThat(sha256(all.array())).isEqualTo(sha256(expected));
        }
        assertStored("data.bin", expected);
        assertThat(uploaded.get()).isEqualTo(PART);
    }

    @Test
    void appendingUploadsOnlyTheLastPart() throws Exception {
        byte[] tail = bytes(1000, 3);
        byte[] expected = Arrays.copyOf(original, SIZE + tail.length);
        System.arraycopy(tail, 0, expected, SIZE, tail.length);

        Files.write(mount.path("big/data.bin"), tail, StandardOpenOption.APPEND);

        assertStored("data.bin", expected);
        assertThat(copied.get()).isEqualTo(4 * PART);
        assertThat(uploaded.get()).isEqualTo(expected.length - 4 * PART);
    }

    @Test
    void aChangeRunningPastTheEndOfTheLastPartialPart() throws Exception {
        byte[] patch = bytes(100, 4);
        byte[] expected = Arrays.copyOf(original, SIZE + 50);
        System.arraycopy(patch, 0, expected, SIZE - 50, patch.length);

        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.WRITE)) {
            write(ch, patch, SIZE - 50);
        }

        assertStored("data.bin", expected);
        assertThat(copied.get()).isEqualTo(4 * PART);
        assertThat(uploaded.get()).isEqualTo(expected.length - 4 * PART);
    }

    @Test
    void twoChangesUploadTheirTwoParts() throws Exception {
        byte[] one = bytes(4096, 5);
        byte[] two = bytes(4096, 6);
        byte[] expected = original.clone();
        System.arraycopy(one, 0, expected, MIB, one.length);
        System.arraycopy(two, 0, expected, 16 * MIB, two.length);

        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.WRITE)) {
            write(ch, one, MIB);
            write(ch, two, 16L * MIB);
        }

        assertStored("data.bin", expected);
        assertThat(uploaded.get()).isEqualTo(2 * PART);
        assertThat(copied.get()).isEqualTo(SIZE - 2 * PART);
    }

    @Test
    void aSecondChangeAfterFsyncStartsFromTheVersionTheFirstStored() throws Exception {
        byte[] one = bytes(4096, 7);
        byte[] two = bytes(4096, 8);
        byte[] expected = original.clone();
        System.arraycopy(one, 0, expected, 2 * MIB, one.length);
        System.arraycopy(two, 0, expected, 21 * MIB, two.length);

        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.WRITE)) {
            write(ch, one, 2L * MIB);
            ch.force(true);
            byte[] afterFirst = original.clone();
            System.arraycopy(one, 0, afterFirst, 2 * MIB, one.length);
            assertStored("data.bin", afterFirst);
            write(ch, two, 21L * MIB);
        }

        assertStored("data.bin", expected);
        assertThat(uploaded.get()).as("each store sent the part it changed").isEqualTo(PART + SIZE - 4 * PART);
        assertThat(copies.get()).isEqualTo(8);
    }

    @Test
    void anObjectReplacedBehindTheMountsBackIsOverwrittenWithTheFileAsTheWriterSawIt() throws Exception {
        byte[] patch = bytes(4096, 9);
        byte[] expected = original.clone();
        System.arraycopy(patch, 0, expected, 3 * MIB, patch.length);
        byte[] other = bytes(SIZE, 10);

        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.WRITE)) {
            write(ch, patch, 3L * MIB);
            put("data.bin", other, Map.of(), Map.of());
        }

        // As for any file open for writing: the last store wins, and it is the writer's whole file
        // (the version it opened, with its change), never parts of the object put meanwhile.
        assertStored("data.bin", expected);
        assertThat(mount.store().headObject("big", "data.bin").etag()).doesNotContain("-");
        assertThat(mount.rewrites().copiedBytes()).isZero();
        assertThat(uploaded.get()).as("the whole file, after the copies were refused").isEqualTo(SIZE);
    }

    @Test
    void aFileCutBelowTheThresholdIsStoredWhole() throws Exception {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(mount.path("big/data.bin").toFile(), "rw")) {
            file.setLength(3L * MIB);
            file.seek(MIB);
            file.write(bytes(10, 11));
            file.setLength(4L * MIB);
        }
        byte[] expected = Arrays.copyOf(original, 4 * MIB);
        Arrays.fill(expected, 3 * MIB, 4 * MIB, (byte) 0);
        System.arraycopy(bytes(10, 11), 0, expected, MIB, 10);

        assertStored("data.bin", expected);
        assertThat(copies.get()).isZero();
        assertThat(uploaded.get()).isEqualTo(4L * MIB);
    }

    @Test
    void aFileTruncatedAndExtendedReadsZerosWhereItWasCut() throws Exception {
        byte[] expected = Arrays.copyOf(original, SIZE);
        Arrays.fill(expected, 12 * MIB, SIZE, (byte) 0);
        try (FileChannel ch = FileChannel.open(mount.path("big/data.bin"), StandardOpenOption.WRITE)) {
            ch.truncate(12L * MIB);
            write(ch, new byte[1], SIZE - 1);
        }

        assertStored("data.bin", expected);
        assertThat(copied.get()).as("the first two parts are the version opened").isEqualTo(2 * PART);
    }

    private void assertStored(String key, byte[] expected) throws Exception {
        try (ObjectData data = mount.store().getObject("big", key); InputStream in = data.open(0, data.meta().size())) {
            byte[] stored = in.readAllBytes();
            assertThat(stored.length).isEqualTo(expected.length);
            assertThat(sha256(stored)).as("SHA-256 of the stored object").isEqualTo(sha256(expected));
        }
    }

    private void put(String key, byte[] body, Map<String, String> headers, Map<String, String> metadata) {
        mount.store().putObject(new PutRequest("big", key, new ByteArrayInputStream(body), body.length,
                Optional.empty(), headers, metadata, Map.of(), Map::of, WriteCondition.NONE));
    }

    private static void write(FileChannel ch, byte[] bytes, long at) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at) throws Exception {
        while (into.hasRemaining()) {
            if (ch.read(into, at + into.position()) < 0) {
                throw new java.io.EOFException("at " + (at + into.position()));
            }
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The store, counting what the mount sends (bodies and copies) and reads of it. */
    private ObjectBackend counting(ObjectBackend real) {
        return (ObjectBackend) Proxy.newProxyInstance(ObjectBackend.class.getClassLoader(),
                new Class<?>[] {ObjectBackend.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "putObject" -> uploaded.addAndGet(((PutRequest) args[0]).contentLength());
                        case "uploadPart" -> uploaded.addAndGet((Long) args[5]);
                        default -> {
                        }
                    }
                    Object result = call(method, real, args);
                    if (method.getName().equals("uploadPartCopy")) {
                        long[] range = ((CopySource) args[4]).range().orElseThrow();
                        copied.addAndGet(range[1] - range[0] + 1);
                        copies.incrementAndGet();
                    }
                    return result instanceof ObjectData data ? countingReads(data) : result;
                });
    }

    private ObjectData countingReads(ObjectData real) {
        return (ObjectData) Proxy.newProxyInstance(ObjectData.class.getClassLoader(),
                new Class<?>[] {ObjectData.class}, (proxy, method, args) -> {
                    Object result = call(method, real, args);
                    if (method.getName().equals("open")) {
                        long length = (Long) args[1];
                        return new java.io.FilterInputStream((InputStream) result) {
                            @Override
                            public int read(byte[] b, int off, int len) throws java.io.IOException {
                                int n = super.read(b, off, len);
                                if (n > 0) {
                                    read.addAndGet(n);
                                }
                                return n;
                            }

                            @Override
                            public int read() throws java.io.IOException {
                                int n = super.read();
                                if (n >= 0) {
                                    read.incrementAndGet();
                                }
                                return n;
                            }
                        };
                    }
                    return result;
                });
    }

    private static Object call(java.lang.reflect.Method method, Object real, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
