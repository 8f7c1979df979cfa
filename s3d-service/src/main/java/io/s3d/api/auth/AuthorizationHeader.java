package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.List;

/** A parsed {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
record AuthorizationHeader(Credential credential, List<String> signedHeaders, String signature) {

    static AuthorizationHeader parse(String value) {
        String rest = value.substring(SigV4.ALGORITHM.length()).strip();
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        // Clients separate the components with ", " or ","; some add spaces around '='.
        for (String component : rest.split(",")) {
            String part = component.strip();
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw malformed("the authorization component \"" + part + "\" is malformed.");
            }
            String name = part.substring(0, eq).strip();
            String val = part.substring(eq + 1).strip();
            switch (name) {
                case "Credential" -> credential = val;
                case "SignedHeaders" -> signedHeaders = val;
                case "Signature" -> signature = val;
                default -> throw malformed("the authorization component \"" + part + "\" is malformed.");
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw malformed("the authorization header requires three components: Credential, SignedHeaders, and Signature.");
        }
        return new AuthorizationHeader(Credential.parse(credential, false),
                SigV4Verifier.parseSignedHeaders(signedHeaders, S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED), signature);
    }

    private static S3Exception malformed(String detail) {
        return new S3Exception(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, "The authorization header is malformed; " + detail);
    }
}
