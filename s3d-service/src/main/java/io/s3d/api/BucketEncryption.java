package io.s3d.api;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.store.crypto.DefaultEncryption;
import java.util.Map;

/**
 * PutBucketEncryption, GetBucketEncryption and DeleteBucketEncryption on the local store (which
 * applies the default to every write that asks for no encryption of its own: S3 clients, the FUSE
 * mount, the sync folder).
 */
final class BucketEncryption {
    private static final int MAX_BODY = 64 * 1024;

    private final ObjectBackend backend;

    BucketEncryption(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response get(S3Request request) {
        backend.headBucket(request.bucket);
        byte[] stored = backend.bucketEncryption(request.bucket).orElseThrow(() -> new S3Exception(
                S3ErrorCode.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND_ERROR)
                .withElements(Map.of("BucketName", request.bucket)));
        return S3Response.xml(200, stored);
    }

    S3Response put(S3Request request) {
        backend.headBucket(request.bucket);
        byte[] body = request.digestedSmallBody(MAX_BODY);
        backend.putBucketEncryption(request.bucket, DefaultEncryption.render(DefaultEncryption.parse(body)));
        return S3Response.status(200);
    }

    S3Response delete(S3Request request) {
        backend.headBucket(request.bucket);
        backend.deleteBucketEncryption(request.bucket);
        return S3Response.status(204);
    }

}
