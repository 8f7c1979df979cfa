package io.s3d.api;

import io.s3d.access.AccessControl;
import io.s3d.access.BucketAccess;
import io.s3d.access.Identities;
import io.s3d.access.Identity;
import io.s3d.access.acl.Acl;
import io.s3d.access.acl.AclXml;
import io.s3d.access.acl.CannedAclHeaders;
import io.s3d.access.acl.Ownership;
import io.s3d.access.acl.PublicAccessBlock;
import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access control on the standalone store, request by request: authorizes each request
 * ({@link AccessControl}), works out the ACL a write asks for before it happens (so a refused ACL
 * writes nothing), records it once the write succeeded, and serves the ACL, ownership controls and
 * public access block operations.
 */
final class AccessHandler {
    /** What a write asked for, checked before it ran: recorded after it succeeded. */
    record Prepared(Acl acl, Ownership ownership, String replacedGeneration) {
        Prepared(Acl acl, Ownership ownership) {
            this(acl, ownership, null);
        }
    }

    private static final Set<String> ENFORCED_ACCEPTS = Set.of("bucket-owner-full-control", "private");
    private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]+)</UploadId>");

    private final AccessControl control;
    private final BucketAccess access;
    private final Identities identities;
    private final ObjectBackend backend;

    AccessHandler(AccessControl control, ObjectBackend backend) {
        this.control = control;
        this.access = control.access();
        this.identities = control.identities();
        this.backend = backend;
    }

    /** Who sent the request (after its signature was verified). */
    Identity identify(S3Request request) {
        return identities.of(request.auth() == null ? null : request.auth().accessKeyId());
    }

    /** Refuses what the requester may not do, and prepares what a write will record. */
    Prepared authorize(S3Request request) {
        Identity who = request.identity();
        control.authorize(call(request, request.operation, request.bucket, request.key, request.query("versionId")));
        if (request.operation == S3Operation.COPY_OBJECT || request.operation == S3Operation.UPLOAD_PART_COPY) {
            CopySource source = MultipartHandler.copySource(request, Optional.empty());
            control.authorize(call(request, S3Operation.GET_OBJECT, source.bucket(), source.key(), source.versionId()));
        }
        if (identities.open()) {
            return null; // open mode records no owners: everything is the implicit owner's
        }
        return switch (request.operation) {
            case CREATE_BUCKET -> prepareBucket(request, who);
            case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD, COMPLETE_MULTIPART_UPLOAD ->
                    prepareObject(request, who);
            case DELETE_OBJECT -> new Prepared(null, null, replacedGeneration(request));
            default -> null;
        };
    }

    /** A browser upload, once its policy is verified: its signer must be allowed to write the key. */
    void authorizePost(S3Request request, String accessKeyId, String key) {
        Identity who = identities.of(accessKeyId);
        request.identified(who, control::shownOwner);
        control.authorize(new AccessControl.Call(who, S3Operation.PUT_OBJECT, request.bucket, key, null,
                request::header, request.query, request.secure(), request.sourceIp()));
    }

    private AccessControl.Call call(S3Request request, S3Operation operation, String bucket, String key,
            String versionId) {
        return new AccessControl.Call(request.identity(), operation, bucket, key, versionId, request::header,
                request.query, request.secure(), request.sourceIp());
    }

    private Prepared prepareBucket(S3Request request, Identity who) {
        String asked = request.header("x-amz-object-ownership");
        Ownership ownership = asked == null ? Ownership.BUCKET_OWNER_ENFORCED : Ownership.named(asked);
        if (exists(request.bucket)) {
            Identity owner = access.bucketOwner(request.bucket);
            if (!owner.canonicalId().equals(who.canonicalId())) {
                throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_EXISTS).withResource("/" + request.bucket)
                        .withElements(Map.of("BucketName", request.bucket));
            }
            return null; // the store answers BucketAlreadyOwnedByYou
        }
        Optional<Acl> acl = CannedAclHeaders.parse(request::header, who, who, identities::byCanonicalId);
        if (ownership == Ownership.BUCKET_OWNER_ENFORCED && acl.isPresent() && !acl.get().ownerOnlyGrants()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
        }
        return new Prepared(acl.orElse(Acl.ownerOnly(who)), ownership);
    }

    private Prepared prepareObject(S3Request request, Identity who) {
        if (!exists(request.bucket)) {
            return null; // the handler answers NoSuchBucket
        }
        Identity bucketOwner = access.bucketOwner(request.bucket);
        Ownership ownership = access.ownership(request.bucket);
        String canned = CannedAclHeaders.cannedName(request::header);
        if (ownership == Ownership.BUCKET_OWNER_ENFORCED) {
            if (CannedAclHeaders.present(request::header) && (canned == null || !ENFORCED_ACCEPTS.contains(canned))) {
                throw aclsDisabled();
            }
            return null; // every object is the bucket owner's alone: nothing to record
        }
        Identity owner = who.anonymous()
                || (ownership == Ownership.BUCKET_OWNER_PREFERRED && "bucket-owner-full-control".equals(canned))
                        ? bucketOwner : who;
        Optional<Acl> acl = CannedAclHeaders.parse(request::header, owner, bucketOwner, identities::byCanonicalId);
        if (acl.isPresent()) {
            refusePublic(request.bucket, acl.get());
        }
        return new Prepared(acl.orElse(Acl.ownerOnly(owner)), ownership,
                request.operation == S3Operation.CREATE_MULTIPART_UPLOAD ? null : replacedGeneration(request));
    }

    /**
     * The generation a write or delete will make disappear, whose ACL file is then removed: the
     * current object of an unversioned bucket, or the version a delete names. Versioned buckets
     * keep their noncurrent versions, and so their ACLs.
     */
    private String replacedGeneration(S3Request request) {
        if (!access.keepsObjectAcls(request.bucket)) {
            return null; // no ACL file to remove: spares every delete a HEAD of what it deletes
        }
        String versionId = request.query("versionId");
        try {
            if (versionId != null && request.operation == S3Operation.DELETE_OBJECT) {
                return backend.headObjectVersion(request.bucket, request.key, versionId).generation();
            }
            if (backend.bucketVersioning(request.bucket) != io.s3d.backend.ObjectVersions.Status.UNVERSIONED) {
                return null;
            }
            return backend.headObject(request.bucket, request.key).generation();
        } catch (S3Exception e) {
            return null; // nothing there (or no bucket: the operation answers that)
        }
    }

    /** Records what a successful write prepared: the bucket's owner and controls, or the object's ACL. */
    void recorded(S3Request request, Prepared prepared, S3Response response) {
        if (prepared == null || response.status >= 300) {
            return;
        }
        if (prepared.replacedGeneration() != null) {
            access.forgetObjectAcl(request.bucket, request.key, prepared.replacedGeneration());
        }
        switch (request.operation) {
            case DELETE_OBJECT -> {
            }
            case CREATE_BUCKET -> {
                access.putOwnership(request.bucket, prepared.ownership());
                access.putBucketAcl(request.bucket, prepared.acl());
            }
            case CREATE_MULTIPART_UPLOAD -> {
                // The upload id is only in the answer's XML; the ACL waits beside the bucket until completion.
                Matcher id = UPLOAD_ID.matcher(new String(response.bytes, StandardCharsets.UTF_8));
                if (id.find()) {
                    access.putUploadAcl(request.bucket, request.key, id.group(1), prepared.acl());
                }
            }
            case COMPLETE_MULTIPART_UPLOAD -> {
                String uploadId = request.query("uploadId");
                Acl acl = access.uploadAcl(request.bucket, request.key, uploadId).orElse(prepared.acl());
                recordObject(request, response, acl);
                access.forgetUploadAcl(request.bucket, request.key, uploadId);
            }
            default -> recordObject(request, response, prepared.acl());
        }
    }

    private void recordObject(S3Request request, S3Response response, Acl acl) {
        String versionId = response.headers.get("x-amz-version-id");
        ObjectMeta meta = versionId == null || versionId.equals("null") ? backend.headObject(request.bucket, request.key)
                : backend.headObjectVersion(request.bucket, request.key, versionId);
        String etag = response.headers.get("ETag");
        if (versionId == null && etag != null && !etag.equals(meta.quotedEtag())) {
            return; // another write of the key came in between: it records its own ACL
        }
        access.putObjectAcl(request.bucket, request.key, meta.generation(), acl);
    }

    S3Response getBucketAcl(S3Request request) {
        return S3Response.xml(200, AclXml.render(access.bucketAcl(request.bucket)));
    }

    S3Response putBucketAcl(S3Request request) {
        Identity owner = access.bucketOwner(request.bucket);
        Acl acl = requestedAcl(request, owner, owner);
        if (access.ownership(request.bucket) == Ownership.BUCKET_OWNER_ENFORCED && !acl.ownerOnlyGrants()) {
            throw aclsDisabled();
        }
        refusePublic(request.bucket, acl);
        access.putBucketAcl(request.bucket, acl);
        return S3Response.status(200);
    }

    S3Response getObjectAcl(S3Request request) {
        String versionId = request.query("versionId");
        ObjectMeta meta = versionId == null ? backend.headObject(request.bucket, request.key)
                : backend.headObjectVersion(request.bucket, request.key, versionId);
        S3Response response = S3Response.xml(200, AclXml.render(control.objectAcl(request.bucket, request.key, meta)));
        meta.versionId().ifPresent(v -> response.header("x-amz-version-id", v));
        return response;
    }

    S3Response putObjectAcl(S3Request request) {
        String versionId = request.query("versionId");
        ObjectMeta meta = versionId == null ? backend.headObject(request.bucket, request.key)
                : backend.headObjectVersion(request.bucket, request.key, versionId);
        Acl current = control.objectAcl(request.bucket, request.key, meta);
        Identity owner = identities.byCanonicalId(current.ownerId())
                .orElse(new Identity(null, current.ownerId(), current.ownerName()));
        Acl acl = requestedAcl(request, owner, access.bucketOwner(request.bucket));
        if (access.ownership(request.bucket) == Ownership.BUCKET_OWNER_ENFORCED && !acl.ownerOnlyGrants()) {
            throw aclsDisabled();
        }
        refusePublic(request.bucket, acl);
        access.putObjectAcl(request.bucket, request.key, meta.generation(), acl);
        S3Response response = S3Response.status(200);
        meta.versionId().ifPresent(v -> response.header("x-amz-version-id", v));
        return response;
    }

    /** The ACL of a Put*Acl: the XML body, or the canned ACL / grant headers; the owner stays who it is. */
    private Acl requestedAcl(S3Request request, Identity owner, Identity bucketOwner) {
        byte[] body = request.smallBody(64 * 1024);
        boolean headers = CannedAclHeaders.present(request::header);
        if (body.length > 0 && headers) {
            throw new S3Exception(S3ErrorCode.UNEXPECTED_CONTENT);
        }
        if (body.length > 0) {
            return AclXml.parse(body, identities::byCanonicalId).withOwner(owner);
        }
        return CannedAclHeaders.parse(request::header, owner, bucketOwner, identities::byCanonicalId)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.MISSING_SECURITY_HEADER,
                        "Your request was missing a required header").withElements(
                                Map.of("MissingHeaderName", "x-amz-acl")));
    }

    /** BlockPublicAcls: an ACL that grants AllUsers or AuthenticatedUsers is refused (403 as AWS). */
    private void refusePublic(String bucket, Acl acl) {
        if (acl.isPublic() && access.publicAccessBlock(bucket).blockPublicAcls()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied");
        }
    }

    private boolean exists(String bucket) {
        try {
            backend.headBucket(bucket);
            return true;
        } catch (S3Exception e) {
            if (e.code().equals(S3ErrorCode.NO_SUCH_BUCKET.code())) {
                return false;
            }
            throw e;
        }
    }

    private static S3Exception aclsDisabled() {
        return new S3Exception(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
    }

    S3Response getOwnershipControls(S3Request request) {
        Ownership ownership = access.ownershipControls(request.bucket).orElseThrow(
                () -> new S3Exception(S3ErrorCode.OWNERSHIP_CONTROLS_NOT_FOUND_ERROR)
                        .withElements(Map.of("BucketName", request.bucket)));
        return S3Response.xml(200, ownership.toXml());
    }

    S3Response putOwnershipControls(S3Request request) {
        backend.headBucket(request.bucket);
        Ownership ownership = Ownership.fromXml(request.smallBody(64 * 1024));
        if (ownership == Ownership.BUCKET_OWNER_ENFORCED && !access.bucketAcl(request.bucket).ownerOnlyGrants()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
        }
        access.putOwnership(request.bucket, ownership);
        return S3Response.status(200);
    }

    S3Response deleteOwnershipControls(S3Request request) {
        access.deleteOwnership(request.bucket);
        return S3Response.status(204);
    }

    S3Response getPublicAccessBlock(S3Request request) {
        PublicAccessBlock block = access.publicAccessBlockConfiguration(request.bucket).orElseThrow(
                () -> new S3Exception(S3ErrorCode.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION)
                        .withElements(Map.of("BucketName", request.bucket)));
        return S3Response.xml(200, block.toXml());
    }

    S3Response putPublicAccessBlock(S3Request request) {
        backend.headBucket(request.bucket);
        access.putPublicAccessBlock(request.bucket, PublicAccessBlock.fromXml(request.smallBody(64 * 1024)));
        return S3Response.status(200);
    }

    S3Response deletePublicAccessBlock(S3Request request) {
        access.deletePublicAccessBlock(request.bucket);
        return S3Response.status(204);
    }
}
