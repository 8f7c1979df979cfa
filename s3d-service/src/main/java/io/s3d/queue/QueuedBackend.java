package io.s3d.queue;

import io.s3d.backend.BucketInfo;
import io.s3d.backend.BucketNames;
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
    private final RemoteBuckets buckets;
    private final QueueRouting routing;
    private final java.util.Set<String> stagingBuckets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    QueuedBackend(ObjectBackend remote, LocalStore staged, WriteQueue queue, QueueFilter filter, KeyLocks locks,
            RemoteBuckets buckets) {
        this.remote = remote;
        this.buckets = buckets;
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
        buckets.created(bucket);
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
        buckets.missing(bucket);
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
        acceptableBucket(request.bucket());
        queue.admit(Math.max(0, request.contentLength()));
        WriteQueue.Key key = new WriteQueue.Key(request.bucket(), request.key());
        ensureStagingBucket(request.bucket());
        PutRequest toStage = new PutRequest(request.bucket(), request.key(), request.body(), request.contentLength(),
                request.contentMd5(), request.headers(), request.userMetadata(), request.tags(), request.checksums(),
                WriteCondition.NONE);
        boolean conditional = !request.condition().isNone();
        // The journal entry is made durable while the body streams in: a queued PUT then costs about
        // what a standalone PUT costs, not two fsync rounds one after the other. A conditional write's
        // entry records what the remote held when the condition was decided, so it is written at commit.
        Future<QueueItem> reserved = conditional ? null
                : JOURNAL_WRITERS.submit(io.s3d.telemetry.Traces.carried(
                        () -> queue.reserve(QueueItem.Op.PUT, request.bucket(), request.key())));
        LocalStore.PreparedObject prepared;
        try {
            // No lock while the body streams: writers of one key never wait for each other's bodies.
            prepared = staged.prepareObject(toStage);
        } catch (RuntimeException e) {
            abandon(reserved);
            throw e;
        }
        try (prepared) {
            // The commit is serialised per key: the queue's order is the order in which writes took
            // effect, and the last write to complete wins, as on S3.
            return locks.with(key, () -> {
                ObjectMeta meta = prepared.meta();
                if (conditional) {
                    String expect = checkCondition(request.bucket(), request.key(), request.condition());
                    prepared.commit();
                    queue.append(QueueItem.Op.PUT, request.bucket(), request.key(), meta.size(), meta.etag(),
                            meta.lastModified(), Map.of(), expect);
                    return meta;
                }
                QueueItem item;
                try {
                    item = queue.reorder(await(reserved));
                } catch (RuntimeException e) {
                    abandon(reserved);
                    throw e;
                }
                try {
                    prepared.commit();
                } catch (RuntimeException e) {
                    queue.abandon(item);
                    throw e;
                }
                queue.commit(item, meta.size(), meta.etag(), meta.lastModified());
                return meta;
            });
        }
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
        if (reserved == null) {
            return;
        }
        try {
            queue.abandon(await(reserved));
        } catch (RuntimeException ignored) {
            // The entry could not even be written: nothing to take back.
        }
    }

    /**
     * Conditional writes are checked against what clients see: the queued state, else the remote.
     * Returns what the remote must still hold when the write is pushed ({@link QueueItem#expect()}),
     * null for an unconditional write.
     */
    private String checkCondition(String bucket, String key, WriteCondition condition) {
        if (condition.isNone()) {
            return null;
        }
        Optional<WriteQueue.Pending> pending = queue.pending(bucket, key);
        if (pending.isPresent() && pending.get().op() == QueueItem.Op.DELETE) {
            condition.check(null);
            return QueueItem.EXPECT_QUEUED;
        }
        Optional<ObjectMeta> queued = queuedMeta(bucket, key, pending);
        if (queued.isPresent()) {
            condition.check(queued.get());
            return QueueItem.EXPECT_QUEUED;
        }
        ObjectMeta current;
        try {
            current = remote.headObject(bucket, key);
        } catch (S3Exception e) {
            if (!S3ErrorCode.NO_SUCH_KEY.code().equals(e.code())) {
                throw e;
            }
            current = null;
        }
        condition.check(current);
        return current == null ? QueueItem.EXPECT_ABSENT : QueueItem.expectEtag(current.etag());
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

    /**
     * A queued write is refused as the remote would refuse it, before anything is stored: an
     * invalid bucket name (InvalidBucketName, as for PUT), a bucket the reachable remote does not have.
     */
    private void acceptableBucket(String bucket) {
        BucketNames.check(bucket);
        buckets.requireExisting(bucket);
    }

    @Override
    public void deleteObject(String bucket, String key) {
        if (!routing.queues(bucket, key)) {
            remote.deleteObject(bucket, key);
            return;
        }
        acceptableBucket(bucket);
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
        acceptableBucket(bucket);
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
                    target.replaceHeaders().orElse(from.contentHeaders()),
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

    /** A version by id is the remote's (a queued write has no version yet): the layer below answers it. */
    @Override
    public ObjectData getObjectVersion(String bucket, String key, String versionId, String range) {
        return remote.getObjectVersion(bucket, key, versionId, range);
    }

    @Override
    public ObjectMeta headObjectVersion(String bucket, String key, String versionId) {
        return remote.headObjectVersion(bucket, key, versionId);
    }

    @Override
    public boolean servesVersionReads(String bucket, String key) {
        return remote.servesVersionReads(bucket, key);
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
        acceptableBucket(spec.bucket());
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
            return staged.uploadCopiedPart(bucket, key, uploadId, partNumber, data.open(first, length), length);
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
            String expect = checkCondition(bucket, key, condition);
            ObjectMeta meta = staged.completeMultipartUpload(bucket, key, uploadId, parts, WriteCondition.NONE,
                    checksums);
            queue.append(QueueItem.Op.PUT, bucket, key, meta.size(), meta.etag(), meta.lastModified(), Map.of(),
                    expect);
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

    // --- requests passed on as the client sent them (see backend.StraightThrough) ---

    /**
     * Goes to the remote once the queued writes of the key (of the bucket, for a bucket request that
     * deletes keys) are there: a request that skips the queue must not be overtaken by, nor read
     * around, a write acknowledged before it.
     */
    @Override
    public io.s3d.backend.ForwardedResponse forward(io.s3d.backend.ForwardedRequest request) {
        if (request.bucket() != null && (request.key() != null || changesKeys(request))) {
            WriteQueue.FlushResult flushed;
            try {
                flushed = queue.flush(request.bucket(), request.key(), queue.limits().admissionWait());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "s3d is shutting down.");
            }
            if (!flushed.flushed()) {
                throw new S3Exception(S3ErrorCode.SLOW_DOWN, "Earlier writes to this key are still in s3d's write "
                        + "queue (" + flushed.remaining() + " waiting, " + flushed.parked() + " parked); this request "
                        + "goes straight to the remote store and must not overtake them. Retry later.");
            }
        }
        return remote.forward(request);
    }

    /** A bucket request that deletes keys: a multi-object delete, or deleting the bucket. */
    private static boolean changesKeys(io.s3d.backend.ForwardedRequest request) {
        return request.query().stream().anyMatch(p -> p.getKey().equals("delete"))
                || (request.method().equals("DELETE") && request.query().isEmpty());
    }

    @Override
    public boolean forwards() {
        return remote.forwards();
    }

    @Override
    public boolean queuesWrites(String bucket, String key) {
        // Always: the filter may decide by what only the write carries (headers, tags, metadata),
        // and the typed path sends a write it does not queue to the remote itself.
        return true;
    }

    /** Keys (buckets, for listings) with writes not yet pushed read from the queue; the rest as the layer behind says. */
    @Override
    public boolean servesReads(String bucket, String key) {
        boolean queued = key == null ? queue.hasItems(bucket) : queue.pending(bucket, key).isPresent();
        return queued || remote.servesReads(bucket, key);
    }

    @Override
    public boolean versioned(String bucket) {
        return remote.versioned(bucket);
    }

    /** Uploads the queue staged (the filter queues their key) are its own; all others are the remote's. */
    @Override
    public boolean holdsUpload(String bucket, String key, String uploadId) {
        return routing.queuedUpload(bucket, key, uploadId) || remote.holdsUpload(bucket, key, uploadId);
    }

    /** Not for a key the queue takes: a queued upload's copies download the ranges, and the push sends them all again. */
    @Override
    public boolean copiesPartsInPlace(String bucket, String key) {
        return !routing.queues(bucket, key) && remote.copiesPartsInPlace(bucket, key);
    }

    private ObjectBackend target(String bucket, String key, String uploadId) {
        return routing.queuedUpload(bucket, key, uploadId) ? staged : remote;
    }
}
