package io.s3d.api.auth;

import java.util.Base64;

/** An incremental checksum or digest over a byte stream. */
public interface Hasher {

    /** Adds {@code len} bytes of {@code b} from {@code off}. */
    void update(byte[] b, int off, int len);

    /** The checksum in S3's byte order (CRCs big-endian). Call once. */
    byte[] digest();

    /** The checksum as S3 sends it in {@code x-amz-checksum-*}: base64. */
    default String digestBase64() {
        return Base64.getEncoder().encodeToString(digest());
    }
}
