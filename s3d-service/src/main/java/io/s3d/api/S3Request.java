package io.s3d.api;

import io.s3d.api.auth.AuthContext;
import io.s3d.api.auth.DecodedBody;
import io.s3d.api.auth.RequestBodyDecoder;
import io.s3d.api.auth.SignedRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One parsed S3 request: who addressed what, with which sub-resources, headers and body. */
final class S3Request {
    final String requestId;
    final String method;
    final String bucket;
    final String key;
    final Map<String, String> query;
    final S3Operation operation;
    private final HttpServerRequest http;
    private final InputStream rawBody;
    private final SignedRequest signed;
    private AuthContext auth;
    private io.s3d.access.Identity identity = io.s3d.access.Identities.OPEN_MODE_OWNER;
    private java.util.function.Function<String, io.s3d.access.Identity> owners = b -> io.s3d.access.Identities.OPEN_MODE_OWNER;
    private DecodedBody body;

    S3Request(String requestId, HttpServerRequest http, InputStream rawBody, SignedRequest signed,
            String bucket, String key, Map<String, String> query) {
        this.requestId = requestId;
        this.http = http;
        this.rawBody = rawBody == null ? InputStream.nullInputStream() : rawBody;
        this.signed = signed;
        this.method = http.method().name();
        this.bucket = bucket;
        this.key = key;
        this.query = query;
        this.operation = S3Operation.resolve(method, bucket, key, query,
                http.headers().contains("x-amz-copy-source"),
                FormDataReader.boundaryOf(http.getHeader("Content-Type")) != null);
    }

    void authenticated(AuthContext context) {
        this.auth = context;
    }

    AuthContext auth() {
        return auth;
    }

    /** Who sent the request, as access control sees it (the implicit owner in open mode and in a gateway). */
    io.s3d.access.Identity identity() {
        return identity;
    }

    void identified(io.s3d.access.Identity who, java.util.function.Function<String, io.s3d.access.Identity> bucketOwners) {
        this.identity = who;
        this.owners = bucketOwners;
    }

    /** The owner shown in {@code <Owner>} of this bucket's listings. */
    io.s3d.access.Identity bucketOwner() {
        return owners.apply(bucket);
    }

    /** The owner of another bucket (ListBuckets). */
    io.s3d.access.Identity owners(String name) {
        return owners.apply(name);
    }

    boolean secure() {
        return http.isSSL();
    }

    String sourceIp() {
        return http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }

    SignedRequest signed() {
        return signed;
    }

    /**
     * Whether the request came over a channel an eavesdropper cannot read: TLS, or the loopback
     * interface (the client is on this machine). SSE-C keys are accepted only there.
     */
    boolean confidentialChannel() {
        if (http.isSSL()) {
            return true;
        }
        io.vertx.core.net.SocketAddress peer = http.remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        return io.s3d.config.ListenAddress.isLoopback(peer.hostAddress());
    }

    String header(String name) {
        return http.getHeader(name);
    }

    MultiMap headers() {
        return http.headers();
    }

    String query(String name) {
        return query.get(name);
    }

    /** S3 keys are at most 1024 bytes of UTF-8; longer ones are 400 KeyTooLongError for every operation. */
    static void requireKeyLength(String key) {
        if (key != null && key.length() > 341 && key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG_ERROR).withElements(Map.of("MaxSizeAllowed", "1024",
                    "Size", Integer.toString(key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)));
        }
    }

    /** {@code /bucket/key} as S3 reports it in errors. */
    String resource() {
        if (bucket == null) {
            return "/";
        }
        return key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }

    /**
     * The decoded body (aws-chunked removed, signatures and checksums verified while reading).
     * Sends {@code 100 Continue} first when the client asked for it, so clients only send bodies
     * for requests that passed authentication and validation.
     */
    DecodedBody body() {
        if (body == null) {
            if ("100-continue".equalsIgnoreCase(http.getHeader("Expect"))) {
                http.response().writeContinue();
            }
            body = RequestBodyDecoder.decode(signed, auth, rawBody);
        }
        return body;
    }

    /** The body as sent, for requests whose body is not an S3 payload (browser form uploads). */
    InputStream rawBody() {
        return rawBody;
    }

    /** Reads a small body (XML documents) completely, refusing more than {@code limit} bytes. */
    byte[] smallBody(int limit) {
        try (InputStream in = body().stream()) {
            byte[] data = in.readNBytes(limit + 1);
            if (data.length > limit) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was larger than the maximum "
                        + limit + " bytes allowed.");
            }
            return data;
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "The request body could not be read.", e);
        }
    }

    /**
     * {@link #smallBody(int)} for the operations S3 marks {@code httpChecksumRequired}
     * (DeleteObjects, PutBucketTagging, PutObjectTagging): the client must send a Content-MD5 or an
     * {@code x-amz-checksum-*} (header or trailer) with the body, and it must match. A replayed or
     * corrupted destructive request is refused instead of acted upon.
     */
    byte[] digestedSmallBody(int limit) {
        String contentMd5 = http.getHeader("Content-MD5");
        if (contentMd5 == null && !hasChecksum()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: Content-MD5");
        }
        byte[] declared = null;
        if (contentMd5 != null) {
            try {
                declared = java.util.Base64.getDecoder().decode(contentMd5.trim());
            } catch (IllegalArgumentException e) {
                throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
            }
            if (declared.length != 16) {
                throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
            }
        }
        byte[] data = smallBody(limit);
        if (declared != null && !java.security.MessageDigest.isEqual(declared, md5(data))) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST);
        }
        return data;
    }

    /** Whether the request carries an {@code x-amz-checksum-*} of its body, as a header or a trailer. */
    boolean hasChecksum() {
        for (Map.Entry<String, String> header : http.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-algorithm")
                    && !name.equals("x-amz-checksum-type")) {
                return true;
            }
            if (name.equals("x-amz-trailer") && header.getValue().toLowerCase(Locale.ROOT).contains("x-amz-checksum-")) {
                return true;
            }
        }
        return false;
    }

    private static byte[] md5(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first value of each header, as sent. */
    Map<String, String> headerMap() {
        Map<String, String> first = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : http.headers()) {
            first.putIfAbsent(header.getKey(), header.getValue());
        }
        return first;
    }

    /** This request as the gateway passes it to the remote: as sent, the body decoded and checked. */
    io.s3d.backend.ForwardedRequest forwarded() {
        Map<String, java.util.List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : http.headers()) {
            headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(header.getValue());
        }
        String contentLength = http.getHeader("Content-Length");
        boolean hasBody = http.getHeader("Transfer-Encoding") != null
                || (contentLength != null && !contentLength.trim().equals("0"));
        InputStream stream = null;
        long length = 0;
        if (hasBody) {
            DecodedBody decoded = body();
            stream = decoded.stream();
            length = decoded.contentLength();
        }
        String trailer = http.getHeader("x-amz-trailer");
        java.util.Optional<String> trailingChecksum = java.util.Optional.ofNullable(trailer)
                .map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> t.startsWith("x-amz-checksum-"))
                .map(t -> t.substring("x-amz-checksum-".length()).toUpperCase(Locale.ROOT));
        return new io.s3d.backend.ForwardedRequest(method, bucket, key, java.util.List.copyOf(query.entrySet()),
                headers, stream, length, trailingChecksum);
    }

    /** Standard object headers to keep with a new object (lower-case names). */
    Map<String, String> storedHeaders() {
        Map<String, String> stored = new LinkedHashMap<>();
        for (String name : new String[] { "Content-Type", "Content-Encoding", "Content-Disposition",
                "Content-Language", "Cache-Control", "Expires" }) {
            String value = http.getHeader(name);
            if (value != null) {
                if (name.equals("Content-Encoding")) {
                    value = withoutAwsChunked(value);
                    if (value == null) {
                        continue;
                    }
                }
                stored.put(name.toLowerCase(Locale.ROOT), HeaderValues.requireSafe(name, value));
            }
        }
        return stored;
    }

    /** {@code aws-chunked} is a transfer detail, not part of the object's Content-Encoding. */
    private static String withoutAwsChunked(String contentEncoding) {
        StringBuilder kept = new StringBuilder();
        for (String part : contentEncoding.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("aws-chunked")) {
                if (!kept.isEmpty()) {
                    kept.append(',');
                }
                kept.append(trimmed);
            }
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    /** {@code x-amz-meta-*} headers, lower-case names without the prefix. */
    Map<String, String> userMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        int size = 0;
        for (Map.Entry<String, String> header : http.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-meta-")) {
                String shortName = name.substring("x-amz-meta-".length());
                meta.merge(shortName, HeaderValues.requireSafe(name, header.getValue()), (a, b) -> a + "," + b);
                size += shortName.length() + header.getValue().length();
            }
        }
        if (size > 2048) {
            throw new S3Exception(S3ErrorCode.METADATA_TOO_LARGE).withElements(Map.of("MaxSizeAllowed", "2048"));
        }
        return meta;
    }
}
