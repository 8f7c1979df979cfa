package io.s3d.api;

import io.s3d.access.PublicAccessSettings;
import io.s3d.access.policy.BucketPolicies;
import io.s3d.access.policy.PolicyDocument;
import io.s3d.access.policy.PolicyParser;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import jakarta.enterprise.inject.Instance;
import java.util.Map;

/**
 * PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy and GetBucketPolicyStatus on the local
 * store. Who may call them (the bucket owner) is decided before, by access control; the policy is
 * evaluated there too ({@link BucketPolicies}).
 */
final class PolicyHandler {
    /**
     * Read up to this much so that a policy over AWS's 20 KB limit gets AWS's "exceeds the maximum
     * allowed document size" from the parser, not a body-size error.
     */
    private static final int MAX_BODY = 4 * PolicyParser.MAX_SIZE;

    private final ObjectBackend backend;
    private final BucketPolicies policies;
    private final Instance<PublicAccessSettings> publicAccess;

    PolicyHandler(ObjectBackend backend, BucketPolicies policies, Instance<PublicAccessSettings> publicAccess) {
        this.backend = backend;
        this.policies = policies;
        this.publicAccess = publicAccess;
    }

    S3Response get(S3Request request) {
        backend.headBucket(request.bucket);
        byte[] stored = backend.bucketPolicy(request.bucket).orElseThrow(() -> noPolicy(request.bucket));
        return S3Response.xml(200, stored).header("Content-Type", "application/json");
    }

    /**
     * Stores the policy as sent (GetBucketPolicy returns it byte for byte, as AWS does) once it has
     * been validated. {@code x-amz-confirm-remove-self-bucket-access} is accepted and has nothing to
     * do: s3d's policies never lock the bucket owner out of managing the policy.
     */
    S3Response put(S3Request request) {
        backend.headBucket(request.bucket);
        byte[] body = request.header("Content-MD5") != null || request.hasChecksum()
                ? request.digestedSmallBody(MAX_BODY) : request.smallBody(MAX_BODY);
        PolicyDocument document = PolicyParser.parse(body, request.bucket);
        if (document.isPublic() && blocksPublicPolicy(request.bucket)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied");
        }
        backend.putBucketPolicy(request.bucket, body);
        return S3Response.status(204);
    }

    S3Response delete(S3Request request) {
        backend.headBucket(request.bucket);
        backend.deleteBucketPolicy(request.bucket);
        return S3Response.status(204);
    }

    S3Response status(S3Request request) {
        backend.headBucket(request.bucket);
        PolicyDocument document = policies.document(request.bucket).orElseThrow(() -> noPolicy(request.bucket));
        XmlWriter xml = XmlWriter.document("PolicyStatus").element("IsPublic", document.isPublic());
        return S3Response.xml(200, xml.finish("PolicyStatus"));
    }

    /** The bucket's public access block, when the bean that keeps it is present (ACLs are built beside policies). */
    private boolean blocksPublicPolicy(String bucket) {
        return publicAccess.isResolvable() && publicAccess.get().blocksPublicPolicy(bucket);
    }

    private static S3Exception noPolicy(String bucket) {
        return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET_POLICY).withElements(Map.of("BucketName", bucket));
    }
}
