package io.s3d.api.auth;

/** How the request body is protected, as declared by {@code x-amz-content-sha256}. */
public enum PayloadMode {
    /** {@code UNSIGNED-PAYLOAD}, no header at all, or a presigned URL. */
    UNSIGNED,
    /** A hex SHA-256 of the body; checked when the body has been read. */
    SIGNED,
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked, every chunk signed. */
    STREAMING_SIGNED,
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: signed chunks plus a signed trailer. */
    STREAMING_SIGNED_TRAILER,
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked without signatures, checksum trailer. */
    STREAMING_UNSIGNED_TRAILER;

    /** True for the aws-chunked encodings. */
    public boolean isChunked() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER || this == STREAMING_UNSIGNED_TRAILER;
    }

    /** True when each chunk carries a {@code chunk-signature}. */
    public boolean hasChunkSignatures() {
        return this == STREAMING_SIGNED || this == STREAMING_SIGNED_TRAILER;
    }
}
