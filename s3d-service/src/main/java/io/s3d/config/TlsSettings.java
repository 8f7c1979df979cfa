package io.s3d.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps s3d's TLS settings ({@code S3D_TLS_*}) onto the Quarkus TLS registry's default configuration
 * ({@code quarkus.tls.*}) and the HTTP server, so that an {@code https://} endpoint serves HTTPS
 * with a PEM pair or a PKCS#12 keystore, reloaded from disk periodically. Settings given directly as
 * {@code quarkus.tls.*} work too; s3d only checks that an {@code https://} endpoint has a key.
 */
final class TlsSettings {
    static final String PEM_NAME = "s3d";
    private static final Set<String> INSECURE_MODES = Set.of("disabled", "redirect", "enabled");

    private TlsSettings() {
    }

    /**
     * The Quarkus properties for the endpoint's scheme.
     *
     * @throws IllegalArgumentException naming the key when the settings contradict each other
     */
    static Map<String, String> quarkusProperties(ConfigSourceContext context, boolean httpsEndpoint) {
        String cert = value(context, "s3d.tls.cert-file");
        String key = value(context, "s3d.tls.key-file");
        String keystore = value(context, "s3d.tls.keystore-file");
        String password = value(context, "s3d.tls.keystore-password");
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(cert == null
                    ? "s3d.tls.key-file (S3D_TLS_KEY_FILE) is set without s3d.tls.cert-file (S3D_TLS_CERT_FILE)"
                    : "s3d.tls.cert-file (S3D_TLS_CERT_FILE) is set without s3d.tls.key-file (S3D_TLS_KEY_FILE)");
        }
        if (cert != null && keystore != null) {
            throw new IllegalArgumentException("s3d.tls.cert-file (S3D_TLS_CERT_FILE) and s3d.tls.keystore-file "
                    + "(S3D_TLS_KEYSTORE_FILE) are both set: give the key one way");
        }
        boolean ownKey = cert != null || keystore != null;
        boolean quarkusKey = hasQuarkusKeyStore(context);
        if (!httpsEndpoint) {
            if (ownKey) {
                throw new IllegalArgumentException("a TLS certificate is configured (" + (cert != null
                        ? "s3d.tls.cert-file (S3D_TLS_CERT_FILE)" : "s3d.tls.keystore-file (S3D_TLS_KEYSTORE_FILE)")
                        + ") but s3d.endpoint (S3D_ENDPOINT) is http://: use https://host:port to serve HTTPS");
            }
            return Map.of();
        }
        if (!ownKey && !quarkusKey) {
            throw new IllegalArgumentException("s3d.endpoint (S3D_ENDPOINT) is https:// but no certificate is "
                    + "configured: set s3d.tls.cert-file and s3d.tls.key-file (S3D_TLS_CERT_FILE, S3D_TLS_KEY_FILE), "
                    + "or s3d.tls.keystore-file (S3D_TLS_KEYSTORE_FILE), or quarkus.tls.key-store.*");
        }
        Map<String, String> out = new HashMap<>();
        if (cert != null) {
            out.put("quarkus.tls.key-store.pem." + PEM_NAME + ".cert", cert);
            out.put("quarkus.tls.key-store.pem." + PEM_NAME + ".key", key);
        }
        if (keystore != null) {
            out.put("quarkus.tls.key-store.p12.path", keystore);
            if (password != null) {
                out.put("quarkus.tls.key-store.p12.password", password);
            }
        }
        String reload = value(context, "s3d.tls.reload-period");
        out.put("quarkus.tls.reload-period", reload == null ? "1m" : reload);
        String insecure = value(context, "s3d.tls.insecure-requests");
        insecure = insecure == null ? "disabled" : insecure.toLowerCase(Locale.ROOT);
        if (!INSECURE_MODES.contains(insecure)) {
            throw new IllegalArgumentException("s3d.tls.insecure-requests (S3D_TLS_INSECURE_REQUESTS) must be "
                    + "disabled, redirect or enabled, not '" + insecure + "'");
        }
        out.put("quarkus.http.insecure-requests", insecure);
        String httpPort = value(context, "s3d.tls.http-port");
        if (!insecure.equals("disabled")) {
            if (httpPort == null) {
                throw new IllegalArgumentException("s3d.tls.insecure-requests (S3D_TLS_INSECURE_REQUESTS) is "
                        + insecure + ": set s3d.tls.http-port (S3D_TLS_HTTP_PORT), the plain-HTTP port to " + insecure
                        + (insecure.equals("redirect") ? " from" : " on"));
            }
            out.put("quarkus.http.port", httpPort);
        }
        return out;
    }

    /** Whether the default Quarkus TLS configuration has a key store, as properties or environment variables. */
    private static boolean hasQuarkusKeyStore(ConfigSourceContext context) {
        if (value(context, "quarkus.tls.key-store.p12.path") != null
                || value(context, "quarkus.tls.key-store.jks.path") != null) {
            return true;
        }
        for (java.util.Iterator<String> names = context.iterateNames(); names.hasNext();) {
            String name = names.next();
            if ((name.matches("quarkus\\.tls\\.key-store\\.pem\\..+\\.cert")
                    || name.matches("QUARKUS_TLS_KEY_STORE_PEM_.+_CERT")) && value(context, name) != null) {
                return true;
            }
        }
        return false;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().trim();
    }
}
