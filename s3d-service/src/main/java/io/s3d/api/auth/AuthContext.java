package io.s3d.api.auth;

/**
 * The outcome of a successful {@link SigV4Verifier#verify}: who signed, and what the body decoder
 * needs to keep verifying the body as it streams.
 *
 * @param accessKeyId the verified access key, or null for an anonymous request (or when
 *     authentication is off and the request carried none)
 * @param payloadMode how the body is protected
 * @param declaredSha256Hex the body's SHA-256 the client signed, for {@link PayloadMode#SIGNED}; else null
 * @param signingKey the SigV4 signing key of the request's scope, for chunk signatures; null when
 *     signatures are not checked (authentication off or anonymous)
 * @param seedSignature the request's own signature, which chains into the first chunk signature
 * @param amzDate the request time as signed ({@code yyyyMMdd'T'HHmmss'Z'})
 * @param scope the credential scope {@code date/region/s3/aws4_request}
 * @param presigned true when the request was authenticated by query parameters
 */
public record AuthContext(String accessKeyId, PayloadMode payloadMode, String declaredSha256Hex, byte[] signingKey,
        String seedSignature, String amzDate, String scope, boolean presigned) {

    /** A request whose signatures are not checked (no credentials configured, or anonymous). */
    public static AuthContext unverified(String accessKeyId, PayloadMode payloadMode, String declaredSha256Hex) {
        return new AuthContext(accessKeyId, payloadMode, declaredSha256Hex, null, null, null, null, false);
    }

    /** True when chunk and trailer signatures can and must be verified. */
    public boolean verifiesChunkSignatures() {
        return signingKey != null && seedSignature != null && payloadMode.hasChunkSignatures();
    }

    /** The region from the credential scope, or null. */
    public String region() {
        if (scope == null) {
            return null;
        }
        String[] parts = scope.split("/");
        return parts.length > 1 ? parts[1] : null;
    }
}
