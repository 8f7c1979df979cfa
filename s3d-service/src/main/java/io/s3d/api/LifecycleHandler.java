package io.s3d.api;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.lifecycle.LifecycleXml;
import java.util.Map;
import java.util.Optional;

/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and DeleteBucketLifecycle on
 * the local store; the rules themselves run in {@link io.s3d.lifecycle.LifecycleJob}.
 */
final class LifecycleHandler {
    /** 1,000 rules with long IDs, prefixes and tags fit well within this. */
    private static final int MAX_BODY = 2 * 1024 * 1024;
    /** AWS answers with the minimum object size for transitions; s3d has no transitions and reports AWS's default. */
    private static final String MIN_SIZE_HEADER = "x-amz-transition-default-minimum-object-size";
    private static final String MIN_SIZE_DEFAULT = "all_storage_classes_128K";

    private final ObjectBackend backend;

    LifecycleHandler(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response get(S3Request request) {
        backend.headBucket(request.bucket);
        Optional<byte[]> stored = backend.bucketLifecycle(request.bucket);
        if (stored.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION)
                    .withElements(Map.of("BucketName", request.bucket));
        }
        return S3Response.xml(200, stored.get()).header(MIN_SIZE_HEADER, MIN_SIZE_DEFAULT);
    }

    S3Response put(S3Request request) {
        backend.headBucket(request.bucket);
        String minimumSize = request.header(MIN_SIZE_HEADER);
        if (minimumSize != null && !minimumSize.equals(MIN_SIZE_DEFAULT)
                && !minimumSize.equals("varies_by_storage_class")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Invalid value for " + MIN_SIZE_HEADER + ": "
                    + minimumSize);
        }
        byte[] body = request.digestedSmallBody(MAX_BODY);
        backend.putBucketLifecycle(request.bucket, LifecycleXml.render(LifecycleXml.parse(body)));
        return S3Response.status(200).header(MIN_SIZE_HEADER, minimumSize == null ? MIN_SIZE_DEFAULT : minimumSize);
    }

    S3Response delete(S3Request request) {
        backend.headBucket(request.bucket);
        backend.deleteBucketLifecycle(request.bucket);
        return S3Response.status(204);
    }
}
