package io.s3d.access;

import io.s3d.access.acl.Permission;
import io.s3d.api.S3Operation;

/**
 * What each S3 operation needs, after AWS's "Actions, resources and condition keys for Amazon S3":
 * the IAM action a bucket policy is asked about, what it acts on, and the ACL permission that
 * grants it (null: only the bucket owner — or a policy — may).
 */
public final class S3Actions {
    /** What an operation acts on: the service (no bucket), a bucket, or an object in a bucket. */
    public enum Scope {
        SERVICE, BUCKET, OBJECT
    }

    /**
     * @param action the IAM action
     * @param scope what the action is on
     * @param aclPermission the permission an ACL grant must give, on the bucket's ACL for
     *     {@link Scope#BUCKET} and for object writes, on the object's ACL for object reads
     * @param onObjectAcl true when {@code aclPermission} is read from the object's ACL, false from the bucket's
     */
    public record Need(String action, Scope scope, Permission aclPermission, boolean onObjectAcl) {
    }

    private S3Actions() {
    }

    /** The need of {@code operation}; {@code versioned} when the request names a versionId. */
    public static Need of(S3Operation operation, boolean versioned) {
        return switch (operation) {
            case LIST_BUCKETS -> new Need("s3:ListAllMyBuckets", Scope.SERVICE, null, false);
            case CREATE_BUCKET -> new Need("s3:CreateBucket", Scope.SERVICE, null, false);
            case HEAD_BUCKET, LIST_OBJECTS, LIST_OBJECTS_V2 -> bucket("s3:ListBucket", Permission.READ);
            case LIST_OBJECT_VERSIONS -> bucket("s3:ListBucketVersions", Permission.READ);
            case LIST_MULTIPART_UPLOADS -> bucket("s3:ListBucketMultipartUploads", Permission.READ);
            case DELETE_BUCKET -> bucket("s3:DeleteBucket", null);
            case GET_BUCKET_LOCATION -> bucket("s3:GetBucketLocation", null);
            case GET_BUCKET_VERSIONING -> bucket("s3:GetBucketVersioning", null);
            case PUT_BUCKET_VERSIONING -> bucket("s3:PutBucketVersioning", null);
            case GET_BUCKET_LIFECYCLE_CONFIGURATION -> bucket("s3:GetLifecycleConfiguration", null);
            case PUT_BUCKET_LIFECYCLE_CONFIGURATION, DELETE_BUCKET_LIFECYCLE ->
                    bucket("s3:PutLifecycleConfiguration", null);
            case GET_BUCKET_TAGGING -> bucket("s3:GetBucketTagging", null);
            case PUT_BUCKET_TAGGING, DELETE_BUCKET_TAGGING -> bucket("s3:PutBucketTagging", null);
            case GET_OBJECT_LOCK_CONFIGURATION -> bucket("s3:GetBucketObjectLockConfiguration", null);
            case PUT_OBJECT_LOCK_CONFIGURATION -> bucket("s3:PutBucketObjectLockConfiguration", null);
            case GET_BUCKET_ACL -> bucket("s3:GetBucketAcl", Permission.READ_ACP);
            case PUT_BUCKET_ACL -> bucket("s3:PutBucketAcl", Permission.WRITE_ACP);
            case GET_BUCKET_OWNERSHIP_CONTROLS -> bucket("s3:GetBucketOwnershipControls", null);
            case PUT_BUCKET_OWNERSHIP_CONTROLS, DELETE_BUCKET_OWNERSHIP_CONTROLS ->
                    bucket("s3:PutBucketOwnershipControls", null);
            case GET_PUBLIC_ACCESS_BLOCK -> bucket("s3:GetBucketPublicAccessBlock", null);
            case PUT_PUBLIC_ACCESS_BLOCK, DELETE_PUBLIC_ACCESS_BLOCK -> bucket("s3:PutBucketPublicAccessBlock", null);
            case PUT_OBJECT, COPY_OBJECT, POST_OBJECT, CREATE_MULTIPART_UPLOAD, UPLOAD_PART, UPLOAD_PART_COPY,
                    COMPLETE_MULTIPART_UPLOAD -> objectWrite("s3:PutObject");
            case DELETE_OBJECT -> objectWrite(versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject");
            case DELETE_OBJECTS -> new Need("s3:DeleteObject", Scope.BUCKET, Permission.WRITE, false);
            case ABORT_MULTIPART_UPLOAD -> objectWrite("s3:AbortMultipartUpload");
            case LIST_PARTS -> objectWrite("s3:ListMultipartUploadParts");
            case GET_OBJECT, HEAD_OBJECT -> objectRead(versioned ? "s3:GetObjectVersion" : "s3:GetObject",
                    Permission.READ);
            case GET_OBJECT_ATTRIBUTES -> objectRead(versioned ? "s3:GetObjectVersionAttributes"
                    : "s3:GetObjectAttributes", Permission.READ);
            case GET_OBJECT_ACL -> objectRead(versioned ? "s3:GetObjectVersionAcl" : "s3:GetObjectAcl",
                    Permission.READ_ACP);
            case PUT_OBJECT_ACL -> objectRead(versioned ? "s3:PutObjectVersionAcl" : "s3:PutObjectAcl",
                    Permission.WRITE_ACP);
            case GET_OBJECT_TAGGING -> objectOwner(versioned ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging");
            case PUT_OBJECT_TAGGING -> objectOwner(versioned ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging");
            case DELETE_OBJECT_TAGGING -> objectOwner(versioned ? "s3:DeleteObjectVersionTagging"
                    : "s3:DeleteObjectTagging");
            case GET_OBJECT_RETENTION -> objectOwner("s3:GetObjectRetention");
            case PUT_OBJECT_RETENTION -> objectOwner("s3:PutObjectRetention");
            case GET_OBJECT_LEGAL_HOLD -> objectOwner("s3:GetObjectLegalHold");
            case PUT_OBJECT_LEGAL_HOLD -> objectOwner("s3:PutObjectLegalHold");
            // Operations added beside these (bucket policy, ...) are the bucket owner's unless a policy says otherwise.
            default -> bucket("s3:" + operation.awsName(), null);
        };
    }

    private static Need bucket(String action, Permission permission) {
        return new Need(action, Scope.BUCKET, permission, false);
    }

    private static Need objectWrite(String action) {
        return new Need(action, Scope.OBJECT, Permission.WRITE, false);
    }

    private static Need objectRead(String action, Permission permission) {
        return new Need(action, Scope.OBJECT, permission, true);
    }

    private static Need objectOwner(String action) {
        return new Need(action, Scope.OBJECT, null, true);
    }
}
