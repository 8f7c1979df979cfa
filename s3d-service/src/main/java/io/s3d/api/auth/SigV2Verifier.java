package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies AWS Signature Version 2 the way S3 does: {@code Authorization: AWS AKID:signature}
 * (request time within 15 minutes of the server's clock) and presigned URLs
 * ({@code AWSAccessKeyId}, {@code Expires} in epoch seconds, {@code Signature}). Signature V2 signs
 * no payload hash: the body is protected only by a {@code Content-MD5} the client chose to send
 * (it is part of the string to sign, and the body decoder checks it), or by a hex
 * {@code x-amz-content-sha256}, which V2 signs as it signs every {@code x-amz-*} header.
 */
public final class SigV2Verifier {
    private static final String PREFIX = "AWS ";

    private final CredentialStore credentials;
    private final Clock clock;
    private final Optional<String> baseDomain;
    private final boolean enabled;

    /**
     * @param credentials the configured keys
     * @param clock the server's clock, for the 15-minute skew window and presigned expiry
     * @param baseDomain the domain under which a Host names a bucket (virtual-hosted style); the
     *     bucket is then part of the signed resource
     * @param enabled false refuses Signature V2 as S3 regions opened after 2014 do
     */
    public SigV2Verifier(CredentialStore credentials, Clock clock, Optional<String> baseDomain, boolean enabled) {
        this.credentials = credentials;
        this.clock = clock;
        this.baseDomain = baseDomain.filter(d -> !d.isBlank()).map(d -> d.toLowerCase(Locale.ROOT));
        this.enabled = enabled;
    }

    /** True for an {@code Authorization} header of Signature V2. */
    static boolean isV2Header(String authorization) {
        return authorization != null && authorization.startsWith(PREFIX);
    }

    /** The access key of a V2 header, or null when it has none (for requests served unverified). */
    static String accessKeyIdOf(String authorization) {
        String rest = authorization.substring(PREFIX.length()).strip();
        int colon = rest.lastIndexOf(':');
        return colon > 0 ? rest.substring(0, colon) : null;
    }

    /** Verifies {@code Authorization: AWS AKID:signature}. */
    AuthContext verifyHeader(SignedRequest request, String authorization) {
        requireEnabled();
        String rest = authorization.substring(PREFIX.length()).strip();
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature")
                    .withElements(Map.of("ArgumentName", "Authorization", "ArgumentValue", authorization));
        }
        String accessKeyId = rest.substring(0, colon);
        String signature = rest.substring(colon + 1);
        String secret = secretFor(accessKeyId);

        String amzDate = request.header("x-amz-date");
        String dateValue = amzDate != null ? amzDate : request.header("date");
        Instant requestTime = parseDate(dateValue);
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(SigV4Verifier.MAX_SKEW) > 0) {
            throw new S3Exception(S3ErrorCode.REQUEST_TIME_TOO_SKEWED).withElements(Map.of(
                    "RequestTime", dateValue,
                    "ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString(),
                    "MaxAllowedSkewMilliseconds", Long.toString(SigV4Verifier.MAX_SKEW.toMillis())));
        }
        // With x-amz-date the Date line is empty: the time is signed among the x-amz-* headers.
        String dateLine = amzDate != null ? "" : dateValue;
        requireMatch(request, dateLine, null, accessKeyId, secret, signature);
        return authenticated(request, accessKeyId, false);
    }

    /** Verifies a presigned URL ({@code AWSAccessKeyId}, {@code Expires}, {@code Signature}). */
    AuthContext verifyPresigned(SignedRequest request, List<String[]> query) {
        requireEnabled();
        String accessKeyId = SigV4.queryParam(query, "AWSAccessKeyId");
        String signature = SigV4.queryParam(query, "Signature");
        String expires = SigV4.queryParam(query, "Expires");
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires == null ? "" : expires.strip());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
        }
        String secret = secretFor(accessKeyId);
        Instant now = clock.instant();
        if (now.getEpochSecond() > expiresAt) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Request has expired").withElements(Map.of(
                    "Expires", Instant.ofEpochSecond(expiresAt).toString(),
                    "ServerTime", now.truncatedTo(ChronoUnit.SECONDS).toString()));
        }
        requireMatch(request, expires, query, accessKeyId, secret, signature);
        return authenticated(request, accessKeyId, true);
    }

    /**
     * SignatureDoesNotMatch unless one form of the canonicalized resource matches. Clients differ in
     * what they sign: the path as sent (AWS, botocore) or decoded, sub-resource values decoded
     * (botocore) or as sent (s3cmd). All forms name the same resource, so none lets a signature stand
     * for another request.
     */
    private void requireMatch(SignedRequest request, String dateLine, List<String[]> query, String accessKeyId,
            String secret, String provided) {
        String amzHeaders = SigV2.canonicalizedAmzHeaders(request.headers());
        String first = null;
        for (String resource : resources(request)) {
            String stringToSign = SigV2.stringToSign(request.method(), request.header("content-md5"),
                    request.header("content-type"), dateLine, amzHeaders, resource);
            first = first == null ? stringToSign : first;
            if (MessageDigest.isEqual(SigV2.sign(secret, stringToSign).getBytes(StandardCharsets.US_ASCII),
                    provided.getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
        }
        // Like AWS, show what was signed (derived from the request alone, no key material).
        throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH).withElements(Map.of(
                "AWSAccessKeyId", accessKeyId,
                "StringToSign", first,
                "SignatureProvided", provided,
                "StringToSignBytes", SigV2.stringToSignBytes(first)));
    }

    /** The canonicalized resource in each form a client may have signed, the AWS form first. */
    Set<String> resources(SignedRequest request) {
        String raw = request.rawPath() == null || request.rawPath().isEmpty() ? "/" : request.rawPath();
        String bucket = virtualHostBucket(request.header("host"));
        String prefix = bucket == null ? "" : "/" + bucket;
        Set<String> paths = new LinkedHashSet<>();
        if (bucket == null && raw.length() > 1 && raw.indexOf('/', 1) < 0) {
            // A path-style bucket request: S3 (and botocore) sign /bucket/ whether or not the slash was sent.
            paths.add(raw + "/");
        }
        paths.add(prefix + raw);
        paths.add(prefix + SigV4.percentDecode(raw, false));
        paths.add(prefix + SigV4.canonicalUri(raw));
        Set<String> resources = new LinkedHashSet<>();
        for (boolean decodeValues : new boolean[] {true, false}) {
            String subResources = SigV2.subResources(request.rawQuery(), decodeValues);
            for (String path : paths) {
                resources.add(path + subResources);
            }
        }
        return resources;
    }

    private String virtualHostBucket(String host) {
        if (host == null || baseDomain.isEmpty()) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        String suffix = "." + baseDomain.get();
        return name.endsWith(suffix) && name.length() > suffix.length()
                ? name.substring(0, name.length() - suffix.length()) : null;
    }

    private static AuthContext authenticated(SignedRequest request, String accessKeyId, boolean presigned) {
        String contentSha256 = request.header("x-amz-content-sha256");
        boolean hashed = SigV4.isHexSha256(contentSha256);
        return new AuthContext(accessKeyId, hashed ? PayloadMode.SIGNED : PayloadMode.UNSIGNED,
                hashed ? contentSha256.toLowerCase(Locale.ROOT) : null, null, null, null, null, presigned);
    }

    /** RFC 1123 ({@code Date}, {@code x-amz-date} as s3cmd sends it) or ISO 8601 basic. */
    private static Instant parseDate(String value) {
        if (value != null) {
            try {
                return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(value.strip(), SigV4Verifier.AMZ_DATE).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException again) {
                    // answered below
                }
            }
        }
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
    }

    private void requireEnabled() {
        if (!enabled) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
    }

    private String secretFor(String accessKeyId) {
        return credentials.secretKeyFor(accessKeyId).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_ACCESS_KEY_ID).withElements(Map.of("AWSAccessKeyId", accessKeyId)));
    }
}
