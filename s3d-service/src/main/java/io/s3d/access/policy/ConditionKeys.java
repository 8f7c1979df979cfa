package io.s3d.access.policy;

import io.s3d.access.AccessRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The condition keys s3d evaluates, and their values for one request. A key outside this list is
 * refused when the policy is stored: a condition on a key s3d never sets would silently never (or,
 * negated, always) hold.
 */
final class ConditionKeys {
    static final String SECURE_TRANSPORT = "aws:SecureTransport";
    static final String SOURCE_IP = "aws:SourceIp";
    static final String EXISTING_OBJECT_TAG = "s3:ExistingObjectTag/";
    static final String REQUEST_OBJECT_TAG = "s3:RequestObjectTag/";

    /** Lower-case name to the name as AWS spells it. */
    private static final Map<String, String> KEYS = Map.ofEntries(
            entry(SECURE_TRANSPORT), entry(SOURCE_IP), entry("aws:CurrentTime"), entry("aws:EpochTime"),
            entry("aws:username"), entry("aws:userid"), entry("aws:PrincipalAccount"), entry("aws:SourceVpc"),
            entry("aws:SourceVpce"), entry("s3:prefix"), entry("s3:delimiter"), entry("s3:max-keys"),
            entry("s3:x-amz-acl"), entry("s3:VersionId"), entry("s3:x-amz-server-side-encryption"));

    private static Map.Entry<String, String> entry(String name) {
        return Map.entry(name.toLowerCase(Locale.ROOT), name);
    }

    private ConditionKeys() {
    }

    /** The key as AWS spells it (names are case-insensitive, tag keys are not), empty when s3d does not know it. */
    static Optional<String> canonical(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        for (String prefix : List.of(EXISTING_OBJECT_TAG, REQUEST_OBJECT_TAG)) {
            if (lower.startsWith(prefix.toLowerCase(Locale.ROOT)) && key.length() > prefix.length()) {
                return Optional.of(prefix + key.substring(prefix.length()));
            }
        }
        return Optional.ofNullable(KEYS.get(lower));
    }

    /**
     * The key's values in {@code request}; empty when the request does not carry it. {@code aws:SourceVpc}
     * and {@code aws:SourceVpce} are never present: no request reaches s3d through a VPC endpoint.
     */
    static List<String> values(String key, AccessRequest request, Instant now) {
        return switch (key) {
            case SECURE_TRANSPORT -> List.of(Boolean.toString(request.secureTransport()));
            case SOURCE_IP -> listOf(request.sourceIp());
            case "aws:CurrentTime" -> List.of(now.toString());
            case "aws:EpochTime" -> List.of(Long.toString(now.getEpochSecond()));
            case "aws:username" -> listOf(request.identity().displayName());
            case "aws:userid" -> List.of(request.identity().anonymous() ? "anonymous"
                    : request.identity().accessKeyId());
            case "aws:PrincipalAccount" -> listOf(request.identity().canonicalId());
            case "aws:SourceVpc", "aws:SourceVpce" -> List.of();
            default -> {
                if (key.startsWith(EXISTING_OBJECT_TAG)) {
                    yield request.existingObjectTag() == null ? List.of()
                            : request.existingObjectTag().apply(key.substring(EXISTING_OBJECT_TAG.length()))
                                    .map(List::of).orElse(List.of());
                }
                yield listOf(requestKey(request.conditionKeys(), key));
            }
        };
    }

    /** A key of the request's map: its name in any case, a tag key exactly. */
    private static String requestKey(Map<String, String> keys, String key) {
        if (keys == null) {
            return null;
        }
        String exact = keys.get(key);
        if (exact != null) {
            return exact;
        }
        boolean tag = key.startsWith(REQUEST_OBJECT_TAG);
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String name = entry.getKey();
            if (tag ? name.regionMatches(true, 0, REQUEST_OBJECT_TAG, 0, REQUEST_OBJECT_TAG.length())
                    && name.substring(REQUEST_OBJECT_TAG.length()).equals(key.substring(REQUEST_OBJECT_TAG.length()))
                    : name.equalsIgnoreCase(key)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static List<String> listOf(String value) {
        return value == null ? List.of() : List.of(value);
    }
}
