package io.s3d.api;

import io.s3d.access.PublicAccessSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A public access block with BlockPublicPolicy on every bucket whose name starts with
 * {@code blocked-}; enabled only by {@link BucketPolicyApiTest}'s profile, standing in for the block
 * the ACL side keeps.
 */
@Alternative
@ApplicationScoped
public class BlockingPublicPolicies implements PublicAccessSettings {
    @Override
    public boolean blocksPublicPolicy(String bucket) {
        return bucket.startsWith("blocked-");
    }
}
