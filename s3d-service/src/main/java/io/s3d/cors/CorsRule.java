package io.s3d.cors;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * One {@code <CORSRule>} of a bucket: which web origins may use which methods with which request
 * headers, what the browser may read of the answer, and how long it may cache a preflight.
 */
public record CorsRule(String id, List<String> allowedOrigins, List<String> allowedMethods,
        List<String> allowedHeaders, List<String> exposeHeaders, OptionalInt maxAgeSeconds) {

    public CorsRule {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }

    /** The rule admits every origin ({@code <AllowedOrigin>*</AllowedOrigin>}): S3 then answers {@code *}. */
    public boolean anyOrigin() {
        return allowedOrigins.contains("*");
    }

    /** Whether an {@code Origin} matches one of the rule's origins (exactly, or around its one {@code *}). */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.stream().anyMatch(pattern -> Wildcard.matches(pattern, origin));
    }

    public boolean allowsMethod(String method) {
        return allowedMethods.contains(method);
    }

    /**
     * Whether every header a preflight announces is allowed. Header names are case-insensitive; a
     * rule without {@code AllowedHeader} allows none.
     */
    public boolean allowsHeaders(List<String> requested) {
        return requested.stream().allMatch(header -> allowedHeaders.stream().anyMatch(
                pattern -> Wildcard.matches(pattern.toLowerCase(Locale.ROOT), header.toLowerCase(Locale.ROOT))));
    }

    /** {@code pattern} with at most one {@code *}, which stands for any run of characters (none included). */
    static final class Wildcard {
        private Wildcard() {
        }

        static boolean matches(String pattern, String value) {
            int star = pattern.indexOf('*');
            if (star < 0) {
                return pattern.equals(value);
            }
            String prefix = pattern.substring(0, star);
            String suffix = pattern.substring(star + 1);
            return value.length() >= prefix.length() + suffix.length() && value.startsWith(prefix)
                    && value.endsWith(suffix);
        }
    }
}
