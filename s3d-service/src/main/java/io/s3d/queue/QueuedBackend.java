package io.s3d.queue;

import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.remote.RemoteUnreachableException;
import io.s3d.store.LocalStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The write queue in front of the remote. Writes the filter selects are stored in the queue's own
 * local store, recorded in the journal and acknowledged; the {@link Pusher} replays them on the
 * remote later. Reads see those writes at once (read-your-writes): a key with queued writes is
 * answered from the queue (its object, or NoSuchKey for a queued delete), every other key from
 * the remote, and listings merge the two. Bucket operations go to the remote directly.
 */
public final class QueuedBackend implements ObjectBackend {
    private static final ExecutorService JOURNAL_WRITERS = Executors.newVirtualThreadPerTaskExecutor();

    private final ObjectBackend remote;
    private final LocalStore staged;
    private final WriteQueue queue;
    private final QueueFilter filter;
    private final KeyLocks locks;
    private final QueueRouting routing;
    private final java.util.Set<String> stagingBuckets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    QueuedBackend(ObjectBackend remote, LocalStore staged, WriteQueue queue, QueueFilter filter, KeyLocks locks) {
        this.remote = remote;
        this.staged = staged;
        this.queue = queue;
        this.filter = filter;
        this.locks = locks;
        this.routing = new QueueRouting(filter, queue, staged);
    }

    // --- buckets: the remote's ---

    @Override
    public List<BucketInfo> listBuckets() {
        return remote.listBuckets();
    }

    @Override
    public void createBucket(String bucket) {
        remote.createBucket(bucket);
    }

    @Override
    public BucketInfo headBucket(String bucket) {
        return remote.headBucket(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
        if (queue.hasItems(bucket)) {
            throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY,
                    "The bucket has writes in the s3d write queue that are not on the remote yet.")
                    .withResource("/" + bucket).withElements(Map.of("BucketName", bucket));
        }
        remote.deleteBucket(bucket);
    }

    @Override
    public Map<String, String> getBucketTags(String bucket) {
        return remote.getBucketTags(bucket);
    }

    @Override
    public void putBucketTags(String bucket, Map<String, String> tags) {
        remote.putBucketTags(bucket, tags);
    }

    // --- writes: queued when the filter says so ---

    @Override
    public ObjectMeta putObject(PutRequest request) {
        if (!routing.queues(request)) {
            return remote.putObject(request);
        }
        queue.admit(Math.max(0, request.contentLength()));
        WriteQueue.Key key = new WriteQueue.Key(request.bucket(), request.key());
        return locks.with(key, () -> {
            checkCondition(request.bucket(), request.key(), request.condition());
            ensureStagingBucket(request.bucket());
            // The journal entry is made durable while the body streams in: a queued PUT then costs
            // about what a standalone PUT costs, not two fsync rounds one after the other.
            Future<QueueItem> reserved = JOURNAL_WRITERS.submit(
                    () -> queue.reserve(QueueItem.Op.PUT, request.bucket(), request.key()));
            ObjectMeta meta;
            try {
                meta = staged.putObject(new PutRequest(request.bucket(), request.key(), request.body(),
                        request.contentLength(), request.contentMd5(), request.headers(), request.userMetadata(),
                        request.tags(), request.checksums(), WriteCondition.NONE));
            } catch (RuntimeException e) {
                abandon(reserved);
                throw e;
            }
            queue.commit(await(reserved), meta.size(), meta.etag(), meta.lastModified());
            return meta;
        });
    }

    private static QueueItem await(Future<QueueItem> reserved) {
        try {
            return reserved.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "s3d is shutting down.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void abandon(Future<QueueItem> reserved) {
        try {
            queue.abandon(await(reserved));
        } catch (RuntimeException ignored) {
            // The entry could not even be written: nothing to take back.
        }
    }

    /** Conditional writes are checked against what clients see: the queued state, else the remote. */
    private void checkCondition(String bucket, String key, WriteCondition condition) {
        if (condition.isNone()) {
            return;
        }
        ObjectMeta current;
        try {
            current = headObject(bucket, key);
        } catch (S3Exception e) {
            if (!S3ErrorCode.NO_SUCH_KEY.code().equals(e.code())) {
                throw e;
            }
            current = null;
        }
        condition.check(current);
    }

    private void ensureStagingBucket(String bucket) {
        if (stagingBuckets.contains(bucket)) {
            return;
        }
        try {
            staged.createBucket(bucket);
        } catch (S3Exception e) {
            if (!S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU.code().equals(e.code())) {
                throw e;
            }
        }
        // The queue's store never deletes a bucket: once there, it stays.
        stagingBuckets.add(bucket);
    }

    @Override
    public void deleteObject(String bucket, String key) {
        if (!routing.queues(bucket, key)) {
            remote.deleteObject(bucket, key);
            return;
        }
        queue.admit(0);
        locks.with(new WriteQueue.Key(bucket, key), () -> {
            // The tombstone first: from here on the key reads as deleted, whatever the staged file does.
            queue.append(QueueItem.Op.DELETE, bucket, key, 0, "", null, Map.of());
            try {
                staged.deleteObject(bucket, key);
            } catch (S3Exception e) {
                if (!S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public void putObjectTags(String bucket, String key, Map<String, String> tags) {
        if (!routing.queues(bucket, key)) {
            remote.putObjectTags(bucket, key, tags);
            return;
        }
        queue.admit(0);
        locks.with(new WriteQueue.Key(bucket, key), () -> {
            Optional<WriteQueue.Pending> pending = queue.pending(bucket, key);
            QueueItem.Op latest = pending.map(WriteQueue.Pending::op).orElse(null);
            if (latest == QueueItem.Op.DELETE) {
                throw noSuchKey(bucket, key);
            }
            if (latest == QueueItem.Op.PUT) {
                staged.putObjectTags(bucket, key, tags);
            } else {
                requireOnRemote(bucket, key);
            }
            queue.append(QueueItem.Op.TAGS, bucket, key, 0, "", null, tags);
            return null;
        });
    }

    /** A tag change for a key only the remote has: refused if the remote says it is missing, queued if unreachable. */
    private void requireOnRemote(String bucket, String key) {
        try {
            remote.headObject(bucket, key);
        } catch (RemoteUnreachableException e) {
            // Queued anyway; if the key turns out missing, the push is parked with NoSuchKey.
        }
    }

    @Override
    public ObjectMeta copyObject(CopySource source, CopyTarget target) {
        if (!routing.queues(target.bucket(), target.key())) {
            if (queue.pending(source.bucket(), source.key()).isEmpty()) {
                return remote.copyObject(source, target);
            }
        }
        try (ObjectData data = getObject(source.bucket(), source.key())) {
            ObjectMeta from = data.meta();
            source.conditions().check(from);
            boolean sameObject = source.bucket().equals(target.bucket()) && source.key().equals(target.key());
            if (sameObject && target.replaceHeaders().isEmpty() && target.replaceTags().isEmpty()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying "
                        + "to copy an object to itself without changing the object's metadata, storage class, "
                        + "website redirect location or encryption attributes.");
            }
            Map<String, String> checksums = from.partsCount() == 0 ? from.checksums() : Map.of();
            Map<String, String> tags = target.replaceTags().orElseGet(() -> from.tags().isEmpty()
                    ? sourceTags(source.bucket(), source.key()) : from.tags());
            InputStream body = data.open(0, from.size());
            return putObject(new PutRequest(target.bucket(), target.key(), body, from.size(), Optional.empty(),
                    target.replaceHeaders().orElse(from.headers()),
                    target.replaceUserMetadata().orElse(from.userMetadata()), tags, () -> checksums,
                    target.condition()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tags a copy takes over; a remote without object tagging (501) has none to give. */
    private Map<String, String> sourceTags(String bucket, String key) {
        try {
            return getObjectTags(bucket, key);
        } catch (S3Exception e) {
            if (e.status() == 501) {
                return Map.of();
            }
            throw e;
        }
    }

    // --- reads: the queued state first ---

    @Override
    public ObjectData getObject(String bucket, String key) {
        return getObject(bucket, key, null);
    }

    @Override
    public ObjectData getObject(String bucket, String key, String range) {
        Optional<WriteQueue.Pending> pending = queue.pending(bucket, key);
        return queuedObject(bucket, key, pending).orElseGet(() -> remote.getObject(bucket, key, range));
    }

    /**
     * What the queue holds for a key: its queued object (close it), NoSuchKey for a queued delete,
     * or empty when the remote answers (nothing queued, only tags queued, or the queued object was
     * pushed and removed meanwhile).
     */
    private Optional<ObjectData> queuedObject(String bucket, String key, Optional<WriteQueue.Pending> pending) {
        if (pending.isEmpty() || pending.get().op() == QueueItem.Op.TAGS) {
            return Optional.empty();
        }
        if (pending.get().op() == QueueItem.Op.DELETE) {
            throw noSuchKey(bucket, key);
        }
        try {
            return Optional.of(staged.getObject(bucket, key));
        } catch (S3Exception e) {
            if (S3ErrorCode.NO_SUCH_KEY.code().equals(e.code()) || S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Optional<ObjectMeta> queuedMeta(String bucket, String key, Optional<WriteQueue.Pending> pending) {
        return queuedObject(bucket, key, pending).map(data -> {
            try (data) {
                return data.meta();
            }
        });
    }

    /** The queued tag set replacing the remote object's, when only tags are queued. */
    private static Optional<Map<String, String>> queuedTags(Optional<WriteQueue.Pending> pending) {
        return pending.filter(p -> p.op() == QueueItem.Op.TAGS).map(WriteQueue.Pending::tags);
    }

    @Override
    public ObjectMeta headObject(String bucket, String key) {
        Optional<WriteQueue.Pending> pending = queue.pending(bucket, key);
        return queuedMeta(bucket, key, pending).orElseGet(() -> {
            ObjectMeta meta = remote.headObject(bucket, key);
            return queuedTags(pending).map(meta::withTags).orElse(meta);
        });
    }

    @Override
    public Map<String, String> getObjectTags(String bucket, String key) {
        Optional<WriteQueue.Pending> pending = queue.pending(bucket, key);
        return queuedMeta(bucket, key, pending).map(ObjectMeta::tags)
                .or(() -> queuedTags(pending))
                .orElseGet(() -> remote.getObjectTags(bucket, key));
    }

    @Override
    public ListPage listObjects(String bucket, ListRequest request) {
        // The queue first, then the remote: a write pushed (and leaving the queue) in between is then
        // in the remote's page. The other order loses it, or shows again a key whose delete was pushed.
        NavigableMap<String, WriteQueue.Pending> pending = queue.pendingRange(bucket, request.prefix(),
                request.startAfter());
        ListPage remotePage = remote.listObjects(bucket, request);
        return ListingMerge.merge(request, remotePage, pending);
    }

    private static S3Exception noSuchKey(String bucket, String key) {
        return new S3Exception(S3ErrorCode.NO_SUCH_KEY).withResource("/" + bucket + "/" + key)
                .withElements(Map.of("Key", key));
    }

    // --- multipart: the upload lives where its object will be written ---

    @Override
    public String createMultipartUpload(UploadSpec spec) {
        if (!routing.queues(spec)) {
            return remote.createMultipartUpload(spec);
        }
        ensureStagingBucket(spec.bucket());
        return staged.createMultipartUpload(spec);
    }

    @Override
    public Part uploadPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
            Optional<String> contentMd5, Supplier<Map<String, String>> checksums) {
        return target(bucket, key, uploadId).uploadPart(bucket, key, uploadId, partNumber, body, length, contentMd5, checksums);
    }

    @Override
    public Part uploadPartCopy(String bucket, String key, String uploadId, int partNumber, CopySource source) {
        if (!routing.queuedUpload(bucket, key, uploadId)) {
            return remote.uploadPartCopy(bucket, key, uploadId, partNumber, source);
        }
        try (ObjectData data = getObject(source.bucket(), source.key())) {
            ObjectMeta from = data.meta();
            source.conditions().check(from);
            long first = source.range().map(r -> r[0]).orElse(0L);
            long length = source.range().map(r -> r[1] - r[0] + 1).orElse(from.size());
            if (first + length > from.size()) {
                throw new S3Exception(S3ErrorCode.INVALID_RANGE);
            }
            return staged.uploadPart(bucket, key, uploadId, partNumber, data.open(first, length), length,
                    Optional.empty(), Map::of);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectMeta completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
            WriteCondition condition, BiFunction<Upload, List<Part>, Map<String, String>> checksums) {
        if (!routing.queuedUpload(bucket, key, uploadId)) {
            return remote.completeMultipartUpload(bucket, key, uploadId, parts, condition, checksums);
        }
        queue.admit(0);
        return locks.with(new WriteQueue.Key(bucket, key), () -> {
            checkCondition(bucket, key, condition);
            ObjectMeta meta = staged.completeMultipartUpload(bucket, key, uploadId, parts, WriteCondition.NONE,
                    checksums);
            queue.append(QueueItem.Op.PUT, bucket, key, meta.size(), meta.etag(), meta.lastModified(), Map.of());
            return meta;
        });
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        target(bucket, key, uploadId).abortMultipartUpload(bucket, key, uploadId);
    }

    @Override
    public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
        return target(bucket, key, uploadId).listParts(bucket, key, uploadId, partNumberMarker, maxParts);
    }

    @Override
    public UploadsPage listMultipartUploads(String bucket, String prefix, String delimiter, String keyMarker,
            String uploadIdMarker, int maxUploads) {
        if (filter.queuesEverything()) {
            try {
                return staged.listMultipartUploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
            } catch (S3Exception e) {
                if (!S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                    throw e;
                }
                remote.headBucket(bucket);
                return new UploadsPage(List.of(), List.of(), false, null, null);
            }
        }
        return remote.listMultipartUploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
    }

    private ObjectBackend target(String bucket, String key, String uploadId) {
        return routing.queuedUpload(bucket, key, uploadId) ? staged : remote;
    }
}
