package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.InputStream;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns a raw HTTP request body into the object bytes, verifying signatures and checksums as it streams. */
public final class RequestBodyDecoder {

    private RequestBodyDecoder() {
    }

    /**
     * Wraps the raw HTTP body. The returned stream yields the object bytes: for aws-chunked bodies
     * the de-chunked payload (chunk signatures verified when the {@link AuthContext} carries a signing
     * key, the final chunk and trailer signature too), for SIGNED bodies the bytes whose SHA-256 is
     * checked at end of stream, for UNSIGNED the raw bytes. Checksums declared in
     * {@code x-amz-checksum-*} headers or announced in {@code x-amz-trailer} are computed while
     * streaming and verified at end of stream.
     *
     * <p>Header problems are thrown here (InvalidRequest, InvalidArgument); body problems are thrown
     * from {@code read()}: SignatureDoesNotMatch, XAmzContentSHA256Mismatch, BadDigest (S3 answers
     * BadDigest for header and trailer checksums alike), IncompleteBody.
     */
    public static DecodedBody decode(SignedRequest request, AuthContext auth, InputStream rawBody) {
        boolean chunked = auth.payloadMode().isChunked() || isAwsChunkedEncoding(request);
        long length = chunked ? decodedLength(request) : contentLength(request);

        boolean headersDescribeBody = checksumHeadersDescribeBody(request);
        Map<ChecksumAlgorithm, String> headerChecksums = headersDescribeBody ? headerChecksums(request) : Map.of();
        Set<ChecksumAlgorithm> trailerChecksums = trailerChecksums(request);
        if (!trailerChecksums.isEmpty() && !chunked) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "x-amz-trailer is only allowed with aws-chunked bodies.");
        }
        Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>();
        requestedAlgorithm(request, "x-amz-sdk-checksum-algorithm").ifPresent(algorithms::add);
        if (headersDescribeBody) {
            requestedAlgorithm(request, "x-amz-checksum-algorithm").ifPresent(algorithms::add);
        }
        algorithms.addAll(headerChecksums.keySet());
        algorithms.addAll(trailerChecksums);

        InputStream source;
        ChunkedBodyStream chunkedStream = null;
        if (chunked) {
            chunkedStream = new ChunkedBodyStream(rawBody, auth);
            source = chunkedStream;
        } else {
            source = rawBody;
        }
        VerifyingStream stream = new VerifyingStream(source, chunked, length,
                auth.payloadMode() == PayloadMode.SIGNED ? auth.declaredSha256Hex() : null, algorithms,
                headerChecksums, trailerChecksums, chunkedStream);
        return new Body(stream, length);
    }

    private record Body(VerifyingStream stream, long contentLength) implements DecodedBody {
        @Override
        public Map<ChecksumAlgorithm, String> checksums() {
            return stream.checksums();
        }
    }

    /**
     * Whether {@code x-amz-checksum-*} and {@code x-amz-checksum-algorithm} headers are about this
     * request's body. On CreateMultipartUpload ({@code POST ?uploads}) and CompleteMultipartUpload
     * ({@code POST ?uploadId}) they describe the object being assembled, and on CopyObject and
     * UploadPartCopy ({@code x-amz-copy-source}) the copy; checking them against the XML (or empty)
     * body would reject valid requests. Trailers and {@code x-amz-sdk-checksum-algorithm} always
     * describe the body.
     */
    static boolean checksumHeadersDescribeBody(SignedRequest request) {
        if (request.header("x-amz-copy-source") != null) {
            return false;
        }
        if ("POST".equalsIgnoreCase(request.method())) {
            for (String[] param : SigV4.parseQuery(request.rawQuery())) {
                if (param[0].equals("uploads") || param[0].equals("uploadId")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isAwsChunkedEncoding(SignedRequest request) {
        List<String> values = request.headers().get("content-encoding");
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String coding : value.split(",")) {
                if (coding.strip().equalsIgnoreCase("aws-chunked")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long decodedLength(SignedRequest request) {
        String value = request.header("x-amz-decoded-content-length");
        if (value == null) {
            return -1;
        }
        return parseLength(value, "x-amz-decoded-content-length");
    }

    private static long contentLength(SignedRequest request) {
        String value = request.header("content-length");
        return value == null ? -1 : parseLength(value, "Content-Length");
    }

    private static long parseLength(String value, String name) {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name + ": " + value);
        }
    }

    private static Map<ChecksumAlgorithm, String> headerChecksums(SignedRequest request) {
        Map<ChecksumAlgorithm, String> out = new EnumMap<>(ChecksumAlgorithm.class);
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            String value = request.header(algorithm.headerName());
            if (value != null) {
                checkEncoding(algorithm, value.strip(), "header");
                out.put(algorithm, value.strip());
            }
        }
        if (out.size() > 1) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        return out;
    }

    private static Set<ChecksumAlgorithm> trailerChecksums(SignedRequest request) {
        Set<ChecksumAlgorithm> out = new LinkedHashSet<>();
        List<String> values = request.headers().get("x-amz-trailer");
        if (values == null) {
            return out;
        }
        for (String value : values) {
            for (String name : value.split(",")) {
                String trimmed = name.strip().toLowerCase(Locale.ROOT);
                if (trimmed.isEmpty()) {
                    continue;
                }
                ChecksumAlgorithm algorithm = trimmed.startsWith("x-amz-checksum-")
                        ? ChecksumAlgorithm.fromName(trimmed).orElse(null) : null;
                if (algorithm == null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "The value specified in the x-amz-trailer header is not supported");
                }
                out.add(algorithm);
            }
        }
        if (out.size() > 1) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        return out;
    }

    private static java.util.Optional<ChecksumAlgorithm> requestedAlgorithm(SignedRequest request, String header) {
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(ChecksumAlgorithm.fromName(value).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_REQUEST,
                "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")));
    }

    /** A checksum value must be base64 of exactly the algorithm's width, as S3 insists. */
    static void checkEncoding(ChecksumAlgorithm algorithm, String value, String where) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != algorithm.digestLength()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Value for " + algorithm.headerName() + " " + where + " is invalid.");
        }
    }
}
