package io.s3d.config;

import java.net.URI;
import java.util.Optional;

/**
 * The host and port s3d listens on, read from {@code s3d.endpoint} (a URL such as
 * {@code http://localhost:33333}, or {@code https://...} to serve TLS), and the host actually bound.
 * Without verified client credentials s3d refuses to listen beyond loopback, whatever asked for
 * another host (the endpoint, {@code QUARKUS_HTTP_HOST}, {@code -Dquarkus.http.host}): an open S3
 * server on a network is a data leak waiting to happen.
 *
 * @param requestedHost the host configuration asked for
 * @param host the host to bind: {@code requestedHost}, or {@code 127.0.0.1} when narrowed
 */
public record ListenAddress(String requestedHost, String host, int port, boolean tls, boolean narrowedToLoopback) {

    public static ListenAddress parse(String endpoint, boolean credentialsVerified) {
        return parse(endpoint, Optional.empty(), credentialsVerified);
    }

    /**
     * @param hostOverride a bind host set explicitly above the endpoint ({@code quarkus.http.host} from
     *     the environment or a system property), which is the one Quarkus would bind
     * @param credentialsVerified whether client credentials are configured and readable (at least one pair)
     */
    public static ListenAddress parse(String endpoint, Optional<String> hostOverride, boolean credentialsVerified) {
        URI uri;
        try {
            uri = URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("s3d.endpoint (S3D_ENDPOINT) is not a URL: '" + endpoint + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException(
                    "s3d.endpoint (S3D_ENDPOINT) must look like http://host:port or https://host:port, got '" + endpoint + "'");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        String requested = hostOverride.filter(h -> !h.isBlank()).map(String::trim).orElse(uri.getHost());
        if (requested.startsWith("[") && requested.endsWith("]")) {
            requested = requested.substring(1, requested.length() - 1);
        }
        if (!credentialsVerified && !isLoopback(requested)) {
            return new ListenAddress(requested, "127.0.0.1", port, tls, true);
        }
        return new ListenAddress(requested, requested, port, tls, false);
    }

    /** Whether a host name or address names this machine's loopback interface only. */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }
}
