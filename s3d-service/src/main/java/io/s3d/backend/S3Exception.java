package io.s3d.backend;

import java.util.Map;

/**
 * An S3 error on its way to the client. Any layer may throw it; only the S3 front renders it.
 * A remote store's error keeps the remote's own code string, status and message
 * ({@link #fromRemote}), so clients see exactly what the remote said.
 */
public class S3Exception extends RuntimeException {
    private final S3ErrorCode errorCode;
    private final String code;
    private final int status;
    private final String resource;
    private final Map<String, String> extraElements;
    private final Map<String, String> headers;
    private final RemoteAnswer remoteAnswer;

    /**
     * The remote's own answer to a call that failed there: its headers (lower-case names, minus those
     * about its connection to s3d) and its error body as it came (empty for a HEAD). The client gets
     * these, as it gets a forwarded request's answer, not s3d's rendering of the code.
     */
    public record RemoteAnswer(Map<String, String> headers, byte[] body) {
        public RemoteAnswer {
            headers = Map.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }
    }

    public S3Exception(S3ErrorCode errorCode) {
        this(errorCode, errorCode.defaultMessage(), null);
    }

    public S3Exception(S3ErrorCode errorCode, String message) {
        this(errorCode, message, null);
    }

    public S3Exception(S3ErrorCode errorCode, String message, Throwable cause) {
        this(errorCode, errorCode.code(), errorCode.status(), message, null, Map.of(), Map.of(), null, cause);
    }

    private S3Exception(S3ErrorCode errorCode, String code, int status, String message, String resource,
            Map<String, String> extraElements, Map<String, String> headers, RemoteAnswer remoteAnswer,
            Throwable cause) {
        super(message == null ? (errorCode == null ? code : errorCode.defaultMessage()) : message, cause, false,
                false);
        this.errorCode = errorCode;
        this.code = code;
        this.status = status;
        this.resource = resource;
        this.extraElements = extraElements;
        this.headers = headers;
        this.remoteAnswer = remoteAnswer;
    }

    /** An error the remote store answered with, to be passed through unchanged. */
    public static S3Exception fromRemote(String code, int status, String message) {
        return fromRemote(code, status, message, null);
    }

    /** {@link #fromRemote(String, int, String)} with the remote's headers and error body, passed on as they came. */
    public static S3Exception fromRemote(String code, int status, String message, RemoteAnswer answer) {
        S3ErrorCode known = null;
        for (S3ErrorCode candidate : S3ErrorCode.values()) {
            if (candidate.code().equals(code)) {
                known = candidate;
                break;
            }
        }
        return new S3Exception(known, code, status, message, null, Map.of(), Map.of(), answer, null);
    }

    /** The same error with the S3 resource (e.g. {@code /bucket/key}) it is about. */
    public S3Exception withResource(String resource) {
        return new S3Exception(errorCode, code, status, getMessage(), resource, extraElements, headers, remoteAnswer,
                getCause());
    }

    /** The same error with extra XML elements AWS adds for it (e.g. {@code BucketName}, {@code Key}). */
    public S3Exception withElements(Map<String, String> elements) {
        // In the caller's order: AWS writes some elements in a fixed order (Method before ResourceType).
        return new S3Exception(errorCode, code, status, getMessage(), resource,
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(elements)), headers,
                remoteAnswer, getCause());
    }

    /**
     * The same error with response headers AWS sends with it (e.g. {@code x-amz-delete-marker} and
     * {@code x-amz-version-id} on a 404 for a key whose current version is a delete marker).
     */
    public S3Exception withHeaders(Map<String, String> responseHeaders) {
        return new S3Exception(errorCode, code, status, getMessage(), resource, extraElements,
                Map.copyOf(responseHeaders), remoteAnswer, getCause());
    }

    /** Response headers to send with the error. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The known code, or null for a remote code s3d has no constant for. */
    public S3ErrorCode errorCode() {
        return errorCode;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String resource() {
        return resource;
    }

    public Map<String, String> extraElements() {
        return extraElements;
    }

    /** The remote's answer this error came with, if it came from the remote. */
    public java.util.Optional<RemoteAnswer> remoteAnswer() {
        return java.util.Optional.ofNullable(remoteAnswer);
    }
}
