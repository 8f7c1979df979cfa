package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Verifies AWS Signature Version 4 the way S3 does, in the Authorization header and in presigned
 * URLs. The result tells the body decoder how to verify what follows.
 */
public final class SigV4Verifier {
    /** S3 rejects requests whose time is further than this from its own clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** A presigned URL may be valid for at most seven days. */
    static final long MAX_EXPIRES_SECONDS = 604800;

    static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    private final CredentialStore credentials;
    private final Clock clock;
    private final SigV2Verifier sigV2;

    /**
     * @param credentials the configured keys; empty turns verification off
     * @param clock the server's clock, for the 15-minute skew window and presigned expiry
     */
    public SigV4Verifier(CredentialStore credentials, Clock clock) {
        this(credentials, clock, new SigV2Verifier(credentials, clock, java.util.Optional.empty(), true));
    }

    /** @param sigV2 verifies the Signature V2 requests (or refuses them, when turned off) */
    public SigV4Verifier(CredentialStore credentials, Clock clock, SigV2Verifier sigV2) {
        this.credentials = credentials;
        this.clock = clock;
        this.sigV2 = sigV2;
    }

    /**
     * Verifies header-signed ({@code Authorization: AWS4-HMAC-SHA256 ...}) and presigned
     * ({@code X-Amz-Algorithm} query) requests. With an empty {@link CredentialStore} every request is
     * accepted (signed or not, signature not checked) but the payload mode is still read from
     * {@code x-amz-content-sha256} so that bodies can be decoded.
     *
     * @throws S3Exception AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch,
     *     RequestTimeTooSkewed, AuthorizationHeaderMalformed, AuthorizationQueryParametersError,
     *     InvalidRequest or InvalidArgument
     */
    public AuthContext verify(SignedRequest request) {
        String authorization = request.header("authorization");
        List<String[]> query = SigV4.parseQuery(request.rawQuery());
        boolean presigned = SigV4.queryParam(query, "X-Amz-Algorithm") != null;
        boolean presignedV2 = SigV4.queryParam(query, "AWSAccessKeyId") != null
                && SigV4.queryParam(query, "Signature") != null;

        if (credentials.isEmpty()) {
            return unverified(request, authorization, query, presigned);
        }
        if (authorization != null && (presigned || presignedV2)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
        }
        if (authorization != null) {
            return verifyHeader(request, authorization);
        }
        if (presigned) {
            return verifyPresigned(request, query);
        }
        if (presignedV2) {
            return sigV2.verifyPresigned(request, query);
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied");
    }

    private AuthContext unverified(SignedRequest request, String authorization, List<String[]> query,
            boolean presigned) {
        String accessKeyId = null;
        try {
            if (authorization != null && authorization.startsWith(SigV4.ALGORITHM + " ")) {
                accessKeyId = AuthorizationHeader.parse(authorization).credential().accessKeyId();
            } else if (presigned) {
                String credential = SigV4.queryParam(query, "X-Amz-Credential");
                accessKeyId = credential == null ? null : Credential.parse(credential, true).accessKeyId();
            } else if (SigV2Verifier.isV2Header(authorization)) {
                accessKeyId = SigV2Verifier.accessKeyIdOf(authorization);
            }
        } catch (S3Exception e) {
            // Authentication is off: a request s3d cannot parse is still served, only unnamed.
            accessKeyId = null;
        }
        String contentSha256 = presigned ? null : request.header("x-amz-content-sha256");
        PayloadMode mode = payloadMode(contentSha256);
        return AuthContext.unverified(accessKeyId, mode, mode == PayloadMode.SIGNED ? contentSha256.toLowerCase(Locale.ROOT) : null);
    }

    private AuthContext verifyHeader(SignedRequest request, String authorization) {
        if (SigV2Verifier.isV2Header(authorization)) {
            return sigV2.verifyHeader(request, authorization);
        }
        if (!authorization.startsWith(SigV4.ALGORITHM + " ")) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                    "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.");
        }
        AuthorizationHeader header = AuthorizationHeader.parse(authorization);
        Credential credential = header.credential();
        String secret = secretFor(credential.accessKeyId());

        String amzDate = request.header("x-amz-date");
        Instant requestTime;
        if (amzDate != null) {
            requestTime = parseAmzDate(amzDate, S3ErrorCode.ACCESS_DENIED,
                    "AWS authentication requires a valid Date or x-amz-date header");
        } else {
            String date = request.header("date");
            if (date == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
            }
            try {
                requestTime = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
            }
            amzDate = AMZ_DATE.format(requestTime.atOffset(ZoneOffset.UTC));
        }
        if (!amzDate.startsWith(credential.date())) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED,
                    "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.");
        }
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_SKEW) > 0) {
            // AWS names both clocks so a client can see which one is wrong.
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED).withElements(Map.of(
                    "RequestTime", amzDate,
                    "ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString(),
                    "MaxAllowedSkewMilliseconds", Long.toString(MAX_SKEW.toMillis())));
        }

        String contentSha256 = request.header("x-amz-content-sha256");
        if (contentSha256 == null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256");
        }
        PayloadMode mode = payloadMode(contentSha256);

        requireSigned(request, header.signedHeaders(), List.of());
        byte[] signingKey = SigV4.signingKey(secret, credential.date(), credential.region(), credential.service());
        String expected = matchingSignature(request, header.signedHeaders(), null, contentSha256, signingKey, amzDate,
                credential.scope(), credential.accessKeyId(), header.signature());
        return new AuthContext(credential.accessKeyId(), mode,
                mode == PayloadMode.SIGNED ? contentSha256.toLowerCase(Locale.ROOT) : null, signingKey, expected,
                amzDate, credential.scope(), false);
    }

    private AuthContext verifyPresigned(SignedRequest request, List<String[]> query) {
        String algorithm = SigV4.queryParam(query, "X-Amz-Algorithm");
        String credentialParam = SigV4.queryParam(query, "X-Amz-Credential");
        String amzDate = SigV4.queryParam(query, "X-Amz-Date");
        String expires = SigV4.queryParam(query, "X-Amz-Expires");
        String signedHeaders = SigV4.queryParam(query, "X-Amz-SignedHeaders");
        String signature = SigV4.queryParam(query, "X-Amz-Signature");
        if (!SigV4.ALGORITHM.equals(algorithm)) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
        }
        if (credentialParam == null || amzDate == null || expires == null || signedHeaders == null
                || signature == null) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        Credential credential = Credential.parse(credentialParam, true);
        Instant signedAt = parseAmzDate(amzDate, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        long expiresSeconds;
        try {
            expiresSeconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires should be a number");
        }
        if (expiresSeconds < 0) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be non-negative");
        }
        if (expiresSeconds > MAX_EXPIRES_SECONDS) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be less than a week (in seconds) that is; 604800");
        }
        if (!amzDate.startsWith(credential.date())) {
            throw new S3Exception(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "Invalid credential date \"" + credential.date() + "\". This date is not the same as X-Amz-Date: \"" + amzDate.substring(0, Math.min(8, amzDate.length())) + "\".");
        }
        String secret = secretFor(credential.accessKeyId());
        Instant now = clock.instant();
        if (signedAt.minus(MAX_SKEW).isAfter(now)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request is not valid yet");
        }
        if (signedAt.plusSeconds(expiresSeconds).isBefore(now)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired").withElements(Map.of(
                    "X-Amz-Expires", expires,
                    "Expires", signedAt.plusSeconds(expiresSeconds).toString(),
                    "ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString()));
        }

        // Presigned URLs sign UNSIGNED-PAYLOAD unless the signer put a hash in the query.
        String payloadHash = SigV4.queryParam(query, "X-Amz-Content-Sha256");
        if (payloadHash == null) {
            payloadHash = SigV4.UNSIGNED_PAYLOAD;
        }
        PayloadMode mode = payloadMode(payloadHash);
        if (mode.isChunked()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "aws-chunked bodies cannot be presigned");
        }
        List<String> signedNames = parseSignedHeaders(signedHeaders, S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        requireSigned(request, signedNames, query);
        byte[] signingKey = SigV4.signingKey(secret, credential.date(), credential.region(), credential.service());
        String expected = matchingSignature(request, signedNames, "X-Amz-Signature",
                payloadHash, signingKey, amzDate, credential.scope(), credential.accessKeyId(), signature);
        return new AuthContext(credential.accessKeyId(), mode,
                mode == PayloadMode.SIGNED ? payloadHash.toLowerCase(Locale.ROOT) : null, signingKey, expected,
                amzDate, credential.scope(), true);
    }

    /**
     * Refuses a request carrying headers its signature does not cover, as S3 does: {@code host} and
     * every {@code x-amz-*} header must be signed — otherwise anyone holding a presigned URL, or
     * replaying a signed request, could add {@code x-amz-copy-source}, metadata, tags or an ACL. A
     * presigned URL may instead carry such a header in its (signed) query with the same value.
     * {@code x-amz-content-sha256} is exempt: its value is the last line of the canonical request,
     * so it is covered by the signature either way.
     */
    private static void requireSigned(SignedRequest request, List<String> signedHeaders, List<String[]> query) {
        Set<String> signed = Set.copyOf(signedHeaders);
        List<String> unsigned = new java.util.ArrayList<>();
        if (!signed.contains("host")) {
            unsigned.add("host");
        }
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            String name = header.getKey();
            if (!name.startsWith("x-amz-") || name.equals("x-amz-content-sha256") || signed.contains(name)
                    || carriedInQuery(name, header.getValue(), query)) {
                continue;
            }
            unsigned.add(name);
        }
        if (!unsigned.isEmpty()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "There were headers present in the request which were not signed")
                    .withElements(Map.of("HeadersNotSigned", String.join(", ", unsigned)));
        }
    }

    private static boolean carriedInQuery(String name, List<String> values, List<String[]> query) {
        for (String[] param : query) {
            if (param[0].equalsIgnoreCase(name) && values.size() == 1 && values.get(0).equals(param[1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The signature that matches {@code provided}, or SignatureDoesNotMatch. S3 signers disagree on
     * one detail: botocore and the Java and Go SDKs sign the path exactly as they send it, while the
     * SigV4 specification (and clients that send characters such as {@code !} or {@code ~} raw) use
     * the decoded path re-encoded once. Both forms are tried; they decode to the same key, so neither
     * lets a signature stand for a different request. (The query has no such split: every SDK signs
     * it decoded, sorted and re-encoded, and {@code +} there is a space.)
     */
    private static String matchingSignature(SignedRequest request, List<String> signedHeaders, String excludedParam,
            String payloadHash, byte[] signingKey, String amzDate, String scope, String accessKeyId, String provided) {
        Set<String> uris = new LinkedHashSet<>();
        uris.add(SigV4.canonicalUri(request.rawPath()));
        if (request.rawPath() != null && !request.rawPath().isEmpty()) {
            uris.add(request.rawPath());
        }
        String rest = SigV4.canonicalQuery(request.rawQuery(), excludedParam) + "\n"
                + canonicalHeaders(request, signedHeaders) + payloadHash;
        String match = null;
        String firstCanonical = null;
        for (String uri : uris) {
            String canonical = request.method() + "\n" + uri + "\n" + rest;
            firstCanonical = firstCanonical == null ? canonical : firstCanonical;
            String expected = SigV4.sign(signingKey, stringToSign(amzDate, scope, canonical));
            if (SigV4.signaturesEqual(expected, provided) && match == null) {
                match = expected;
            }
        }
        if (match == null) {
            // Like AWS, show what was signed: it is derived from the request alone, and it is what a
            // client author needs to find the difference. No key material is included.
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH).withElements(Map.of(
                    "AWSAccessKeyId", accessKeyId,
                    "StringToSign", stringToSign(amzDate, scope, firstCanonical),
                    "SignatureProvided", provided == null ? "" : provided,
                    "CanonicalRequest", firstCanonical));
        }
        return match;
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return SigV4.ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + SigV4.sha256Hex(
                canonicalRequest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The canonical request in its primary form: the path decoded and re-encoded once. */
    static String canonicalRequest(SignedRequest request, List<String> signedHeaders, String excludedParam,
            String payloadHash) {
        return request.method() + "\n" + SigV4.canonicalUri(request.rawPath()) + "\n"
                + SigV4.canonicalQuery(request.rawQuery(), excludedParam) + "\n"
                + canonicalHeaders(request, signedHeaders) + payloadHash;
    }

    /** Canonical headers, a blank line and the signed header list, each line ending in a newline. */
    private static String canonicalHeaders(SignedRequest request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder(512);
        for (String name : signedHeaders) {
            out.append(name).append(':');
            List<String> values = request.headers().get(name);
            if (values != null) {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append(SigV4.foldWhitespace(values.get(i)));
                }
            }
            out.append('\n');
        }
        out.append('\n');
        out.append(String.join(";", signedHeaders)).append('\n');
        return out.toString();
    }

    /** Maps {@code x-amz-content-sha256} to a payload mode; absent means unsigned. */
    static PayloadMode payloadMode(String contentSha256) {
        if (contentSha256 == null) {
            return PayloadMode.UNSIGNED;
        }
        switch (contentSha256) {
            case SigV4.UNSIGNED_PAYLOAD:
                return PayloadMode.UNSIGNED;
            case SigV4.STREAMING_SIGNED:
                return PayloadMode.STREAMING_SIGNED;
            case SigV4.STREAMING_SIGNED_TRAILER:
                return PayloadMode.STREAMING_SIGNED_TRAILER;
            case SigV4.STREAMING_UNSIGNED_TRAILER:
                return PayloadMode.STREAMING_UNSIGNED_TRAILER;
            default:
                if (SigV4.isHexSha256(contentSha256)) {
                    return PayloadMode.SIGNED;
                }
                if (contentSha256.startsWith("STREAMING-AWS4-ECDSA-P256-SHA256")) {
                    throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "SigV4a (AWS4-ECDSA-P256-SHA256) is not supported");
                }
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value.");
        }
    }

    static List<String> parseSignedHeaders(String value, S3ErrorCode onError) {
        if (value == null || value.isBlank()) {
            throw new S3Exception(onError, onError == S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED
                    ? "The authorization header is malformed; SignedHeaders is empty."
                    : "X-Amz-SignedHeaders is empty.");
        }
        List<String> names = List.of(value.toLowerCase(Locale.ROOT).split(";", -1));
        for (String name : names) {
            if (name.isEmpty()) {
                throw new S3Exception(onError, "SignedHeaders contains an empty header name.");
            }
        }
        return names;
    }

    private String secretFor(String accessKeyId) {
        return credentials.secretKeyFor(accessKeyId).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_ACCESS_KEY_ID).withElements(Map.of("AWSAccessKeyId", accessKeyId)));
    }

    private static Instant parseAmzDate(String value, S3ErrorCode onError, String message) {
        try {
            return LocalDateTime.parse(value, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new S3Exception(onError, message);
        }
    }
}
