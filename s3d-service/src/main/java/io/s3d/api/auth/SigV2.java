package io.s3d.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 2 primitives: the string to sign
 * ({@code Verb\nContent-MD5\nContent-Type\nDate\nCanonicalizedAmzHeaders CanonicalizedResource}) and
 * its HMAC-SHA1, as described in "Signing and authenticating REST requests" of the S3 API reference.
 */
final class SigV2 {
    /**
     * Query parameters that are part of the canonicalized resource: the sub-resources AWS documents
     * for Signature V2, the {@code response-*} overrides, and those botocore's {@code s3} signer adds.
     * Every other parameter is left out of the signature, as in S3.
     */
    static final Set<String> SUB_RESOURCES = Set.of("accelerate", "acl", "analytics", "cors", "defaultObjectAcl",
            "delete", "inventory", "lifecycle", "location", "logging", "metrics", "notification", "object-lock",
            "partNumber", "policy", "replication", "requestPayment", "response-cache-control",
            "response-content-disposition", "response-content-encoding", "response-content-language",
            "response-content-type", "response-expires", "restore", "select", "select-type", "storageClass",
            "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website");

    private SigV2() {
    }

    /** The base64 HMAC-SHA1 of a string with a secret (a request's or a POST policy's signature). */
    static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA1", e);
        }
    }

    static String stringToSign(String method, String contentMd5, String contentType, String date,
            String canonicalizedAmzHeaders, String canonicalizedResource) {
        return method + "\n" + nullToEmpty(contentMd5).strip() + "\n" + nullToEmpty(contentType).strip() + "\n"
                + nullToEmpty(date) + "\n" + canonicalizedAmzHeaders + canonicalizedResource;
    }

    /**
     * Every {@code x-amz-*} header, lower-case, sorted by name, repeated values joined with
     * {@code ,}, each value trimmed and unfolded, one {@code name:value\n} line each.
     */
    static String canonicalizedAmzHeaders(Map<String, List<String>> headers) {
        TreeMap<String, String> amz = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-")) {
                List<String> cleaned = new ArrayList<>(values.size());
                for (String value : values) {
                    cleaned.add(value.replaceAll("\\s*\\r?\\n\\s*", " ").strip());
                }
                amz.merge(lower, String.join(",", cleaned), (a, b) -> a + "," + b);
            }
        });
        StringBuilder out = new StringBuilder();
        amz.forEach((name, value) -> out.append(name).append(':').append(value).append('\n'));
        return out.toString();
    }

    /**
     * The {@code ?name[=value]&...} suffix of the canonicalized resource: the sub-resources of the
     * query, sorted by name, each written as sent ({@code uploads} or {@code uploads=}). Values are
     * decoded when {@code decodeValues} (AWS and botocore) or kept as sent (s3cmd encodes them).
     */
    static String subResources(String rawQuery, boolean decodeValues) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> kept = new ArrayList<>();
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = SigV4.percentDecode(eq < 0 ? part : part.substring(0, eq), true);
            if (!SUB_RESOURCES.contains(name)) {
                continue;
            }
            String value = eq < 0 ? null : part.substring(eq + 1);
            if (value != null && decodeValues) {
                value = SigV4.percentDecode(value, true);
            }
            kept.add(new String[] {name, value == null ? name : name + "=" + value});
        }
        if (kept.isEmpty()) {
            return "";
        }
        kept.sort(Comparator.comparing(p -> p[0]));
        StringBuilder out = new StringBuilder("?");
        for (String[] p : kept) {
            if (out.length() > 1) {
                out.append('&');
            }
            out.append(p[1]);
        }
        return out.toString();
    }

    /** The string to sign as AWS shows it in {@code <StringToSignBytes>}: lower-case hex bytes, space-separated. */
    static String stringToSignBytes(String stringToSign) {
        byte[] bytes = stringToSign.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
