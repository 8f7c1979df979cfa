package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.remote.RemoteUnreachableException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    // Linux errno values, as a user reads them in strace.
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int EACCES = 13;
    private static final int EEXIST = 17;
    private static final int EINVAL = 22;
    private static final int ENOTEMPTY = 39;

    @Test
    void missingKeysAndBucketsAreNoSuchFile() {
        assertThat(Errno.of(new S3Exception(S3ErrorCode.NO_SUCH_KEY))).isEqualTo(-ENOENT);
        assertThat(Errno.of(new S3Exception(S3ErrorCode.NO_SUCH_BUCKET))).isEqualTo(-ENOENT);
        assertThat(Errno.of(S3Exception.fromRemote("NoSuchKey", 404, "gone"))).isEqualTo(-ENOENT);
        assertThat(Errno.isMissing(new S3Exception(S3ErrorCode.NO_SUCH_KEY))).isTrue();
        assertThat(Errno.isUnexpected(new S3Exception(S3ErrorCode.NO_SUCH_KEY))).isFalse();
    }

    @Test
    void refusalsArePermissionDenied() {
        assertThat(Errno.of(new S3Exception(S3ErrorCode.ACCESS_DENIED))).isEqualTo(-EACCES);
        assertThat(Errno.of(S3Exception.fromRemote("AccessDenied", 403, "no"))).isEqualTo(-EACCES);
        assertThat(Errno.isUnexpected(new S3Exception(S3ErrorCode.ACCESS_DENIED))).isTrue();
    }

    @Test
    void bucketErrorsMapToDirectoryErrnos() {
        assertThat(Errno.of(new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY))).isEqualTo(-ENOTEMPTY);
        assertThat(Errno.of(new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU))).isEqualTo(-EEXIST);
        assertThat(Errno.of(new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME))).isEqualTo(-EINVAL);
    }

    @Test
    void busyFullOrUnreachableStoresAreIoErrorsAndLogged() {
        S3Exception slowDown = new S3Exception(S3ErrorCode.SLOW_DOWN);
        assertThat(Errno.of(slowDown)).isEqualTo(-EIO);
        assertThat(Errno.isUnexpected(slowDown)).isTrue();
        assertThat(Errno.of(new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE))).isEqualTo(-EIO);
        assertThat(Errno.of(new RemoteUnreachableException("connection refused", new ConnectException())))
                .isEqualTo(-EIO);
        assertThat(Errno.of(S3Exception.fromRemote("SomethingNew", 500, "?"))).isEqualTo(-EIO);
        assertThat(Errno.of(new S3Exception(S3ErrorCode.INTERNAL_ERROR))).isEqualTo(-EIO);
    }
}
