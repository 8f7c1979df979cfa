package io.s3d.api;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.config.ListenAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Open mode (no client credentials) trusts whoever reaches the loopback port — which includes any
 * web page open in the user's browser. This guard keeps browsers out: the {@code Host} must name
 * this machine (no DNS rebinding), a request from another web origin (an {@code Origin} not on the
 * allow-list, or {@code Sec-Fetch-Site: cross-site}) is refused. Programs (SDKs, the CLI, curl) send
 * neither header and are unaffected.
 */
final class OpenModeGuard {
    private final Optional<String> baseDomain;
    private final Set<String> allowedOrigins;

    OpenModeGuard(Optional<String> baseDomain, List<String> allowedOrigins) {
        this.baseDomain = baseDomain.map(d -> d.toLowerCase(Locale.ROOT));
        this.allowedOrigins = allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty())
                .map(OpenModeGuard::normalise).collect(Collectors.toUnmodifiableSet());
    }

    /** The 403 for a request a browser page could have forged, or empty when it may proceed. */
    Optional<S3Exception> refusal(String host, String origin, String fetchSite) {
        if (host == null || !isLocalHost(hostName(host))) {
            return Optional.of(new S3Exception(S3ErrorCode.ACCESS_DENIED, "s3d runs without credentials and only "
                    + "answers requests addressed to this machine (Host localhost, 127.0.0.1 or [::1])."));
        }
        if (origin != null && !allowedOrigins.contains(normalise(origin))) {
            return Optional.of(new S3Exception(S3ErrorCode.ACCESS_DENIED, "s3d runs without credentials and does "
                    + "not answer web pages from origin " + origin + " (see s3d.security.allowed-origins)."));
        }
        if (origin == null && "cross-site".equalsIgnoreCase(fetchSite)) {
            return Optional.of(new S3Exception(S3ErrorCode.ACCESS_DENIED,
                    "s3d runs without credentials and does not answer cross-site browser requests."));
        }
        return Optional.empty();
    }

    private boolean isLocalHost(String name) {
        if (ListenAddress.isLoopback(name) || name.endsWith(".localhost")) {
            return true;
        }
        return baseDomain.map(d -> name.endsWith("." + d) && isLocalHost(d)).orElse(false);
    }

    /** The host name of a Host header, without port and brackets, lower case. */
    static String hostName(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end < 0 ? name : name.substring(1, end);
        }
        int colon = name.lastIndexOf(':');
        return colon >= 0 && name.indexOf(':') == colon ? name.substring(0, colon) : name;
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
