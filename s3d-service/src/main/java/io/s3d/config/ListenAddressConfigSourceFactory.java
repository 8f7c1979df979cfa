package io.s3d.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code s3d.endpoint} / {@code S3D_ENDPOINT} into Quarkus's {@code quarkus.http.host} and
 * port, so users configure one URL, as in the original s3d. Its ordinal sits above
 * {@code application.properties} and below environment variables, so an explicit
 * {@code QUARKUS_HTTP_PORT} still wins — except for the host when there are no verified client
 * credentials: then loopback is forced above every other source, whoever asked for another host.
 */
public final class ListenAddressConfigSourceFactory implements ConfigSourceFactory {
    /** Where the factory leaves the host that was asked for, for the start-up warning. */
    public static final String REQUESTED_HOST = "s3d-listen.requested-host";
    private static final int ENDPOINT_ORDINAL = 275;
    private static final int FORCED_ORDINAL = Integer.MAX_VALUE - 100;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue endpoint = context.getValue("s3d.endpoint");
        String value = endpoint == null || endpoint.getValue() == null ? "http://localhost:33333" : endpoint.getValue();
        ListenAddress address = ListenAddress.parse(value, explicitHost(context), credentialsVerified(context));
        Map<String, String> fromEndpoint = new HashMap<>();
        fromEndpoint.put(address.tls() ? "quarkus.http.ssl-port" : "quarkus.http.port", Integer.toString(address.port()));
        fromEndpoint.put(REQUESTED_HOST, address.requestedHost());
        fromEndpoint.putAll(TlsSettings.quarkusProperties(context, address.tls()));
        List<ConfigSource> sources = new ArrayList<>();
        if (address.narrowedToLoopback()) {
            sources.add(new MapBackedConfigSource("s3d.endpoint (no client credentials: loopback only)",
                    Map.of("quarkus.http.host", address.host()), FORCED_ORDINAL) {
            });
        } else {
            fromEndpoint.put("quarkus.http.host", address.host());
        }
        sources.add(new MapBackedConfigSource("s3d.endpoint", fromEndpoint, ENDPOINT_ORDINAL) {
        });
        return sources;
    }

    /** {@code quarkus.http.host} when set above the endpoint (environment, system property). */
    private static Optional<String> explicitHost(ConfigSourceContext context) {
        ConfigValue host = context.getValue("quarkus.http.host");
        if (host == null || host.getValue() == null || host.getConfigSourceOrdinal() <= ENDPOINT_ORDINAL) {
            return Optional.empty();
        }
        return Optional.of(host.getValue());
    }

    /**
     * Whether requests will be verified: a complete pair, or a credentials file that yields at least
     * one pair. A broken file counts as none here (and stops start-up later, naming the file).
     */
    static boolean credentialsVerified(ConfigSourceContext context) {
        if (isSet(context.getValue("s3d.access-key-id")) && isSet(context.getValue("s3d.secret-access-key"))) {
            return true;
        }
        ConfigValue file = context.getValue("s3d.credentials-file");
        if (!isSet(file)) {
            return false;
        }
        try {
            return !CredentialsFile.read(Path.of(file.getValue().trim())).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
