package io.s3d.queue;

import java.time.Instant;
import java.util.Map;

/**
 * One acknowledged write waiting for the remote, as its journal file records it.
 *
 * @param seq position in the queue (per key, higher wins)
 * @param op what to replay
 * @param bucket the bucket
 * @param key the key
 * @param size bytes of the queued object (PUT), 0 otherwise
 * @param etag the queued object's ETag (PUT), empty otherwise
 * @param lastModified when the queued object was written (PUT)
 * @param queuedAt when the write was acknowledged
 * @param tags the new tag set (TAGS)
 * @param parkedError the remote's permanent error when parked, else null
 * @param expect for a conditional write: what the remote must still hold when the write is pushed
 *        ({@link #EXPECT_ABSENT}, {@link #expectEtag an ETag}, or {@link #EXPECT_QUEUED} when the
 *        condition was checked against the key's queued state); null for an unconditional write
 * @param traceparent the span of the request that acknowledged the write (W3C {@code traceparent}),
 *        so its push, however much later, links to it; null when tracing was off
 */
public record QueueItem(long seq, Op op, String bucket, String key, long size, String etag, Instant lastModified,
        Instant queuedAt, Map<String, String> tags, String parkedError, String expect, String traceparent) {

    /** The key did not exist on the remote when the write was acknowledged (If-None-Match: *). */
    public static final String EXPECT_ABSENT = "absent";
    /** The condition was decided by the key's queued state: the remote must hold what s3d pushes before it. */
    public static final String EXPECT_QUEUED = "queued";
    private static final String ETAG_PREFIX = "etag:";

    /** The remote held the version with this ETag when the write was acknowledged (If-Match). */
    public static String expectEtag(String etag) {
        return ETAG_PREFIX + etag;
    }

    /** The ETag an {@code expect} value names, if it names one. */
    public static java.util.Optional<String> expectedEtag(String expect) {
        return expect != null && expect.startsWith(ETAG_PREFIX)
                ? java.util.Optional.of(expect.substring(ETAG_PREFIX.length())) : java.util.Optional.empty();
    }

    public QueueItem(long seq, Op op, String bucket, String key, long size, String etag, Instant lastModified,
            Instant queuedAt, Map<String, String> tags, String parkedError) {
        this(seq, op, bucket, key, size, etag, lastModified, queuedAt, tags, parkedError, null, null);
    }

    public QueueItem(long seq, Op op, String bucket, String key, long size, String etag, Instant lastModified,
            Instant queuedAt, Map<String, String> tags, String parkedError, String expect) {
        this(seq, op, bucket, key, size, etag, lastModified, queuedAt, tags, parkedError, expect, null);
    }

    /** What the pusher replays on the remote. */
    public enum Op {
        /** Upload the queued object (with its metadata, tags and checksums). */
        PUT,
        /** Delete the key on the remote (a tombstone until pushed). */
        DELETE,
        /** Replace the tag set of the remote object. */
        TAGS
    }

    public QueueItem {
        tags = Map.copyOf(tags);
    }

    public QueueItem parked(String error) {
        return new QueueItem(seq, op, bucket, key, size, etag, lastModified, queuedAt, tags, error, expect, traceparent);
    }

    public QueueItem expecting(String newExpect) {
        return new QueueItem(seq, op, bucket, key, size, etag, lastModified, queuedAt, tags, parkedError, newExpect, traceparent);
    }

    public boolean isParked() {
        return parkedError != null;
    }
}
