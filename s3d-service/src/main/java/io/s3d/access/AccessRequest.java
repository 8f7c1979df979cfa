package io.s3d.access;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One request as access control sees it: who asks for which IAM action on which resource, with the
 * condition keys a bucket policy may test.
 *
 * @param identity who signed (or {@link Identity#ANONYMOUS})
 * @param action the IAM action, e.g. {@code s3:GetObject}, {@code s3:ListBucket}
 * @param bucket the bucket, or null for {@code s3:ListAllMyBuckets}
 * @param key the object key, or null for a bucket-level action
 * @param secureTransport true when the request came over TLS ({@code aws:SecureTransport})
 * @param sourceIp the client's address ({@code aws:SourceIp})
 * @param conditionKeys the request's other condition keys by name ({@code s3:prefix},
 *     {@code s3:delimiter}, {@code s3:max-keys}, {@code s3:x-amz-acl}, {@code s3:VersionId},
 *     {@code s3:x-amz-server-side-encryption}, {@code s3:RequestObjectTag/<k>}, ...), present only when the request
 *     carries them
 * @param existingObjectTag the value of a tag of the object the request acts on
 *     ({@code s3:ExistingObjectTag/<k>}), read only when a policy asks
 */
public record AccessRequest(Identity identity, String action, String bucket, String key, boolean secureTransport,
        String sourceIp, Map<String, String> conditionKeys, Function<String, Optional<String>> existingObjectTag) {
}
