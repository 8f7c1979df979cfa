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
}
