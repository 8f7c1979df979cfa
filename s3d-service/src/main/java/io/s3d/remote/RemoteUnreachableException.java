package io.s3d.remote;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;

/**
 * The remote store could not be reached (connection refused or reset, timeout): a client of the
 * pass-through sees {@code 503 ServiceUnavailable} and may retry; the write queue retries on its own.
 */
public final class RemoteUnreachableException extends S3Exception {
    public RemoteUnreachableException(String message, Throwable cause) {
        super(S3ErrorCode.SERVICE_UNAVAILABLE, message, cause);
    }
}
