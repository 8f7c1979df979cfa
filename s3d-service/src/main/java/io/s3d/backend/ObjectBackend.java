package io.s3d.backend;

import java.util.List;
import java.util.Map;

/**
 * The contract every storage layer fulfils: the local store, the remote store, and the decorators
 * (queue, cache) between them. Calls take and return plain values and streams, never HTTP types;
 * failures are {@link S3Exception}s carrying the S3 error the client should see.
 */
public interface ObjectBackend extends MultipartBackend {

    List<BucketInfo> listBuckets();

    void createBucket(String bucket);

    /** Creates a bucket, with Object Lock (and so versioning) enabled when asked; only the local store has it. */
    default void createBucket(String bucket, boolean objectLockEnabled) {
        if (objectLockEnabled) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep Object Lock.");
        }
        createBucket(bucket);
    }

    BucketInfo headBucket(String bucket);

    void deleteBucket(String bucket);

    ObjectMeta putObject(PutRequest request);

    /** Opens the current version of an object; the caller closes it. */
    ObjectData getObject(String bucket, String key);

    /**
     * Opens the current version of an object when the caller will probably read only {@code range}
     * (the client's {@code Range} header, or null): a remote layer fetches just that part.
     */
    default ObjectData getObject(String bucket, String key, String range) {
        return getObject(bucket, key);
    }

    ObjectMeta headObject(String bucket, String key);

    /** Deletes a key; deleting a missing key succeeds, as in S3. */
    void deleteObject(String bucket, String key);

    ListPage listObjects(String bucket, ListRequest request);

    /** Replaces the tag set of the current version. */
    void putObjectTags(String bucket, String key, Map<String, String> tags);

    /** The tag set of the current version. */
    default Map<String, String> getObjectTags(String bucket, String key) {
        return headObject(bucket, key).tags();
    }

    Map<String, String> getBucketTags(String bucket);

    void putBucketTags(String bucket, Map<String, String> tags);

    /**
     * Passes a request s3d does not answer itself to the remote store, as the client sent it, and
     * returns the remote's answer as it came (its status, headers and body, errors included). Only a
     * gateway has a remote: the local store refuses with NotImplemented.
     */
    default ForwardedResponse forward(ForwardedRequest request) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "s3d does not implement this operation without a remote "
                + "S3 store to pass it to.");
    }

    /** Whether requests this backend does not serve itself can be passed to a remote ({@link #forward}). */
    default boolean forwards() {
        return false;
    }

    /**
     * Whether this layer keeps the multipart upload {@code uploadId} itself (the write queue stages
     * uploads locally); requests on any other upload go to the remote as the client sent them.
     */
    default boolean holdsUpload(String bucket, String key, String uploadId) {
        return !forwards();
    }

    /**
     * Whether this layer takes writes to {@code key} ({@code null}: to any key of the bucket) itself:
     * the write queue does, for the keys its filter selects. A gateway passes every other write to
     * the remote as the client sent it.
     */
    default boolean queuesWrites(String bucket, String key) {
        return !forwards();
    }

    /**
     * Whether this layer has something of its own to answer a read of {@code key} ({@code null}: a
     * listing of the bucket) with: the read cache, or the write queue's not yet pushed writes. A
     * gateway passes every other read to the remote as the client sent it.
     */
    default boolean servesReads(String bucket, String key) {
        return !forwards();
    }

    /**
     * Whether an UploadPartCopy from {@code key} to a new version of it is made where the object
     * lies, without s3d reading its bytes from elsewhere: so in the local store and on a remote. The
     * write queue says no for the keys it queues: its staged upload would download the copied
     * ranges, and the push would send the whole object again.
     */
    default boolean copiesPartsInPlace(String bucket, String key) {
        return true;
    }

    /**
     * Whether this layer answers GET and HEAD of one version of {@code key} by id itself (the read
     * cache does: a version never changes); a gateway passes every other version read to the remote.
     */
    default boolean servesVersionReads(String bucket, String key) {
        return false;
    }

    /**
     * Whether the bucket has (or had) versioning on, as far as this layer knows: writes to it then go
     * to the remote as sent, so the client gets the version id (and delete marker) the remote made.
     */
    default boolean versioned(String bucket) {
        return false;
    }

    // ---------------------------------------------------------------- versioning (the local store's)

    /** The bucket's versioning status; a layer without versioning of its own reports UNVERSIONED. */
    default ObjectVersions.Status bucketVersioning(String bucket) {
        headBucket(bucket);
        return ObjectVersions.Status.UNVERSIONED;
    }

    /** Turns versioning on (ENABLED) or pauses it (SUSPENDED); a bucket never goes back to UNVERSIONED. */
    default void putBucketVersioning(String bucket, ObjectVersions.Status status) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep object versions.");
    }

    /**
     * Opens one version of an object ({@code versionId} null: the current one), for a read the caller
     * will probably limit to {@code range} (null: all of it); the caller closes it. The local store
     * keeps versions of its own; a gateway's layers read them from the remote (and its cache).
     */
    default ObjectData getObjectVersion(String bucket, String key, String versionId, String range) {
        if (versionId == null) {
            return getObject(bucket, key, range);
        }
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep object versions.");
    }

    /** {@link #getObjectVersion(String, String, String, String)} for the whole object. */
    default ObjectData getObjectVersion(String bucket, String key, String versionId) {
        return getObjectVersion(bucket, key, versionId, null);
    }

    /** The metadata of one version ({@code versionId} null: the current one). */
    default ObjectMeta headObjectVersion(String bucket, String key, String versionId) {
        if (versionId == null) {
            return headObject(bucket, key);
        }
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep object versions.");
    }

    /**
     * Deletes the key ({@code versionId} null: in a versioned bucket, by adding a delete marker) or
     * one version of it for good, and says what was removed or added.
     */
    default ObjectVersions.Deleted deleteObjectVersion(String bucket, String key, String versionId) {
        if (versionId == null) {
            deleteObject(bucket, key);
            return ObjectVersions.Deleted.UNVERSIONED;
        }
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep object versions.");
    }

    /** The tag set of one version ({@code versionId} null: the current one). */
    default Map<String, String> getObjectTags(String bucket, String key, String versionId) {
        return versionId == null ? getObjectTags(bucket, key) : headObjectVersion(bucket, key, versionId).tags();
    }

    /** Replaces the tag set of one version ({@code versionId} null: the current one). */
    default void putObjectTags(String bucket, String key, String versionId, Map<String, String> tags) {
        if (versionId != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep object versions.");
        }
        putObjectTags(bucket, key, tags);
    }

    /** One page of ListObjectVersions. */
    default ObjectVersions.Page listObjectVersions(String bucket, ObjectVersions.ListRequest request) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep object versions.");
    }

    // ---------------------------------------------------------------- lifecycle (the local store's)

    /**
     * The bucket's lifecycle configuration as stored (validated {@code <LifecycleConfiguration>}
     * XML; the same array until it changes), empty when it has none or this layer keeps none.
     */
    default java.util.Optional<byte[]> bucketLifecycle(String bucket) {
        return java.util.Optional.empty();
    }

    /** Replaces the bucket's lifecycle configuration (validated XML), durably. */
    default void putBucketLifecycle(String bucket, byte[] configuration) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep lifecycle configurations.");
    }

    /** Removes the bucket's lifecycle configuration; removing none succeeds. */
    default void deleteBucketLifecycle(String bucket) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep lifecycle configurations.");
    }

    // ---------------------------------------------------------------- default encryption (the local store's)

    /** The bucket's default encryption configuration (validated XML) as stored; empty when it has none. */
    default java.util.Optional<byte[]> bucketEncryption(String bucket) {
        return java.util.Optional.empty();
    }

    /** Replaces the bucket's default encryption configuration (validated XML), durably. */
    default void putBucketEncryption(String bucket, byte[] configuration) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep encryption configurations.");
    }

    /** Removes the bucket's default encryption configuration; removing none succeeds. */
    default void deleteBucketEncryption(String bucket) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep encryption configurations.");
    }

    // ---------------------------------------------------------------- bucket policy (the local store's)

    /**
     * The bucket's policy as stored (validated JSON, as the client sent it; the same array until it
     * changes), empty when it has none or this layer keeps none.
     */
    default java.util.Optional<byte[]> bucketPolicy(String bucket) {
        return java.util.Optional.empty();
    }

    /** Replaces the bucket's policy (validated JSON), durably. */
    default void putBucketPolicy(String bucket, byte[] policy) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep bucket policies.");
    }

    /** Removes the bucket's policy; removing none succeeds. */
    default void deleteBucketPolicy(String bucket) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep bucket policies.");
    }

    // ---------------------------------------------------------------- CORS (the local store's)

    /**
     * The bucket's CORS configuration as stored (validated {@code <CORSConfiguration>} XML; the same
     * array until it changes), empty when it has none or this layer keeps none.
     */
    default java.util.Optional<byte[]> bucketCors(String bucket) {
        return java.util.Optional.empty();
    }

    /** Replaces the bucket's CORS configuration (validated XML), durably. */
    default void putBucketCors(String bucket, byte[] configuration) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep CORS configurations.");
    }

    /** Removes the bucket's CORS configuration; removing none succeeds. */
    default void deleteBucketCors(String bucket) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep CORS configurations.");
    }

    // ---------------------------------------------------------------- object lock (the local store's)

    /** The bucket's Object Lock configuration; empty when Object Lock is not enabled (or this layer has none). */
    default java.util.Optional<ObjectLock.Configuration> objectLockConfiguration(String bucket) {
        return java.util.Optional.empty();
    }

    /** Enables Object Lock on a versioned bucket, or replaces its default retention. */
    default void putObjectLockConfiguration(String bucket, ObjectLock.Configuration configuration) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep Object Lock.");
    }

    /** The retention and legal hold of one version ({@code versionId} null: the current one). */
    default ObjectLock.State objectLockState(String bucket, String key, String versionId) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep Object Lock.");
    }

    /**
     * Replaces the retention of one version (empty: removes it), as S3's rules allow: extended by
     * anyone, weakened only by bypassing a GOVERNANCE retention, never while COMPLIANCE is in force.
     */
    default void putObjectRetention(String bucket, String key, String versionId,
            java.util.Optional<ObjectLock.Retention> retention, boolean bypassGovernance) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep Object Lock.");
    }

    /** Turns the legal hold of one version on or off. */
    default void putObjectLegalHold(String bucket, String key, String versionId, boolean on) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "This storage layer does not keep Object Lock.");
    }

    /**
     * {@link #deleteObjectVersion(String, String, String)}, with the request's
     * {@code x-amz-bypass-governance-retention}: a locked version is refused (403 AccessDenied).
     */
    default ObjectVersions.Deleted deleteObjectVersion(String bucket, String key, String versionId,
            boolean bypassGovernance) {
        return deleteObjectVersion(bucket, key, versionId);
    }
}
