package io.s3d.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code s3d.log-format} / {@code S3D_LOG_FORMAT} ({@code text} or {@code json}) into
 * Quarkus's {@code quarkus.log.console.json.enabled}: the JSON format is built in but off unless
 * asked for. Its ordinal sits above {@code application.properties} and below environment variables,
 * so an explicit {@code QUARKUS_LOG_CONSOLE_JSON_ENABLED} still wins. Any other value is left to
 * {@link S3dConfig#logFormat()}, which stops start-up naming the key.
 */
public final class LogFormatConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue format = context.getValue("s3d.log-format");
        String value = format == null || format.getValue() == null ? "text" : format.getValue().strip().toLowerCase(Locale.ROOT);
        boolean json = value.equals("json");
        return List.of(new MapBackedConfigSource("s3d.log-format", Map.of(
                "quarkus.log.console.json.enabled", Boolean.toString(json)), 275) {
        });
    }
}
