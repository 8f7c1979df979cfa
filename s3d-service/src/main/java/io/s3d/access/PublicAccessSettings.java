package io.s3d.access;

/** The public access block of a bucket, as far as storing a bucket policy needs it (implemented beside the ACLs). */
public interface PublicAccessSettings {
    /** True when the bucket's public access block sets {@code BlockPublicPolicy}: a public policy is refused at PUT. */
    boolean blocksPublicPolicy(String bucket);
}
