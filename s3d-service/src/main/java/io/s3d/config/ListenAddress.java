package io.s3d.config;

import java.net.URI;

/**
 * The host and port s3d listens on, read from {@code s3d.endpoint} (a URL such as
 * {@code http://localhost:33333}). Without client credentials s3d refuses to listen beyond
 * loopback: an open S3 server on a network is a data leak waiting to happen.
 */
public record ListenAddress(String host, int port, boolean narrowedToLoopback) {

    public static ListenAddress parse(String endpoint, boolean credentialsConfigured) {
        URI uri;
        try {
            uri = URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("s3d.endpoint (S3D_ENDPOINT) is not a URL: '" + endpoint + "'", e);
        }
        if (uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "s3d.endpoint (S3D_ENDPOINT) must look like http://host:port, got '" + endpoint + "'");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!credentialsConfigured && !isLoopback(host)) {
            return new ListenAddress("127.0.0.1", port, true);
        }
        return new ListenAddress(host, port, false);
    }

    static boolean isLoopback(String host) {
        return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
