package io.s3d.queue;

import io.s3d.backend.MultipartBackend;
import io.s3d.backend.PutRequest;
import io.s3d.store.LocalStore;
import io.s3d.telemetry.Traces;

/**
 * Where each write goes, the queue or the remote. The {@link QueueFilter} decides for a key with
 * nothing queued; a key with queued writes keeps going through the queue whatever the rules say
 * now (a write passing it would reach the remote before the queued ones and be undone by them),
 * and an object tagged {@code s3d.upload=false} is always queued (kept local, see {@link UploadHold}).
 * A multipart upload's parts go where its initiation went.
 */
final class QueueRouting {
    private final QueueFilter filter;
    private final WriteQueue queue;
    private final LocalStore staged;

    QueueRouting(QueueFilter filter, WriteQueue queue, LocalStore staged) {
        this.filter = filter;
        this.queue = queue;
        this.staged = staged;
    }

    boolean queues(PutRequest request) {
        return traced(UploadHold.holds(request.tags()) || queue.pending(request.bucket(), request.key()).isPresent()
                || filter.queues(request));
    }

    boolean queues(MultipartBackend.UploadSpec spec) {
        return traced(UploadHold.holds(spec.tags()) || queue.pending(spec.bucket(), spec.key()).isPresent()
                || filter.queues(spec));
    }

    /** A write known by bucket and key alone (delete, tagging, copy target). */
    boolean queues(String bucket, String key) {
        return traced(queue.pending(bucket, key).isPresent() || filter.queues(bucket, key));
    }

    /** The decision, also on the request's span ({@code s3d.write.route}: {@code queue} or {@code remote}). */
    private static boolean traced(boolean queued) {
        Traces.annotate("s3d.write.route", queued ? "queue" : "remote");
        return queued;
    }

    /**
     * Whether the multipart upload was started in the queue's store (its initiation was queued). Asked
     * of the store even when the filter queues everything: an upload the remote holds (one started
     * with SSE, object lock or a checksum algorithm goes straight there) keeps its parts there.
     */
    boolean queuedUpload(String bucket, String key, String uploadId) {
        return staged.hasUpload(bucket, key, uploadId);
    }
}
