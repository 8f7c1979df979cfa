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
}
