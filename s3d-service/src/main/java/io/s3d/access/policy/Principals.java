package io.s3d.access.policy;

import io.s3d.access.Identity;
import java.util.Set;

/**
 * Who a statement's Principal (or NotPrincipal) names: everyone ({@code "*"}), or s3d identities by
 * canonical id or by access key id. s3d has no AWS accounts: each key pair is an account of its own,
 * so {@code arn:aws:iam::<access-key-id>:root} names the key pair as an account ARN names an account.
 *
 * @param everyone {@code "*"} or {@code {"AWS": "*"}}: every identity, anonymous included
 * @param canonicalIds identities named by canonical id
 * @param accessKeyIds identities named by access key id (from an {@code arn:aws:iam::...:root})
 */
record Principals(boolean everyone, Set<String> canonicalIds, Set<String> accessKeyIds) {
    boolean matches(Identity identity) {
        if (everyone) {
            return true;
        }
        if (identity.anonymous()) {
            return false;
        }
        return canonicalIds.contains(identity.canonicalId()) || accessKeyIds.contains(identity.accessKeyId());
    }
}
