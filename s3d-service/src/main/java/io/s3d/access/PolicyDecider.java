package io.s3d.access;

/** Evaluates the bucket policies of a local store (implemented by the bucket-policy store). */
public interface PolicyDecider {
    /** What the policy of {@code request.bucket()} says of the request; NONE when it has no policy or no statement applies. */
    PolicyEffect effect(AccessRequest request);

    /** True when the bucket's policy grants access to everyone (AWS's definition of a public policy). */
    boolean isPublic(String bucket);
}
