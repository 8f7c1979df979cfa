package io.s3d.backend;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * A new object version to store.
 *
 * @param bucket target bucket
 * @param key target key
 * @param body the content; read to EOF by the store (decoders verify signatures and checksums at EOF)
 * @param contentLength the number of bytes the body must yield, or -1 when unknown
 * @param contentMd5 base64 MD5 the client sent in Content-MD5, to check (BadDigest)
 * @param headers standard headers to keep (lower-case names)
 * @param userMetadata {@code x-amz-meta-*} values without the prefix
 * @param tags initial tag set
 * @param checksums supplier of verified checksums, read after the body reached EOF
 * @param condition conditional-write rule
 * @param customerKey the 32-byte SSE-C key the client sent, to encrypt with and never store (empty: none)
 */
public record PutRequest(String bucket, String key, InputStream body, long contentLength, Optional<String> contentMd5,
        Map<String, String> headers, Map<String, String> userMetadata, Map<String, String> tags,
        java.util.function.Supplier<Map<String, String>> checksums, WriteCondition condition,
        Optional<byte[]> customerKey) {

    /** A write without an SSE-C key. */
    public PutRequest(String bucket, String key, InputStream body, long contentLength, Optional<String> contentMd5,
            Map<String, String> headers, Map<String, String> userMetadata, Map<String, String> tags,
            java.util.function.Supplier<Map<String, String>> checksums, WriteCondition condition) {
        this(bucket, key, body, contentLength, contentMd5, headers, userMetadata, tags, checksums, condition,
                Optional.empty());
    }
}
