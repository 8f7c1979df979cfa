package io.s3d.access;

import io.s3d.access.acl.Acl;
import io.s3d.access.acl.Ownership;
import io.s3d.access.acl.Permission;
import io.s3d.api.S3Operation;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides, for the standalone store, whether an identity may do what it asks, as AWS does for a
 * bucket and its objects: an explicit deny of the bucket policy wins; then the bucket owner may do
 * anything in its bucket; then an ACL grant (unless ownership controls disable ACLs) or a policy
 * allow lets the request through; anything else is 403 AccessDenied. In open mode (no credentials)
 * nothing is refused.
 */
@ApplicationScoped
public class AccessControl {
    /**
     * One request as the front door sees it.
     *
     * @param who the authenticated identity (or anonymous)
     * @param versionId the {@code versionId} query parameter, or null
     * @param header the request's headers by name (any case)
     * @param query the request's query parameters
     */
    public record Call(Identity who, S3Operation operation, String bucket, String key, String versionId,
            Function<String, String> header, Map<String, String> query, boolean secureTransport, String sourceIp) {
    }

    private final Identities identities;
    private final BucketAccess access;
    private final ObjectBackend backend;
    /** The bucket-policy evaluator. */
    private final PolicyDecider policies;

    @Inject
    public AccessControl(Identities identities, BucketAccess access, ObjectBackend backend, PolicyDecider policies) {
        this.identities = identities;
        this.access = access;
        this.backend = backend;
        this.policies = policies;
    }

    public Identities identities() {
        return identities;
    }

    public BucketAccess access() {
        return access;
    }

    /** Refuses (403 AccessDenied) what {@code call.who()} may not do; returns quietly otherwise. */
    public void authorize(Call call) {
        if (identities.open()) {
            return;
        }
        S3Actions.Need need = S3Actions.of(call.operation(), call.versionId() != null);
        if (need.scope() == S3Actions.Scope.SERVICE) {
            if (call.who().anonymous()) {
                throw denied();
            }
            return;
        }
        Identity owner;
        try {
            owner = access.bucketOwner(call.bucket());
        } catch (S3Exception e) {
            if (call.who().anonymous() || !e.code().equals(S3ErrorCode.NO_SUCH_BUCKET.code())) {
                throw denied();
            }
            return; // a signed request for a missing bucket: the handler answers NoSuchBucket
        }
        decide(call, need, owner);
    }

    private void decide(Call call, S3Actions.Need need, Identity owner) {
        Identity who = call.who();
        PolicyEffect effect = policyEffect(request(call, need.action()));
        if (effect == PolicyEffect.DENY) {
            throw denied();
        }
        if (!who.anonymous() && owner.canonicalId().equals(who.canonicalId())) {
            return;
        }
        if (aclAllows(call, need)) {
            return;
        }
        if (effect == PolicyEffect.ALLOW && !restrictedPublicBucket(call.bucket())) {
            return;
        }
        throw denied();
    }

    /** RestrictPublicBuckets: a public policy lets nobody but the bucket owner's identities in. */
    private boolean restrictedPublicBucket(String bucket) {
        return access.publicAccessBlock(bucket).restrictPublicBuckets()
                && policies.isPublic(bucket);
    }

    private boolean aclAllows(Call call, S3Actions.Need need) {
        Identity who = call.who();
        boolean aclsOff = access.ownership(call.bucket()) == Ownership.BUCKET_OWNER_ENFORCED;
        boolean ignorePublic = access.publicAccessBlock(call.bucket()).ignorePublicAcls();
        if (!need.onObjectAcl()) {
            return need.aclPermission() != null && !aclsOff
                    && access.bucketAcl(call.bucket()).allows(who, need.aclPermission(), ignorePublic);
        }
        Acl acl;
        try {
            acl = objectAcl(call.bucket(), call.key(), call.versionId());
        } catch (S3Exception e) {
            if (e.code().equals(S3ErrorCode.NO_SUCH_KEY.code()) || e.code().equals(S3ErrorCode.NO_SUCH_VERSION.code())) {
                // As AWS: who may list the bucket learns the key is missing (404); anyone else gets 403.
                return !aclsOff && access.bucketAcl(call.bucket()).allows(who, Permission.READ, ignorePublic);
            }
            throw e;
        }
        if (!who.anonymous() && who.canonicalId().equals(acl.ownerId())) {
            return true; // an object's owner may always read and change its ACL, and tag it
        }
        return need.aclPermission() != null && !aclsOff && acl.allows(who, need.aclPermission(), ignorePublic);
    }

    /**
     * The ACL of an object version ({@code versionId} null: the current one). A write whose ACL was
     * never recorded (made before this version of s3d, or cut by a crash) has the bucket owner's
     * full control; under BucketOwnerEnforced every object is the bucket owner's alone.
     */
    public Acl objectAcl(String bucket, String key, String versionId) {
        ObjectMeta meta = versionId == null ? backend.headObject(bucket, key)
                : backend.headObjectVersion(bucket, key, versionId);
        return objectAcl(bucket, key, meta);
    }

    public Acl objectAcl(String bucket, String key, ObjectMeta meta) {
        Identity owner = access.bucketOwner(bucket);
        if (access.ownership(bucket) == Ownership.BUCKET_OWNER_ENFORCED) {
            return Acl.ownerOnly(owner);
        }
        return access.objectAcl(bucket, key, meta.generation()).orElseGet(() -> Acl.ownerOnly(owner));
    }

    /** The owner shown for a bucket's objects in listings: the bucket owner (the implicit owner in open mode). */
    public Identity shownOwner(String bucket) {
        if (identities.open() || backend.forwards()) {
            return Identities.OPEN_MODE_OWNER;
        }
        try {
            return access.bucketOwner(bucket);
        } catch (S3Exception e) {
            return Identities.OPEN_MODE_OWNER;
        }
    }

    private PolicyEffect policyEffect(AccessRequest request) {
        return policies.effect(request);
    }

    private AccessRequest request(Call call, String action) {
        Map<String, String> keys = new LinkedHashMap<>();
        putQuery(keys, call.query(), "prefix", "s3:prefix");
        putQuery(keys, call.query(), "delimiter", "s3:delimiter");
        putQuery(keys, call.query(), "max-keys", "s3:max-keys");
        putQuery(keys, call.query(), "versionId", "s3:VersionId");
        for (String header : new String[] {"x-amz-acl", "x-amz-server-side-encryption",
                "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-copy-source", "x-amz-metadata-directive",
                "x-amz-storage-class", "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date",
                "x-amz-object-lock-legal-hold", "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp",
                "x-amz-grant-write-acp", "x-amz-grant-full-control", "x-amz-content-sha256"}) {
            String value = call.header().apply(header);
            if (value != null) {
                keys.put("s3:" + header, value);
            }
        }
        String tagging = call.header().apply("x-amz-tagging");
        if (tagging != null) {
            for (String pair : tagging.split("&")) {
                int eq = pair.indexOf('=');
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                        java.nio.charset.StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
                keys.put("s3:RequestObjectTag/" + name, value);
            }
        }
        Map<String, Optional<Map<String, String>>> tags = new java.util.HashMap<>();
        Function<String, Optional<String>> existingTag = name -> {
            if (call.key() == null) {
                return Optional.empty();
            }
            Optional<Map<String, String>> read = tags.computeIfAbsent("tags", t -> {
                try {
                    return Optional.of(backend.getObjectTags(call.bucket(), call.key(), call.versionId()));
                } catch (S3Exception e) {
                    return Optional.empty();
                }
            });
            return read.map(m -> m.get(name));
        };
        return new AccessRequest(call.who(), action, call.bucket(), call.key(), call.secureTransport(),
                call.sourceIp(), keys, existingTag);
    }

    private static void putQuery(Map<String, String> keys, Map<String, String> query, String name, String key) {
        String value = query.get(name);
        if (value != null) {
            keys.put(key, value);
        }
    }

    static S3Exception denied() {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED);
    }
}
