package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A browser-upload (POST Object) policy: the SigV4 (or SigV2) signature over the base64 policy document, its
 * expiration, and its conditions on the form fields (exact matches, {@code starts-with},
 * {@code content-length-range}). As in S3, every form field other than the signature, the policy,
 * the file and {@code x-ignore-*} must be named by a condition.
 */
public final class PostPolicy {
    private static final Set<String> EXEMPT = Set.of("policy", "x-amz-signature", "file", "awsaccesskeyid",
            "signature");

    private final List<Condition> conditions;
    private final long minLength;
    private final long maxLength;

    private record Condition(String kind, String field, String value) {
    }

    private PostPolicy(List<Condition> conditions, long minLength, long maxLength) {
        this.conditions = conditions;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /**
     * Verifies the signature and expiration of the policy in the form fields (lower-case names).
     * With no credentials configured the signature is not checked (s3d then accepts every
     * request) but the policy's conditions still are, when there is one.
     */
    public static PostPolicy verify(Map<String, String> fields, CredentialStore credentials, Clock clock) {
        String policy = fields.get("policy");
        if (!credentials.isEmpty()) {
            if (policy == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Bucket POST must contain a field named 'policy'.  If it is specified, please check the order of the fields.");
            }
            if (fields.containsKey("awsaccesskeyid") && !fields.containsKey("x-amz-algorithm")) {
                verifyV2(fields, credentials, policy);
            } else {
                verifyV4(fields, credentials, policy);
            }
        }
        if (policy == null) {
            return new PostPolicy(List.of(), 0, Long.MAX_VALUE);
        }
        return parse(policy, clock);
    }

    /** SigV4 form: x-amz-algorithm, x-amz-credential, x-amz-date and the hex x-amz-signature. */
    private static void verifyV4(Map<String, String> fields, CredentialStore credentials, String policy) {
        String algorithm = fields.get("x-amz-algorithm");
        if (!"AWS4-HMAC-SHA256".equals(algorithm)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
        }
        String credentialField = fields.get("x-amz-credential");
        String signature = fields.get("x-amz-signature");
        if (credentialField == null || signature == null || fields.get("x-amz-date") == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "Bucket POST must contain the fields x-amz-credential, x-amz-date and x-amz-signature.");
        }
        Credential credential = Credential.parse(credentialField, true);
        String secret = secretFor(credentials, credential.accessKeyId());
        byte[] key = SigV4.signingKey(secret, credential.date(), credential.region(), credential.service());
        if (!SigV4.signaturesEqual(SigV4.sign(key, policy), signature.toLowerCase(Locale.ROOT))) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    /** SigV2 form: AWSAccessKeyId and signature, the base64 HMAC-SHA1 of the base64 policy. */
    private static void verifyV2(Map<String, String> fields, CredentialStore credentials, String policy) {
        String signature = fields.get("signature");
        if (signature == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named 'signature'.  If it is specified, please check the order of the fields.")
                    .withElements(Map.of("ArgumentName", "signature", "ArgumentValue", ""));
        }
        String accessKeyId = fields.get("awsaccesskeyid");
        String secret = secretFor(credentials, accessKeyId);
        if (!java.security.MessageDigest.isEqual(SigV2.sign(secret, policy).getBytes(StandardCharsets.US_ASCII),
                signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH).withElements(Map.of(
                    "AWSAccessKeyId", accessKeyId, "StringToSign", policy, "SignatureProvided", signature,
                    "StringToSignBytes", SigV2.stringToSignBytes(policy)));
        }
    }

    private static String secretFor(CredentialStore credentials, String accessKeyId) {
        return credentials.secretKeyFor(accessKeyId).orElseThrow(() -> new S3Exception(
                S3ErrorCode.INVALID_ACCESS_KEY_ID).withElements(Map.of("AWSAccessKeyId", accessKeyId)));
    }

    private static PostPolicy parse(String base64Policy, Clock clock) {
        JsonObject document;
        try {
            document = new JsonObject(PolicyEscapes.toJson(
                    new String(Base64.getDecoder().decode(base64Policy), StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid JSON.");
        }
        String expiration = document.getString("expiration");
        try {
            if (expiration == null || Instant.parse(expiration).isBefore(clock.instant())) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Invalid according to Policy: Policy expired.");
            }
        } catch (DateTimeParseException e) {
            throw new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid 'expiration' value.");
        }
        JsonArray raw = document.getJsonArray("conditions", new JsonArray());
        List<Condition> conditions = new ArrayList<>();
        long min = 0;
        long max = Long.MAX_VALUE;
        for (Object entry : raw) {
            if (entry instanceof JsonObject exact) {
                for (String name : exact.fieldNames()) {
                    conditions.add(new Condition("eq", name.toLowerCase(Locale.ROOT), String.valueOf(exact.getValue(name))));
                }
            } else if (entry instanceof JsonArray rule && rule.size() == 3) {
                String kind = rule.getString(0).toLowerCase(Locale.ROOT);
                if (kind.equals("content-length-range")) {
                    min = lengthBound(rule.getValue(1));
                    max = lengthBound(rule.getValue(2));
                    continue;
                }
                String field = rule.getString(1);
                if (!field.startsWith("$") || !(kind.equals("eq") || kind.equals("starts-with"))) {
                    throw new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid Condition.");
                }
                conditions.add(new Condition(kind, field.substring(1).toLowerCase(Locale.ROOT), rule.getString(2)));
            } else {
                throw new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT, "Invalid Policy: Invalid Condition.");
            }
        }
        return new PostPolicy(conditions, min, max);
    }

    /** A content-length-range bound: a JSON number, or a string of digits as some signers write it. */
    private static long lengthBound(Object value) {
        try {
            return value instanceof Number number ? number.longValue() : Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_POLICY_DOCUMENT,
                    "Invalid Policy: Invalid content-length-range: " + value);
        }
    }

    /** Checks the form fields (with the real bucket and the final key) against the conditions. */
    public void checkFields(Map<String, String> fields, String bucket) {
        for (Condition condition : conditions) {
            String actual = condition.field.equals("bucket") ? bucket : fields.get(condition.field);
            boolean holds = actual != null && (condition.kind.equals("eq") ? actual.equals(condition.value)
                    : actual.startsWith(condition.value));
            if (!holds) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Invalid according to Policy: Policy Condition failed: [\""
                        + condition.kind + "\", \"$" + condition.field + "\", \"" + condition.value + "\"]");
            }
        }
        if (conditions.isEmpty()) {
            return;
        }
        for (String field : fields.keySet()) {
            if (EXEMPT.contains(field) || field.startsWith("x-ignore-")) {
                continue;
            }
            boolean named = conditions.stream().anyMatch(c -> c.field.equals(field));
            if (!named) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                        "Invalid according to Policy: Extra input fields: " + field);
            }
        }
    }

    public long minLength() {
        return minLength;
    }

    public long maxLength() {
        return maxLength;
    }
}
