package io.s3d.cors;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How S3 judges a cross-origin request against a bucket's rules and what it answers: the first rule
 * (in the configuration's order) whose origin, method and — for a preflight — every requested
 * header match decides; its {@code Access-Control-*} headers go on the answer.
 */
public final class CorsAnswer {
    /** S3 sends this on every answer a rule matched, preflight or not. */
    public static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private CorsAnswer() {
    }

    /** The rule a preflight ({@code OPTIONS} with {@code Access-Control-Request-*}) is allowed by, if any. */
    public static Optional<CorsRule> preflight(List<CorsRule> rules, String origin, String requestMethod,
            List<String> requestHeaders) {
        return rules.stream().filter(rule -> rule.allowsOrigin(origin) && rule.allowsMethod(requestMethod)
                && rule.allowsHeaders(requestHeaders)).findFirst();
    }

    /**
     * The rule an actual request is allowed by, if any. Its headers are not judged: the browser
     * checked them in the preflight, and S3 serves the request either way, with or without CORS headers.
     */
    public static Optional<CorsRule> actual(List<CorsRule> rules, String origin, String method) {
        return rules.stream().filter(rule -> rule.allowsOrigin(origin) && rule.allowsMethod(method)).findFirst();
    }

    /**
     * The {@code Access-Control-*} headers and {@code Vary} for an answer {@code rule} allowed. A
     * rule for any origin answers {@code *} without credentials; one that names the origin echoes it
     * and allows credentials, as S3 does. {@code requestHeaders} are echoed (lower case) for a preflight.
     */
    public static Map<String, String> headers(CorsRule rule, String origin, List<String> requestHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", rule.anyOrigin() ? "*" : origin);
        if (!rule.anyOrigin()) {
            headers.put("Access-Control-Allow-Credentials", "true");
        }
        headers.put("Vary", VARY);
        headers.put("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
        if (!requestHeaders.isEmpty()) {
            headers.put("Access-Control-Allow-Headers", String.join(", ",
                    requestHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList()));
        }
        if (!rule.exposeHeaders().isEmpty()) {
            headers.put("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
        }
        rule.maxAgeSeconds().ifPresent(seconds -> headers.put("Access-Control-Max-Age", Integer.toString(seconds)));
        return headers;
    }

    /** The header names of an {@code Access-Control-Request-Headers} value (none when absent or blank). */
    public static List<String> requestedHeaders(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
    }
}
