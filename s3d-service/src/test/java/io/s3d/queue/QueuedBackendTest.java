package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.ObjectData;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queued backend's write path with concurrent writers of one key. The remote is a local store
 * (s3d's own backend, nothing hand-written); bodies are streams the test holds open with a latch.
 */
class QueuedBackendTest {
    private static final long SOON_S = 5;

    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<WriteQueue> opened = new ArrayList<>();
    private WriteQueue queue;
    private QueuedBackend backend;

    @BeforeEach
    void open() throws IOException {
        LocalStore remote = LocalStore.open(dir.resolve("remote"), "us-east-1", 1000, 0);
        remote.createBucket("bucket");
        queue = WriteQueue.open(dir.resolve("queue"), new WriteQueue.Limits(1L << 30, 10_000, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMillis(50)), Clock.systemUTC());
        opened.add(queue);
        LocalStore staged = LocalStore.open(dir.resolve("queue/objects"), "us-east-1", 1000, 0);
        backend = new QueuedBackend(remote, staged, queue, QueueFilter.parse(""), new KeyLocks(),
                new RemoteBuckets(remote, Clock.systemUTC()));
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        opened.forEach(WriteQueue::close);
    }

    /** A body that sends its first half, then waits for {@code rest} before sending the second. */
    private static InputStream heldBody(String content, CountDownLatch started, CountDownLatch rest) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        int half = bytes.length / 2;
        InputStream second = new InputStream() {
            private InputStream tail;

            @Override
            public int read() throws IOException {
                return tail().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return tail().read(b, off, len);
            }

            private InputStream tail() throws IOException {
                if (tail == null) {
                    started.countDown();
                    try {
                        rest.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    tail = new ByteArrayInputStream(bytes, half, bytes.length - half);
                }
                return tail;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(bytes, 0, half), second);
    }

    private static PutRequest put(String key, String content, InputStream body) {
        return new PutRequest("bucket", key, body, content.getBytes(StandardCharsets.UTF_8).length, Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE);
    }

    private static PutRequest put(String key, String content) {
        return put(key, content, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private String read(String key) throws IOException {
        try (ObjectData data = backend.getObject("bucket", key); InputStream in = data.open(0, data.meta().size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPutOfAKeyDoesNotWaitForAnotherPutsBodyAndTheLastToCompleteWins() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(1);
        String slow = "the slow writer's version, ".repeat(100);
        Future<?> first = threads.submit(() -> backend.putObject(put("k", slow, heldBody(slow, started, rest))));
        assertThat(started.await(SOON_S, TimeUnit.SECONDS)).isTrue();

        // While the first body is still streaming, a second PUT of the key completes.
        Future<?> second = threads.submit(() -> backend.putObject(put("k", "the quick writer's version")));
        second.get(SOON_S, TimeUnit.SECONDS);
        assertThat(read("k")).isEqualTo("the quick writer's version");

        rest.countDown();
        first.get(SOON_S, TimeUnit.SECONDS);
        assertThat(read("k")).isEqualTo(slow);
        // The slow write took effect last: its item comes last, so a push of the quick version
        // (the first claim) can never settle it.
        WriteQueue.Claim claim = queue.take();
        assertThat(claim.items()).hasSize(2);
        assertThat(claim.last().size()).isEqualTo(slow.length());
    }

    @Test
    void aCopiedPartOfAStagedUploadGetsTheUploadsChecksum() throws Exception {
        String content = "the source of a copied part";
        backend.putObject(put("src", content));
        String uploadId = backend.createMultipartUpload(new io.s3d.backend.MultipartBackend.UploadSpec("bucket", "dst",
                Map.of(), Map.of(), Map.of(), Optional.of("SHA256"), Optional.of("COMPOSITE")));
        io.s3d.backend.MultipartBackend.Part part = backend.uploadPartCopy("bucket", "dst", uploadId, 1,
                new io.s3d.backend.MultipartBackend.CopySource("bucket", "src", Optional.empty(),
                        io.s3d.backend.CopyConditions.NONE));
        String sha256 = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
        assertThat(part.checksums()).containsEntry("SHA256", sha256);
    }

    @Test
    void aPutThatCompletesAfterAQueuedDeleteOfItsKeyIsTheKeysState() throws Exception {
        backend.putObject(put("k", "v1"));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(1);
        String slow = "v2 ".repeat(500);
        Future<?> write = threads.submit(() -> backend.putObject(put("k", slow, heldBody(slow, started, rest))));
        assertThat(started.await(SOON_S, TimeUnit.SECONDS)).isTrue();

        threads.submit(() -> {
            backend.deleteObject("bucket", "k");
            return null;
        }).get(SOON_S, TimeUnit.SECONDS);
        assertThat(queue.pending("bucket", "k").orElseThrow().op()).isEqualTo(QueueItem.Op.DELETE);

        rest.countDown();
        write.get(SOON_S, TimeUnit.SECONDS);
        assertThat(queue.pending("bucket", "k").orElseThrow().op()).isEqualTo(QueueItem.Op.PUT);
        assertThat(read("k")).isEqualTo(slow);
        assertThat(queue.take().effectiveOp()).isEqualTo(QueueItem.Op.PUT);
    }
}
