package io.s3d.bench.load;

import java.io.IOException;

/**
 * The S3 requests the load generator makes, behind one interface so that the same workloads can
 * run through the AWS SDK ({@link SdkOps}) or through the lean client ({@link LeanS3Client}).
 * Implementations are safe for concurrent use by the workers.
 */
public interface S3Ops extends AutoCloseable {

    /** Creates a bucket; one that exists and is ours is fine. */
    void createBucket(String bucket) throws IOException;

    /** PUTs {@code size} bytes of the key's deterministic content. */
    void put(String bucket, String key, long size) throws IOException;

    /**
     * GETs an object, or the range {@code [from, from + length)} when {@code range} is set, and
     * checks every byte against the key's content; returns the bytes read.
     */
    long get(String bucket, String key, boolean range, long from, long length, byte[] buf) throws IOException;

    /** HEADs an object; returns its Content-Length. */
    long head(String bucket, String key) throws IOException;

    /** One ListObjectsV2 page. */
    Page list(String bucket, String prefix, String continuationToken, int maxKeys) throws IOException;

    /** A page of a listing: how many keys, and the token of the next page or null. */
    record Page(int keyCount, String nextToken) {
    }

    /** How the report names this client. */
    String describe();

    @Override
    void close();
}
