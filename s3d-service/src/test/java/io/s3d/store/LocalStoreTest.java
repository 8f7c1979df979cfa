package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {
    @TempDir
    Path dir;
    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        store.createBucket("bucket");
    }

    private ObjectMeta put(String key, String content) {
        return put(key, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                content.getBytes(StandardCharsets.UTF_8).length);
    }

    private ObjectMeta put(String key, InputStream body, long length) {
        return store.putObject(new PutRequest("bucket", key, body, length, Optional.empty(), Map.of(), Map.of(),
                Map.of(), Map::of, WriteCondition.NONE));
    }

    private String read(String key) throws IOException {
        try (ObjectData data = store.getObject("bucket", key); InputStream in = data.open(0, data.meta().size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void hasKeysUnderSaysWhetherAnyKeyStartsWithADirectoryPrefix() {
        put("a/b/c.txt", "deep");
        put("marker-only/", "");
        put("ab", "beside, not under");
        String longSegment = "x".repeat(250); // stored under a hash
        put("h/" + longSegment + "/f", "hashed");
        assertThat(store.hasKeysUnder("bucket", "a/")).isTrue();
        assertThat(store.hasKeysUnder("bucket", "a/b/")).isTrue();
        assertThat(store.hasKeysUnder("bucket", "marker-only/")).as("its marker counts").isTrue();
        assertThat(store.hasKeysUnder("bucket", "h/" + longSegment + "/")).isTrue();
        assertThat(store.hasKeysUnder("bucket", "ab/")).as("a key, not a directory").isFalse();
        assertThat(store.hasKeysUnder("bucket", "a/b/c.txt/")).isFalse();
        assertThat(store.hasKeysUnder("bucket", "none/")).isFalse();
        store.deleteObject("bucket", "a/b/c.txt");
        assertThat(store.hasKeysUnder("bucket", "a/")).as("gone with its last key").isFalse();
    }

    @Test
    void concurrentCreatesOfOneBucketLeaveOneWinnerAndNoServerError() throws Exception {
        // The write queue creates its staging bucket on a bucket's first writes, often several at once.
        for (int round = 0; round < 20; round++) {
            String bucket = "race-" + round;
            List<Thread> threads = new ArrayList<>();
            List<Object> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int t = 0; t < 6; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        store.createBucket(bucket);
                        outcomes.add("created");
                    } catch (S3Exception e) {
                        outcomes.add(e.code());
                    } catch (Exception e) {
                        outcomes.add(e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(outcomes).containsOnly("created", "BucketAlreadyOwnedByYou").containsOnlyOnce("created");
            assertThat(store.headBucket(bucket).name()).isEqualTo(bucket);
        }
        try (Stream<Path> leftovers = Files.list(store.tmpDir())) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void usedBytesWhileFilesComeAndGo() throws Exception {
        // The write queue keeps its journal under the local dir: files vanish while status walks it.
        Path churn = Files.createDirectories(dir.resolve(".queue").resolve("journal"));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churner = Thread.ofPlatform().start(() -> {
            for (long n = 0; !stop.get(); n++) {
                try {
                    Files.write(churn.resolve(n + ".item"), new byte[100]);
                    Files.deleteIfExists(churn.resolve((n - 50) + ".item"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                assertThat(store.usedBytes()).isNotNegative();
            }
        } finally {
            stop.set(true);
            churner.join();
        }
    }

    @Test
    void failedWriteLeavesThePreviousVersionAndNoTemporaryFile() throws IOException {
        put("k", "old");
        InputStream failing = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 1000) {
                    throw new IOException("client went away");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> put("k", failing, 5000)).hasRootCauseMessage("client went away");
        assertThatThrownBy(() -> put("k", new ByteArrayInputStream(new byte[10]), 20)).isInstanceOf(S3Exception.class);
        assertThat(read("k")).isEqualTo("old");
        try (Stream<Path> leftovers = Files.list(store.tmpDir())) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void aBucketPolicyIsAFileBesideTheBucketThatOutlivesARestartAndGoesWithTheBucket() throws IOException {
        byte[] policy = "{\"Statement\": []}".getBytes(StandardCharsets.UTF_8);
        assertThat(store.bucketPolicy("bucket")).isEmpty();
        store.putBucketPolicy("bucket", policy);
        assertThat(Files.readAllBytes(dir.resolve("bucket").resolve(LocalStore.POLICY_FILE))).isEqualTo(policy);
        assertThat(store.bucketPolicy("bucket")).hasValueSatisfying(p -> assertThat(p).isEqualTo(policy));
        assertThat(store.listObjects("bucket", new ListRequest("", null, "", 1000)).objects()).isEmpty();
        LocalStore reopened = LocalStore.open(dir, "us-east-1", 10_000, 0);
        assertThat(reopened.bucketPolicy("bucket")).hasValueSatisfying(p -> assertThat(p).isEqualTo(policy));
        reopened.deleteBucketPolicy("bucket");
        assertThat(reopened.bucketPolicy("bucket")).isEmpty();
        assertThat(dir.resolve("bucket").resolve(LocalStore.POLICY_FILE)).doesNotExist();
        reopened.deleteBucketPolicy("bucket");
        reopened.putBucketPolicy("bucket", policy);
        reopened.deleteBucket("bucket");
        reopened.createBucket("bucket");
        assertThat(reopened.bucketPolicy("bucket")).isEmpty();
        assertThatThrownBy(() -> reopened.putBucketPolicy("missing", policy)).isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.errorCode()).isEqualTo(io.s3d.backend.S3ErrorCode.NO_SUCH_BUCKET));
    }

    @Test
    void crashLeftoversAreCleanedAtStartUp() throws IOException {
        put("k", "kept");
        Files.writeString(store.tmpDir().resolve("put-crashed"), "half an object");
        LocalStore reopened = LocalStore.open(dir, "us-east-1", 10_000, 0);
        try (Stream<Path> leftovers = Files.list(reopened.tmpDir())) {
            assertThat(leftovers).isEmpty();
        }
        assertThat(reopened.headObject("bucket", "k").size()).isEqualTo(4);
    }

    @Test
    void readersKeepTheVersionTheyOpened() throws IOException {
        put("k", "first version");
        try (ObjectData data = store.getObject("bucket", "k")) {
            put("k", "second, longer version");
            try (InputStream in = data.open(0, data.meta().size())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first version");
            }
            assertThat(data.stableFile()).isEmpty();
        }
        try (ObjectData data = store.getObject("bucket", "k")) {
            Path stable = data.stableFile().orElseThrow();
            put("k", "third");
            assertThat(Files.size(stable)).isGreaterThan(data.meta().size());
            assertThat(new String(Files.readAllBytes(stable), StandardCharsets.UTF_8)).startsWith("second, longer version");
        }
    }

    @Test
    void abandonedMultipartUploadsAreRemovedAfterTheirMaxAge() throws IOException {
        String old = store.createMultipartUpload(new io.s3d.backend.MultipartBackend.UploadSpec("bucket", "old",
                Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty()));
        String fresh = store.createMultipartUpload(new io.s3d.backend.MultipartBackend.UploadSpec("bucket", "fresh",
                Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty()));
        store.uploadPart("bucket", "old", old, 1, new ByteArrayInputStream(new byte[10]), 10, Optional.empty(), Map::of);
        Files.setLastModifiedTime(dir.resolve(".uploads").resolve(old),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofHours(25))));
        assertThat(store.removeAbandonedUploads(java.time.Duration.ofHours(24))).isEqualTo(1);
        assertThatThrownBy(() -> store.listParts("bucket", "old", old, 0, 1000)).isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.code()).isEqualTo("NoSuchUpload"));
        assertThat(store.listParts("bucket", "fresh", fresh, 0, 1000).parts()).isEmpty();
    }

    @Test
    void objectAndPrefixCanShareAName() throws IOException {
        put("a", "object a");
        put("a/b", "object a/b");
        put("a/", "object a/");
        assertThat(read("a")).isEqualTo("object a");
        assertThat(read("a/b")).isEqualTo("object a/b");
        assertThat(read("a/")).isEqualTo("object a/");
        store.deleteObject("bucket", "a/b");
        store.deleteObject("bucket", "a/");
        assertThat(read("a")).isEqualTo("object a");
        assertThat(Files.exists(dir.resolve("bucket").resolve("a.d"))).isFalse();
    }

    @Test
    void concurrentWritesAndDeletesInOneDirectoryNeverFail() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            keys.add("shared/dir/k" + i);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            for (int round = 0; round < 3; round++) {
                List<java.util.concurrent.Future<?>> work = new ArrayList<>();
                for (String key : keys) {
                    work.add(pool.submit(() -> put(key, key)));
                }
                for (var future : work) {
                    future.get();
                }
                work.clear();
                for (String key : keys) {
                    work.add(pool.submit(() -> store.deleteObject("bucket", key)));
                }
                for (var future : work) {
                    future.get();
                }
                assertThat(store.listObjects("bucket", new ListRequest("", null, "", 1000)).objects()).isEmpty();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(Files.exists(dir.resolve("bucket").resolve("shared.d"))).isFalse();
    }

    @Test
    void listingMatchesASortedModelForRandomKeys() {
        Random random = new Random(42);
        String[] alphabet = { "a", "b", "/", "-", ".", "é", "\uD83D\uDE00", "\uFFFD", "z", "%", " " };
        TreeSet<String> model = new TreeSet<>((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 600; i++) {
            StringBuilder key = new StringBuilder();
            int length = 1 + random.nextInt(8);
            for (int j = 0; j < length; j++) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            model.add(key.toString());
            put(key.toString(), "v");
        }
        for (String prefix : List.of("", "a", "a/", "/", "é", "b-")) {
            for (String delimiter : new String[] { null, "/", "-", "a/" }) {
                for (int pageSize : new int[] { 7, 1000 }) {
                    List<String> actual = listAll(prefix, delimiter, pageSize);
                    List<String> wanted = expected(model, prefix, delimiter);
                    int first = 0;
                    while (first < Math.min(actual.size(), wanted.size()) && actual.get(first).equals(wanted.get(first))) {
                        first++;
                    }
                    assertThat(first).as("prefix '%s' delimiter '%s' page %d: first difference at %d: actual %s, expected %s",
                            prefix, delimiter, pageSize, first,
                            actual.subList(Math.max(0, first - 2), Math.min(actual.size(), first + 3)),
                            wanted.subList(Math.max(0, first - 2), Math.min(wanted.size(), first + 3)))
                            .isEqualTo(Math.max(actual.size(), wanted.size()));
                }
            }
        }
    }

    private List<String> listAll(String prefix, String delimiter, int pageSize) {
        List<String> out = new ArrayList<>();
        String after = "";
        while (true) {
            ListPage page = store.listObjects("bucket", new ListRequest(prefix, delimiter, after, pageSize));
            List<String> entries = new ArrayList<>();
            page.objects().forEach(o -> entries.add(o.key()));
            entries.addAll(page.commonPrefixes());
            entries.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                    y.getBytes(StandardCharsets.UTF_8)));
            out.addAll(entries);
            if (!page.truncated()) {
                return out;
            }
            after = page.nextStartAfter();
        }
    }

    private static List<String> expected(TreeSet<String> model, String prefix, String delimiter) {
        List<String> out = new ArrayList<>();
        for (String key : model) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
            String entry = at < 0 ? key : key.substring(0, at + delimiter.length());
            if (out.isEmpty() || !out.get(out.size() - 1).equals(entry)) {
                out.add(entry);
            }
        }
        return out;
    }

    /** Issue 14: CreateMultipartUpload failing on a full disk left its staging directory behind. */
    @Test
    void aFailedCreateMultipartUploadOnAFullDiskLeavesNoStagingDirectory(@TempDir Path mount) throws Exception {
        Process tmpfs = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(tmpfs.waitFor() == 0, "cannot mount a small tmpfs (not root?)");
        try {
            LocalStore full = LocalStore.open(mount.resolve("store"), "us-east-1", 10_000, 0);
            full.createBucket("full-disk");
            try (var out = Files.newOutputStream(mount.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException diskFull) {
                assertThat(diskFull.getMessage()).contains("No space left");
            }
            assertThatThrownBy(() -> full.createMultipartUpload(new io.s3d.backend.MultipartBackend.UploadSpec("full-disk",
                    "k", Map.of("content-type", "text/plain"), Map.of("m", "x".repeat(2000)), Map.of(),
                    Optional.empty(), Optional.empty()))).hasStackTraceContaining("No space left");
            try (Stream<Path> left = Files.walk(full.tmpDir())) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("upload-"));
            }
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }
}
