package io.s3d.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.access.S3Actions.Need;
import io.s3d.access.S3Actions.Scope;
import io.s3d.access.acl.Permission;
import io.s3d.api.S3Operation;
import org.junit.jupiter.api.Test;

class S3ActionsTest {
    @Test
    void everyOperationHasAnS3Action() {
        for (S3Operation operation : S3Operation.values()) {
            assertThat(S3Actions.of(operation, false).action()).as(operation.name()).startsWith("s3:");
        }
    }

    @Test
    void actionsAreAwsNames() {
        assertThat(S3Actions.of(S3Operation.LIST_BUCKETS, false)).isEqualTo(new Need("s3:ListAllMyBuckets",
                Scope.SERVICE, null, false));
        assertThat(S3Actions.of(S3Operation.LIST_OBJECTS_V2, false).action()).isEqualTo("s3:ListBucket");
        assertThat(S3Actions.of(S3Operation.HEAD_BUCKET, false).action()).isEqualTo("s3:ListBucket");
        assertThat(S3Actions.of(S3Operation.LIST_OBJECT_VERSIONS, false).action()).isEqualTo("s3:ListBucketVersions");
        assertThat(S3Actions.of(S3Operation.GET_OBJECT, false).action()).isEqualTo("s3:GetObject");
        assertThat(S3Actions.of(S3Operation.GET_OBJECT, true).action()).isEqualTo("s3:GetObjectVersion");
        assertThat(S3Actions.of(S3Operation.HEAD_OBJECT, false).action()).isEqualTo("s3:GetObject");
        assertThat(S3Actions.of(S3Operation.DELETE_OBJECT, true).action()).isEqualTo("s3:DeleteObjectVersion");
        assertThat(S3Actions.of(S3Operation.COPY_OBJECT, false).action()).isEqualTo("s3:PutObject");
        assertThat(S3Actions.of(S3Operation.UPLOAD_PART, false).action()).isEqualTo("s3:PutObject");
        assertThat(S3Actions.of(S3Operation.ABORT_MULTIPART_UPLOAD, false).action())
                .isEqualTo("s3:AbortMultipartUpload");
        assertThat(S3Actions.of(S3Operation.LIST_PARTS, false).action()).isEqualTo("s3:ListMultipartUploadParts");
        assertThat(S3Actions.of(S3Operation.LIST_MULTIPART_UPLOADS, false).action())
                .isEqualTo("s3:ListBucketMultipartUploads");
        assertThat(S3Actions.of(S3Operation.GET_BUCKET_ACL, false).action()).isEqualTo("s3:GetBucketAcl");
        assertThat(S3Actions.of(S3Operation.PUT_OBJECT_ACL, false).action()).isEqualTo("s3:PutObjectAcl");
        assertThat(S3Actions.of(S3Operation.PUT_OBJECT_ACL, true).action()).isEqualTo("s3:PutObjectVersionAcl");
        assertThat(S3Actions.of(S3Operation.DELETE_BUCKET_LIFECYCLE, false).action())
                .isEqualTo("s3:PutLifecycleConfiguration");
        assertThat(S3Actions.of(S3Operation.DELETE_PUBLIC_ACCESS_BLOCK, false).action())
                .isEqualTo("s3:PutBucketPublicAccessBlock");
    }

    @Test
    void aclPermissionsAreAwsMapping() {
        assertThat(S3Actions.of(S3Operation.LIST_OBJECTS, false).aclPermission()).isEqualTo(Permission.READ);
        assertThat(S3Actions.of(S3Operation.PUT_OBJECT, false)).isEqualTo(new Need("s3:PutObject", Scope.OBJECT,
                Permission.WRITE, false));
        assertThat(S3Actions.of(S3Operation.GET_OBJECT, false)).isEqualTo(new Need("s3:GetObject", Scope.OBJECT,
                Permission.READ, true));
        assertThat(S3Actions.of(S3Operation.GET_BUCKET_ACL, false).aclPermission()).isEqualTo(Permission.READ_ACP);
        assertThat(S3Actions.of(S3Operation.PUT_BUCKET_ACL, false).aclPermission()).isEqualTo(Permission.WRITE_ACP);
        assertThat(S3Actions.of(S3Operation.DELETE_BUCKET, false).aclPermission()).as("owner only").isNull();
        assertThat(S3Actions.of(S3Operation.PUT_BUCKET_VERSIONING, false).aclPermission()).isNull();
    }
}
