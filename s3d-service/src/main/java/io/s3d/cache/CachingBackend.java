package io.s3d.cache;

import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.ResponseNotes;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.queue.PushListener;
import io.s3d.remote.RemoteBackend;
import io.s3d.remote.RemoteUnreachableException;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The remote store with the read cache in front: GET and HEAD are answered from the cache when it
 * can, everything else goes to the remote, and every write or delete that passes through drops what
 * the cache holds of that key. LIST goes to the remote; when it cannot be reached, the last page it
 * gave for the same request is answered, marked stale.
 */
public final class CachingBackend implements ObjectBackend, PushListener {
    private final RemoteBackend remote;
    private final ReadCache cache;
    private final Prefetcher prefetcher;
    private final ListingMemory listings = new ListingMemory();
    private final CacheAdmission admission;

    CachingBackend(RemoteBackend remote, ReadCache cache, Prefetcher prefetcher, CacheAdmission admission) {
        this.remote = remote;
        this.cache = cache;
        this.prefetcher = prefetcher;
        this.admission = admission;
    }

    // --- reads ---

    @Override
    public ObjectData getObject(String bucket, String key) {
        return getObject(bucket, key, null);
    }

    /** A read through the cache, traced with the cache's verdict (hit, miss, stale, bypass...). */
    @Override
    public ObjectData getObject(String bucket, String key, String range) {
        return traced(new ObjectId(bucket, key), range);
    }

    /** A version by id is cached under its own entry, never revalidated: versions do not change. */
    @Override
    public ObjectData getObjectVersion(String bucket, String key, String versionId, String range) {
        return traced(new ObjectId(bucket, key, versionId), range);
    }

    private ObjectData traced(ObjectId id, String range) {
        try (Traced span = Traces.span("s3d.cache.lookup")) {
            span.set("aws.s3.bucket", id.bucket());
            return read(id, range);
        }
    }

    /** How many times a read starts again because the version it found was replaced meanwhile. */
    private static final int RESTARTS = 3;

    private ObjectData read(ObjectId id, String range) {
        if (!admission.caches(new ObjectId(id.bucket(), id.key()))) {
            // The cache filter leaves this object out: straight from the remote, nothing kept.
            ResponseNotes.cache("bypass");
            return fromRemote(id, range);
        }
        for (int attempt = 0; ; attempt++) {
            Optional<ObjectData> served = fromCache(id, range);
            if (served == null) {
                if (attempt < RESTARTS) {
                    continue;
                }
                throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE,
                        "The object changed at the remote S3 store while it was being read; please try again.", null);
            }
            return served.orElseGet(() -> {
                ResponseNotes.cache("bypass");
                return fromRemote(id, range);
            });
        }
    }

    /**
     * A read served by the cache: empty when the cache cannot take it (disk at its floor), null
     * when the cached version turned out replaced at the remote (it is dropped; read again).
     * Before the answer's head goes out, every block the range lacks is secured from the cached
     * version ({@link ReadCache#secure}): a body that starts is finished from that one version.
     */
    private Optional<ObjectData> fromCache(ObjectId id, String range) {
        long bs = cache.settings().blockSize();
        long[] span = RangeHint.parse(range);
        long firstBlock = span == null ? 0 : span[0] < 0 ? -1 : span[0] / bs;
        long lastBlock = span == null || span[0] < 0 || span[1] < 0 ? -1 : span[1] / bs;
        Optional<ReadCache.Resolved> resolved = cache.resolve(id, firstBlock, lastBlock,
                span != null && span[0] < 0 ? range : null);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        CacheEntry entry = resolved.get().entry();
        long first;
        long last;
        if (span == null) {
            first = 0;
            last = entry.blocks() - 1;
        } else if (span[0] < 0) {
            first = Math.max(0, entry.meta.size() + span[0]) / bs;
            last = entry.blocks() - 1;
        } else {
            first = span[0] / bs;
            last = span[1] < 0 ? entry.blocks() - 1 : span[1] / bs;
        }
        boolean allCached = entry.hasAll(first, last);
        if (resolved.get().how() == ReadCache.How.STALE && !allCached) {
            // The remote cannot be asked for the missing part: say so now, not with a cut-off body.
            cache.counted(ReadCache.How.STALE, false);
            entry.release();
            throw new RemoteUnreachableException("The remote S3 store is unreachable and the requested part of "
                    + "the object is not in the read cache.", null);
        }
        if (!allCached) {
            ReadCache.Secured secured;
            try {
                secured = cache.secure(entry, first, last);
            } catch (RuntimeException e) {
                entry.release();
                throw e;
            }
            if (secured == ReadCache.Secured.VERSION_GONE) {
                // The rest would come from a newer version: the cached one is gone; start again on the new one.
                entry.release();
                return null;
            }
        }
        ReadCache.How how = cache.counted(resolved.get().how(), allCached);
        ResponseNotes.cache(how.note());
        return Optional.of(new CachedObjectData(cache, entry));
    }

    private ObjectData fromRemote(ObjectId id, String range) {
        return id.isVersion() ? remote.getObjectVersion(id.bucket(), id.key(), id.versionId(), range)
                : remote.getObject(id.bucket(), id.key(), range);
    }

    // --- what the write queue pushed to the remote behind the cache's back ---

    @Override
    public void pushed(String bucket, String key, Map<String, String> tags) {
        admission.forget(bucket, key);
        cache.invalidate(bucket, key);
        listings.forget(bucket);
        prefetcher.afterWrite(bucket, key, tags);
    }

    @Override
    public void tagsPushed(String bucket, String key, Map<String, String> tags) {
        admission.forget(bucket, key);
        cache.repin(bucket, key, PinRules.pinsObject(tags));
        prefetcher.afterWrite(bucket, key, tags);
    }

    @Override
    public ObjectMeta headObject(String bucket, String key) {
        try (Traced span = Traces.span("s3d.cache.lookup")) {
            span.set("aws.s3.bucket", bucket);
            ReadCache.Head head = cache.head(new ObjectId(bucket, key));
            ResponseNotes.cache(head.how().note());
            return head.meta();
        }
    }

    @Override
    public ObjectMeta headObjectVersion(String bucket, String key, String versionId) {
        if (!admission.caches(new ObjectId(bucket, key))) {
            ResponseNotes.cache("bypass");
            return remote.headObjectVersion(bucket, key, versionId);
        }
        try (Traced span = Traces.span("s3d.cache.lookup")) {
            span.set("aws.s3.bucket", bucket);
            ReadCache.Head head = cache.head(new ObjectId(bucket, key, versionId));
            ResponseNotes.cache(head.how().note());
            return head.meta();
        }
    }

    @Override
    public ListPage listObjects(String bucket, ListRequest request) {
        try {
            long generation = listings.generation(bucket);
            ListPage page = remote.listObjects(bucket, request);
            listings.remember(bucket, request, page, generation);
            return page;
        } catch (RemoteUnreachableException e) {
            Optional<ListPage> known = listings.recall(bucket, request);
            if (known.isEmpty()) {
                throw e;
            }
            ResponseNotes.cache(ReadCache.How.STALE.note());
            return known.get();
        }
    }

    @Override
    public Map<String, String> getObjectTags(String bucket, String key) {
        return remote.getObjectTags(bucket, key);
    }

    // --- writes: through to the remote, then the cached copy goes ---

    private <T> T changing(String bucket, String key, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            admission.forget(bucket, key);
            cache.invalidate(bucket, key);
            listings.forget(bucket);
        }
    }

    @Override
    public ObjectMeta putObject(PutRequest request) {
        ObjectMeta meta = changing(request.bucket(), request.key(), () -> remote.putObject(request));
        prefetcher.afterWrite(request.bucket(), request.key(), request.tags());
        return meta;
    }

    @Override
    public void deleteObject(String bucket, String key) {
        changing(bucket, key, () -> {
            remote.deleteObject(bucket, key);
            return null;
        });
    }

    @Override
    public void putObjectTags(String bucket, String key, Map<String, String> tags) {
        remote.putObjectTags(bucket, key, tags);
        admission.forget(bucket, key);
        // The bytes did not change: the cached copy stays, pinned or not as the tags now say.
        cache.repin(bucket, key, PinRules.pinsObject(tags));
        prefetcher.afterWrite(bucket, key, tags);
    }

    @Override
    public ObjectMeta copyObject(CopySource source, CopyTarget target) {
        return changing(target.bucket(), target.key(), () -> remote.copyObject(source, target));
    }

    @Override
    public ObjectMeta completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
            WriteCondition condition, BiFunction<Upload, List<Part>, Map<String, String>> checksums) {
        return changing(bucket, key, () -> remote.completeMultipartUpload(bucket, key, uploadId, parts, condition,
                checksums));
    }

    // --- buckets and uploads: the remote's ---

    @Override
    public List<BucketInfo> listBuckets() {
        return remote.listBuckets();
    }

    @Override
    public void createBucket(String bucket) {
        remote.createBucket(bucket);
    }

    // --- requests passed on as the client sent them ---

    /**
     * Reads pass the cache by (a version by id, an SSE-C object: never stored here, so never in the
     * clear on s3d's disk); writes drop what the cache holds of the key, or of the whole bucket for a
     * bucket request (a multi-object delete may remove any key).
     */
    @Override
    public io.s3d.backend.ForwardedResponse forward(io.s3d.backend.ForwardedRequest request) {
        if (request.isRead() || request.bucket() == null) {
            return remote.forward(request);
        }
        boolean tagging = request.query().stream().anyMatch(p -> p.getKey().equals("tagging"));
        io.s3d.backend.ForwardedResponse answer;
        if (request.key() != null && tagging) {
            // A tag change leaves the bytes: the cached copy stays, pinned or not as the new tags say.
            answer = remote.forward(request);
        } else if (request.key() != null) {
            answer = changing(request.bucket(), request.key(), () -> remote.forward(request));
            request.query().stream().filter(p -> p.getKey().equals("versionId")).findFirst().ifPresent(
                    // A version deleted by id (the only write that changes a version): its entry goes.
                    version -> cache.invalidate(new ObjectId(request.bucket(), request.key(), version.getValue())));
        } else {
            try {
                answer = remote.forward(request);
            } finally {
                if (!tagging) {
                    cache.invalidateBucket(request.bucket());
                    listings.forget(request.bucket());
                }
            }
        }
        if (answer.status() / 100 == 2) {
            afterForwardedWrite(request, tagging);
        }
        return answer;
    }

    /** What the cache does after a write it did not see the content of: pins and prefetches by the new tags. */
    private void afterForwardedWrite(io.s3d.backend.ForwardedRequest request, boolean tagging) {
        try {
            if (request.key() == null) {
                if (tagging) {
                    prefetcher.afterBucketTags(request.bucket());
                }
                return;
            }
            Map<String, String> tags = tagging ? remote.getObjectTags(request.bucket(), request.key())
                    : taggingHeader(request.header("x-amz-tagging"));
            if (tagging) {
                cache.repin(request.bucket(), request.key(), PinRules.pinsObject(tags));
            }
            prefetcher.afterWrite(request.bucket(), request.key(), tags);
        } catch (RuntimeException e) {
            // Pins and prefetching are a convenience: the client's write succeeded.
        }
    }

    private static Map<String, String> taggingHeader(String header) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        if (header != null) {
            for (String pair : header.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    tags.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        return tags;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean forwards() {
        return remote.forwards();
    }

    @Override
    public boolean holdsUpload(String bucket, String key, String uploadId) {
        return remote.holdsUpload(bucket, key, uploadId);
    }

    @Override
    public boolean queuesWrites(String bucket, String key) {
        return false;
    }

    @Override
    public boolean copiesPartsInPlace(String bucket, String key) {
        return remote.copiesPartsInPlace(bucket, key);
    }

    /** Reads and listings are the cache's (it serves stale copies when the remote is unreachable). */
    @Override
    public boolean servesReads(String bucket, String key) {
        return true;
    }

    @Override
    public boolean servesVersionReads(String bucket, String key) {
        return true;
    }

    @Override
    public boolean versioned(String bucket) {
        return remote.versioned(bucket);
    }

    @Override
    public BucketInfo headBucket(String bucket) {
        return remote.headBucket(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
        remote.deleteBucket(bucket);
        cache.invalidateBucket(bucket);
        listings.forget(bucket);
    }

    @Override
    public Map<String, String> getBucketTags(String bucket) {
        return remote.getBucketTags(bucket);
    }

    @Override
    public void putBucketTags(String bucket, Map<String, String> tags) {
        remote.putBucketTags(bucket, tags);
        prefetcher.afterBucketTags(bucket);
    }

    @Override
    public String createMultipartUpload(UploadSpec spec) {
        return remote.createMultipartUpload(spec);
    }

    @Override
    public Part uploadPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
            Optional<String> contentMd5, Supplier<Map<String, String>> checksums) {
        return remote.uploadPart(bucket, key, uploadId, partNumber, body, length, contentMd5, checksums);
    }

    @Override
    public Part uploadPartCopy(String bucket, String key, String uploadId, int partNumber, CopySource source) {
        return remote.uploadPartCopy(bucket, key, uploadId, partNumber, source);
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        remote.abortMultipartUpload(bucket, key, uploadId);
    }

    @Override
    public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
        return remote.listParts(bucket, key, uploadId, partNumberMarker, maxParts);
    }

    @Override
    public UploadsPage listMultipartUploads(String bucket, String prefix, String delimiter, String keyMarker,
            String uploadIdMarker, int maxUploads) {
        return remote.listMultipartUploads(bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
    }

}
