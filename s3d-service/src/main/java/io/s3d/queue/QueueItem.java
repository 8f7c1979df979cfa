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
 */
public record QueueItem(long seq, Op op, String bucket, String key, long size, String etag, Instant lastModified,
        Instant queuedAt, Map<String, String> tags, String parkedError) {

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
        return new QueueItem(seq, op, bucket, key, size, etag, lastModified, queuedAt, tags, error);
    }

    public boolean isParked() {
        return parkedError != null;
    }
}
