package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Counts, hashes and checksums the decoded body and settles every integrity check once the end is
 * reached, so that a body is only ever accepted whole. Failures are sticky: every later read throws
 * the same exception.
 */
final class VerifyingStream extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private final long expectedLength;
    private final String expectedSha256Hex;
    private final MessageDigest sha256;
    private final Map<ChecksumAlgorithm, Hasher> hashers = new EnumMap<>(ChecksumAlgorithm.class);
    private final Map<ChecksumAlgorithm, String> headerChecksums;
    private final Set<ChecksumAlgorithm> trailerChecksums;
    private final ChunkedBodyStream chunkedStream;

    private long count;
    private boolean finished;
    private Map<ChecksumAlgorithm, String> verified;
    private S3Exception failure;

    VerifyingStream(InputStream in, boolean chunked, long expectedLength, String expectedSha256Hex,
            Set<ChecksumAlgorithm> algorithms, Map<ChecksumAlgorithm, String> headerChecksums,
            Set<ChecksumAlgorithm> trailerChecksums, ChunkedBodyStream chunkedStream) {
        this.in = in;
        this.chunked = chunked;
        this.expectedLength = expectedLength;
        this.expectedSha256Hex = expectedSha256Hex;
        this.sha256 = expectedSha256Hex == null ? null : SigV4.sha256();
        for (ChecksumAlgorithm algorithm : algorithms) {
            hashers.put(algorithm, algorithm.newHasher());
        }
        this.headerChecksums = headerChecksums;
        this.trailerChecksums = trailerChecksums;
        this.chunkedStream = chunkedStream;
    }

    Map<ChecksumAlgorithm, String> checksums() {
        if (verified == null) {
            throw new IllegalStateException("checksums are known only after the body has been read to its end");
        }
        return verified;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        try {
            int want = len;
            // A plain body ends at Content-Length even if the connection carries more.
            if (!chunked && expectedLength >= 0) {
                long left = expectedLength - count;
                if (left == 0) {
                    finish();
                    return -1;
                }
                want = (int) Math.min(len, left);
            } else if (chunked && expectedLength == 0 && count == 0) {
                // Nothing to deliver, but the final chunk and trailers still have to be read and checked.
                settleAtDeclaredLength();
                return -1;
            }
            int n = in.read(b, off, want);
            if (n < 0) {
                finish();
                return -1;
            }
            count += n;
            if (chunked && expectedLength >= 0 && count > expectedLength) {
                throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY,
                        "The aws-chunked body is longer than x-amz-decoded-content-length.");
            }
            if (sha256 != null) {
                sha256.update(b, off, n);
            }
            for (Hasher hasher : hashers.values()) {
                hasher.update(b, off, n);
            }
            if (expectedLength >= 0 && count == expectedLength) {
                settleAtDeclaredLength();
            }
            return n;
        } catch (S3Exception e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Settles every check on the read that delivers the last declared byte. A caller that reads
     * exactly {@code contentLength()} bytes and never asks for more would otherwise never see a
     * bad digest, and aws-chunked trailers (which carry the checksum) arrive only after the data.
     */
    private void settleAtDeclaredLength() throws IOException {
        if (chunked) {
            byte[] probe = new byte[1];
            int extra;
            do {
                extra = in.read(probe, 0, 1);
            } while (extra == 0);
            if (extra > 0) {
                throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY,
                        "The aws-chunked body is longer than x-amz-decoded-content-length.");
            }
        }
        finish();
    }

    private void finish() {
        if (finished) {
            return;
        }
        if (expectedLength >= 0 && count != expectedLength) {
            throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY, chunked
                    ? "The aws-chunked body does not match x-amz-decoded-content-length."
                    : S3ErrorCode.INCOMPLETE_BODY.defaultMessage());
        }
        if (sha256 != null) {
            String actual = SigV4.hex(sha256.digest());
            if (!actual.equalsIgnoreCase(expectedSha256Hex)) {
                throw new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH);
            }
        }
        Map<ChecksumAlgorithm, String> computed = new EnumMap<>(ChecksumAlgorithm.class);
        for (Map.Entry<ChecksumAlgorithm, Hasher> e : hashers.entrySet()) {
            computed.put(e.getKey(), e.getValue().digestBase64());
        }
        for (Map.Entry<ChecksumAlgorithm, String> e : headerChecksums.entrySet()) {
            if (!e.getValue().equals(computed.get(e.getKey()))) {
                throw badDigest(e.getKey());
            }
        }
        Map<String, String> trailers = chunkedStream == null ? Map.of() : chunkedStream.trailers();
        for (ChecksumAlgorithm algorithm : trailerChecksums) {
            String value = trailers.get(algorithm.headerName());
            if (value == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The trailer " + algorithm.headerName() + " announced in x-amz-trailer was not sent.");
            }
            RequestBodyDecoder.checkEncoding(algorithm, value, "trailer");
            if (!value.equals(computed.get(algorithm))) {
                throw badDigest(algorithm);
            }
        }
        verified = Collections.unmodifiableMap(computed);
        finished = true;
    }

    private static S3Exception badDigest(ChecksumAlgorithm algorithm) {
        return new S3Exception(S3ErrorCode.BAD_DIGEST,
                "The " + algorithm.name() + " you specified did not match the calculated checksum.");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
