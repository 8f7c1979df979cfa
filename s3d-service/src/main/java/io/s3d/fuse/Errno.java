package io.s3d.fuse;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.remote.RemoteUnreachableException;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * Which errno a file operation answers for a store error. A missing key or bucket is ENOENT, a
 * refusal EACCES; an overloaded, full or unreachable store (503 SlowDown, ServiceUnavailable,
 * connection failures) and anything unexpected are EIO, which the caller logs: a program sees
 * "Input/output error" and the log says which S3 error it was.
 */
public final class Errno {
    private Errno() {
    }

    /** The negative errno libfuse expects for {@code e}. */
    public static int of(S3Exception e) {
        if (e instanceof RemoteUnreachableException) {
            return -ErrorCodes.EIO();
        }
        String code = e.code();
        if (code == null) {
            return -ErrorCodes.EIO();
        }
        return -switch (code) {
            case "NoSuchKey", "NoSuchBucket", "NoSuchUpload" -> ErrorCodes.ENOENT();
            case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidObjectState" ->
                ErrorCodes.EACCES();
            case "BucketNotEmpty" -> ErrorCodes.ENOTEMPTY();
            case "BucketAlreadyExists", "BucketAlreadyOwnedByYou" -> ErrorCodes.EEXIST();
            case "InvalidBucketName", "KeyTooLongError", "InvalidArgument" -> ErrorCodes.EINVAL();
            case "EntityTooLarge" -> ErrorCodes.EFBIG();
            default -> ErrorCodes.EIO();
        };
    }

    /** Whether {@code e} is worth a line in the log (not a plain "no such file" or "not empty"). */
    public static boolean isUnexpected(S3Exception e) {
        int errno = -of(e);
        return errno == ErrorCodes.EIO() || errno == ErrorCodes.EACCES();
    }

    /** Whether {@code e} says the key (or its bucket) does not exist. */
    public static boolean isMissing(S3Exception e) {
        return e.errorCode() == S3ErrorCode.NO_SUCH_KEY || e.errorCode() == S3ErrorCode.NO_SUCH_BUCKET
                || "NoSuchKey".equals(e.code()) || "NoSuchBucket".equals(e.code());
    }
}
