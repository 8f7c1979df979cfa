package io.s3d.store;

import io.s3d.api.auth.ChecksumAlgorithm;
import io.s3d.api.auth.HashingInputStream;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checksum a part of an upload created with {@code x-amz-checksum-algorithm} keeps, with S3's
 * rules: a part sent with another algorithm is refused (InvalidRequest "Checksum Type mismatch"),
 * and so is a part of a COMPOSITE upload sent without one; a part of a FULL_OBJECT upload sent
 * without one, and every part made by UploadPartCopy, gets the checksum computed here over its
 * bytes, since completing the upload combines the parts' checksums.
 */
final class PartChecksum {
    private final Optional<ChecksumAlgorithm> algorithm;
    private final boolean composite;
    private final boolean copy;
    private HashingInputStream hashed;

    private PartChecksum(Optional<ChecksumAlgorithm> algorithm, boolean composite, boolean copy) {
        this.algorithm = algorithm;
        this.composite = composite;
        this.copy = copy;
    }

    /** For a part sent in an UploadPart request. */
    static PartChecksum forUpload(MultipartStore.UploadFile upload) {
        return new PartChecksum(algorithmOf(upload), isComposite(upload), false);
    }

    /** For a part made by UploadPartCopy: always computed, as S3 does. */
    static PartChecksum forCopy(MultipartStore.UploadFile upload) {
        return new PartChecksum(algorithmOf(upload), isComposite(upload), true);
    }

    private static Optional<ChecksumAlgorithm> algorithmOf(MultipartStore.UploadFile upload) {
        return upload.checksumAlgorithm().flatMap(ChecksumAlgorithm::fromName);
    }

    private static boolean isComposite(MultipartStore.UploadFile upload) {
        return !upload.checksumType().filter("FULL_OBJECT"::equals).isPresent();
    }

    /** The part's bytes, hashed on the way with the upload's algorithm when that may be needed. */
    InputStream watch(InputStream body) {
        if (algorithm.isEmpty()) {
            return body;
        }
        hashed = new HashingInputStream(body, algorithm.get().newHasher());
        return hashed;
    }

    /** The checksums to keep with the part, given those the client sent (verified against the bytes). */
    Map<String, String> settle(Map<String, String> sent) {
        if (algorithm.isEmpty()) {
            return sent;
        }
        String expected = algorithm.get().name();
        if (sent.containsKey(expected)) {
            return sent;
        }
        if (!copy && (composite || !sent.isEmpty())) {
            String actual = sent.isEmpty() ? "null" : sent.keySet().iterator().next().toLowerCase(Locale.ROOT);
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum Type mismatch occurred, expected checksum Type: "
                    + expected.toLowerCase(Locale.ROOT) + ", actual checksum Type: " + actual);
        }
        Map<String, String> kept = new LinkedHashMap<>(copy ? Map.of() : sent);
        kept.put(expected, hashed.digestBase64());
        return kept;
    }
}
