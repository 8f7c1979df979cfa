package io.s3d.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code s3d.endpoint} / {@code S3D_ENDPOINT} into Quarkus's {@code quarkus.http.host} and
 * {@code quarkus.http.port}, so users configure one URL, as in the original s3d. Its ordinal sits
 * above {@code application.properties} and below environment variables, so an explicit
 * {@code QUARKUS_HTTP_PORT} still wins.
 */
public final class ListenAddressConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue endpoint = context.getValue("s3d.endpoint");
        String value = endpoint == null || endpoint.getValue() == null ? "http://localhost:33333" : endpoint.getValue();
        ListenAddress address = ListenAddress.parse(value, credentialsConfigured(context));
        return List.of(new MapBackedConfigSource("s3d.endpoint", Map.of(
                "quarkus.http.host", address.host(),
                "quarkus.http.port", Integer.toString(address.port())), 275) {
        });
    }

    private static boolean credentialsConfigured(ConfigSourceContext context) {
        return isSet(context.getValue("s3d.access-key-id")) || isSet(context.getValue("s3d.credentials-file"));
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
