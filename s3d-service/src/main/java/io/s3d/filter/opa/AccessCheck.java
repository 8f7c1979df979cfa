package io.s3d.filter.opa;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.filter.ObjectFacts;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization decision for S3 requests ({@code s3d.filter.opa-authorize}): after the request
 * is authenticated, OPA is asked with purpose {@code access}; a deny (or a failure, when access
 * fails closed) is {@code 403 AccessDenied}. Off, it allows everything without asking.
 */
public final class AccessCheck {
    public static final AccessCheck OFF = new AccessCheck(Optional.empty(), java.util.function.UnaryOperator.identity());

    private final Optional<OpaDecider> opa;
    private final java.util.function.UnaryOperator<ObjectFacts> bucketTags;

    /** @param bucketTags adds the bucket's tags (from the filters' bucket-tag cache) to the facts */
    public AccessCheck(Optional<OpaDecider> opa, java.util.function.UnaryOperator<ObjectFacts> bucketTags) {
        this.opa = opa;
        this.bucketTags = bucketTags;
    }

    /**
     * Throws AccessDenied unless the policy allows the request.
     *
     * @param operation the S3 operation's AWS name ({@code GetObject}, ...)
     * @param identity the verified access key, null for an anonymous or unauthenticated request
     * @param bucket the bucket, null for service-level requests
     * @param key the key, null for bucket-level requests
     * @param contentType the request's Content-Type, or null
     * @param contentLength the request's Content-Length, or -1
     */
    public void check(String operation, String identity, String bucket, String key, String contentType,
            long contentLength) {
        if (opa.isEmpty()) {
            return;
        }
        ObjectFacts facts = bucketTags.apply(ObjectFacts.of(bucket, key).withSize(contentLength)
                .withHeaders(contentType == null ? Map.of() : Map.of("content-type", contentType)));
        if (!opa.get().authorizes(operation, identity, facts)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
    }
}
