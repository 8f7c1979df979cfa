package io.s3d.queue;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.remote.ObjectUploader;
import io.s3d.remote.RemoteBackend;
import io.s3d.remote.RemoteUnreachableException;
import io.s3d.store.LocalStore;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The background side of the write queue: a few threads take due keys from the {@link WriteQueue}
 * and make the remote show each key's latest queued state — upload the queued object, delete the
 * key, or replace its tags. Transient failures are retried with backoff; errors the remote will
 * answer the same way again (AccessDenied, NoSuchBucket, ...) park the key until someone retries it.
 */
public final class Pusher {
    private static final Logger LOG = Logger.getLogger(Pusher.class);

    /** Remote errors worth retrying as they are: the next attempt may well succeed. */
    private static final Set<String> TRANSIENT_CODES = Set.of("SlowDown", "ServiceUnavailable", "InternalError",
            "RequestTimeout", "RequestTimeTooSkewed", "Throttling", "ThrottlingException", "RequestLimitExceeded",
            "TooManyRequests", "OperationAborted", "ConditionalRequestConflict", "BadDigest", "IncompleteBody", "XAmzContentChecksumMismatch");

    private final WriteQueue queue;
    private final LocalStore staged;
    private final RemoteBackend remote;
    private final ObjectUploader uploader;
    private final KeyLocks locks;
    private final int threads;
    private final PushListener pushed;
    private final List<Thread> workers = new ArrayList<>();

    private final RemoteBuckets buckets;
    private final RemoteUploads uploads;

    Pusher(WriteQueue queue, LocalStore staged, RemoteBackend remote, ObjectUploader uploader, KeyLocks locks,
            int threads, PushListener pushed, RemoteBuckets buckets, RemoteUploads uploads) {
        this.buckets = buckets;
        this.uploads = uploads;
        this.pushed = pushed;
        this.queue = queue;
        this.staged = staged;
        this.remote = remote;
        this.uploader = uploader;
        this.locks = locks;
        this.threads = threads;
    }

    void start() {
        for (int i = 0; i < threads; i++) {
            Thread t = Thread.ofPlatform().daemon().name("s3d-pusher-" + i).start(this::run);
            workers.add(t);
        }
    }

    /** Stops the workers; a push in flight is abandoned and stays queued. */
    void stop() {
        queue.close();
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            WriteQueue.Claim claim;
            try {
                claim = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (claim == null) {
                return;
            }
            pushAndClean(claim);
        }
    }

    /**
     * Pushes one claimed key and settles the claim, whatever happens. Traced as a span of its own
     * (the push is a new trace, hours after the requests perhaps), linked to the span of every
     * request whose acknowledged write it carries — the links come from the journal, so they
     * survive a restart.
     */
    void push(WriteQueue.Claim claim) {
        if (!Traces.on()) {
            push(claim, Traced.NONE);
            return;
        }
        List<String> requests = claim.items().stream().map(QueueItem::traceparent).filter(java.util.Objects::nonNull).toList();
        try (Traced span = Traces.background("s3d.queue.push", requests)) {
            span.set("aws.s3.bucket", claim.key().bucket()).set("s3d.queue.op", claim.effectiveOp().name())
                    .set("s3d.queue.items", (long) claim.items().size()).set("s3d.queue.attempt", (long) claim.attempt());
            push(claim, span);
        }
    }

    private void push(WriteQueue.Claim claim, Traced span) {
        WriteQueue.Key key = claim.key();
        try {
            if (claim.effectiveOp() == QueueItem.Op.PUT && heldBack(key)) {
                span.set("s3d.queue.outcome", "held");
                queue.hold(claim, UploadHold.REASON);
                return;
            }
            Pushed pushedObject = null;
            switch (claim.effectiveOp()) {
                case PUT -> pushedObject = pushObject(claim);
                case DELETE -> remote.deleteObject(key.bucket(), key.key());
                case TAGS -> remote.putObjectTags(key.bucket(), key.key(), claim.last().tags());
            }
            settle(claim, pushedObject);
            span.set("s3d.queue.outcome", "pushed");
        } catch (S3Exception e) {
            span.failed(e).set("s3d.error_code", e.code());
            String error = e.code() + ": " + e.getMessage();
            if (e.status() == 412 && claim.pushExpectation() != null) {
                error = conflictError(claim, e);
            }
            // 501 NotImplemented is the exception among 5xx: the remote lacks the feature (object
            // tagging, say) and answers the same request the same way forever.
            boolean transientStatus = (e.status() >= 500 && e.status() != 501) || e.status() == 429
                    || e.status() == 408;
            if (e instanceof RemoteUnreachableException || transientStatus || TRANSIENT_CODES.contains(e.code())) {
                String parked = queue.retryLater(claim, error, e instanceof RemoteUnreachableException);
                span.set("s3d.queue.outcome", parked == null ? "retry" : "parked");
                if (parked == null) {
                    LOG.debugf("push of %s/%s failed, will retry: %s", key.bucket(), key.key(), error);
                } else {
                    LOG.warnf("push of %s/%s parked: the remote keeps answering %s; retry it with "
                            + "POST /_s3d/queue/retry or 's3d queue retry'", key.bucket(), key.key(), parked);
                }
            } else {
                LOG.warnf("push of %s/%s parked: the remote answered %s (%d); retry it with "
                        + "POST /_s3d/queue/retry or 's3d queue retry'", key.bucket(), key.key(), error, e.status());
                if (S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                    buckets.missing(key.bucket());
                }
                span.set("s3d.queue.outcome", "parked");
                queue.park(claim, error);
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            span.failed(e).set("s3d.queue.outcome", "retry");
            LOG.warnf(e, "push of %s/%s failed locally, will retry", key.bucket(), key.key());
            logIfParked(key, queue.retryLater(claim, "LocalError: " + e.getMessage(), false));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // Shutting down: the claim stays queued on disk for the next start.
                return;
            }
            span.failed(e).set("s3d.queue.outcome", "retry");
            LOG.errorf(e, "push of %s/%s failed unexpectedly, will retry", key.bucket(), key.key());
            logIfParked(key, queue.retryLater(claim, "InternalError: " + e, false));
        }
    }

    /** Pushes one claimed key, then (the remote answers again) aborts what interrupted pushes left open on it. */
    private void pushAndClean(WriteQueue.Claim claim) {
        push(claim);
        if (uploads.hasLeftovers()) {
            try {
                uploads.abortLeftovers();
            } catch (RuntimeException e) {
                LOG.warnf(e, "write queue: aborting left-over multipart uploads failed; tried again after the next push");
            }
        }
    }

    private static void logIfParked(WriteQueue.Key key, String parked) {
        if (parked != null) {
            LOG.warnf("push of %s/%s parked: %s; retry it with POST /_s3d/queue/retry or 's3d queue retry'",
                    key.bucket(), key.key(), parked);
        }
    }

    /** A pushed object: what was uploaded and the ETag the remote gave it. */
    private record Pushed(ObjectMeta meta, String remoteEtag) {
    }

    /** The parked error of a conditional write the remote refused: someone else wrote the key meanwhile. */
    private static String conflictError(WriteQueue.Claim claim, S3Exception e) {
        String expect = claim.pushExpectation();
        String condition = QueueItem.EXPECT_ABSENT.equals(expect) ? "If-None-Match: *"
                : "If-Match: \"" + QueueItem.expectedEtag(expect).orElse("") + "\"";
        return e.code() + ": the object on the remote changed after s3d acknowledged this conditional write ("
                + condition + "); the queued version was not pushed, so the other writer's version is kept ("
                + e.getMessage() + ")";
    }

    /** The condition the remote checks when the claim's object is complete. */
    private static WriteCondition pushCondition(WriteQueue.Claim claim) {
        String expect = claim.pushExpectation();
        if (expect == null) {
            return WriteCondition.NONE;
        }
        if (QueueItem.EXPECT_ABSENT.equals(expect)) {
            return new WriteCondition(true, Optional.empty());
        }
        return new WriteCondition(false, QueueItem.expectedEtag(expect));
    }

    /** Whether the queued object's tags (as they are now, tag changes included) keep it local. */
    private boolean heldBack(WriteQueue.Key key) {
        try {
            return UploadHold.holds(staged.headObject(key.bucket(), key.key()).tags());
        } catch (S3Exception e) {
            return false; // gone meanwhile: pushObject finds out and settles the claim
        }
    }

    /** Uploads the key's queued object as it is now; a version gone meanwhile is one a newer item replaced. */
    private Pushed pushObject(WriteQueue.Claim claim) {
        WriteQueue.Key key = claim.key();
        ObjectData data;
        try {
            data = staged.getObject(key.bucket(), key.key());
        } catch (S3Exception e) {
            if (S3ErrorCode.NO_SUCH_KEY.code().equals(e.code()) || S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                // Only a crash between storing and journaling a delete leaves a PUT without its object:
                // that delete was never acknowledged, so the remote keeps what it has.
                LOG.warnf("queued object %s/%s is gone from the queue's store; nothing to push", key.bucket(),
                        key.key());
                return null;
            }
            throw e;
        }
        try (data) {
            String remoteEtag = uploader.upload(key.bucket(), key.key(), data, pushCondition(claim), uploads);
            return new Pushed(data.meta(), remoteEtag);
        }
    }

    /** Removes the pushed items and, when nothing newer is queued, the queued copy of the object. */
    private void settle(WriteQueue.Claim claim, Pushed pushed) {
        WriteQueue.Key key = claim.key();
        ObjectMeta pushedObject = pushed == null ? null : pushed.meta();
        long bytes = pushedObject == null ? 0 : pushedObject.size();
        // Before the queue lets go of the key: no read can meanwhile reach an outdated cached copy.
        if (claim.effectiveOp() == QueueItem.Op.TAGS) {
            this.pushed.tagsPushed(key.bucket(), key.key(), claim.last().tags());
        } else {
            this.pushed.pushed(key.bucket(), key.key(), pushedObject == null ? java.util.Map.of() : pushedObject.tags());
        }
        locks.with(key, () -> {
            boolean empty = queue.pushed(claim, bytes, pushed == null ? null : pushed.remoteEtag());
            // With nothing queued for the key, no copy of it in the queue's store is needed (nor counted):
            // also the one an earlier, pushed PUT left behind when only tags came after it.
            if (empty) {
                try {
                    staged.discardObject(key.bucket(), key.key());
                } catch (S3Exception e) {
                    // The bucket directory went away with its last object: nothing left to delete.
                }
            }
            return null;
        });
    }
}
