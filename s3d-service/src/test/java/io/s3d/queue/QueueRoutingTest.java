package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.MultipartBackend;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a write goes: the filter for a key with nothing queued, the queue for one with queued writes or a hold. */
class QueueRoutingTest {
    @TempDir(factory = RamTempDir.class)
    Path dir;

    private WriteQueue queue;
    private LocalStore staged;
    private QueueRouting routing;

    @BeforeEach
    void open() throws IOException {
        queue = WriteQueue.open(dir.resolve("q"), new WriteQueue.Limits(1L << 30, 1000, Duration.ZERO,
                Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(50)), Clock.systemUTC());
        staged = LocalStore.open(dir.resolve("objects"), "us-east-1", 1000, 0);
        routing = new QueueRouting(QueueFilter.parse("logs, media/*[hdr:content-type='video/*'][hdr:content-length>=1K]"),
                queue, staged);
    }

    @AfterEach
    void close() {
        queue.close();
    }

    private static PutRequest put(String bucket, String key, String type, int size, Map<String, String> tags) {
        return new PutRequest(bucket, key, new ByteArrayInputStream(new byte[size]), size, Optional.empty(),
                type == null ? Map.of() : Map.of("content-type", type), Map.of(), tags, Map::of, WriteCondition.NONE);
    }

    @Test
    void aPutIsDecidedByWhatItCarries() {
        assertThat(routing.queues(put("logs", "a", null, 1, Map.of()))).isTrue();
        assertThat(routing.queues(put("media", "clip.mp4", "video/mp4", 4096, Map.of()))).isTrue();
        assertThat(routing.queues(put("media", "clip.mp4", "video/mp4", 100, Map.of()))).as("too small").isFalse();
        assertThat(routing.queues(put("media", "a.txt", "text/plain", 4096, Map.of()))).isFalse();
        assertThat(routing.queues("media", "clip.mp4")).as("by name alone the header rule cannot match").isFalse();
    }

    @Test
    void anObjectTaggedUploadFalseIsAlwaysQueued() {
        assertThat(routing.queues(put("media", "a.txt", "text/plain", 1, Map.of("s3d.upload", "false")))).isTrue();
        assertThat(routing.queues(put("media", "a.txt", "text/plain", 1, Map.of("s3d.upload", "true")))).isFalse();
        assertThat(routing.queues(new MultipartBackend.UploadSpec("media", "big.bin", Map.of(), Map.of(),
                Map.of("s3d.upload", "false"), Optional.empty(), Optional.empty()))).isTrue();
    }

    /** A delete passing a queued PUT would reach the remote first, and the PUT's push would undo it. */
    @Test
    void aKeyWithQueuedWritesStaysInTheQueueWhateverTheRules() {
        assertThat(routing.queues("media", "clip.mp4")).isFalse();
        queue.append(QueueItem.Op.PUT, "media", "clip.mp4", 4096, "e", null, Map.of());

        assertThat(routing.queues("media", "clip.mp4")).isTrue();
        assertThat(routing.queues(put("media", "clip.mp4", "text/plain", 1, Map.of()))).isTrue();
    }

    @Test
    void partsGoWhereTheUploadWasStarted() {
        staged.createBucket("media");
        String queuedUpload = staged.createMultipartUpload(new MultipartBackend.UploadSpec("media", "clip.mp4",
                Map.of("content-type", "video/mp4"), Map.of(), Map.of(), Optional.empty(), Optional.empty()));

        assertThat(routing.queuedUpload("media", "clip.mp4", queuedUpload)).isTrue();
        assertThat(routing.queuedUpload("media", "clip.mp4", "remote-upload-id")).isFalse();
        assertThat(routing.queuedUpload("other-bucket", "clip.mp4", "remote-upload-id")).isFalse();
    }

    /**
     * With a filter that queues everything, an upload started straight on the remote (SSE, object
     * lock, a checksum algorithm) still keeps its parts there: they used to be taken for queued ones
     * and refused NoSuchUpload / NoSuchBucket by the queue's store.
     */
    @Test
    void anUploadTheRemoteHoldsKeepsItsPartsThereEvenWhenEverythingIsQueued() {
        QueueRouting everything = new QueueRouting(QueueFilter.parse(""), queue, staged);
        staged.createBucket("media");
        String queuedUpload = staged.createMultipartUpload(new MultipartBackend.UploadSpec("media", "clip.mp4",
                Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty()));

        assertThat(everything.queuedUpload("media", "clip.mp4", queuedUpload)).isTrue();
        assertThat(everything.queuedUpload("media", "other.mp4", queuedUpload)).as("another key").isFalse();
        assertThat(everything.queuedUpload("media", "clip.mp4", "YBa8jy5WtYh7kzQMYP4nt6xEiRSs95j8ErquRKiwCJo5vW0"))
                .as("an upload id the remote gave").isFalse();
    }
}
