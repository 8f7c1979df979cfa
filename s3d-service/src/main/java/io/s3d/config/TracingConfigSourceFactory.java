package io.s3d.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing as OpenTelemetry users expect it. {@code S3D_OTEL=true} ({@code s3d.otel.enabled}) turns
 * Quarkus's SDK on ({@code quarkus.otel.sdk.disabled=false}; the extension itself is always built
 * in, {@code quarkus.otel.enabled} being fixed at build time) and puts trace and span ids in text log
 * lines. The standard variables ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code _PROTOCOL},
 * {@code _HEADERS}, {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}) become their
 * {@code quarkus.otel.*} equivalents, which Quarkus's own exporter reads (it ignores the
 * {@code OTEL_*} names). The ordinal sits above {@code application.properties} and below
 * environment variables, so an explicit {@code QUARKUS_OTEL_*} still wins.
 */
public final class TracingConfigSourceFactory implements ConfigSourceFactory {
    /** The console format of application.properties, with the ids of the span a line was logged in. */
    static final String TRACED_CONSOLE_FORMAT =
            "%d{HH:mm:ss.SSS} %-5p [%c{2.}] %s [traceId=%X{traceId} spanId=%X{spanId}]%e%n";

    private static final Map<String, String> STANDARD_VARIABLES = Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "quarkus.otel.exporter.otlp.endpoint",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "quarkus.otel.exporter.otlp.protocol",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "quarkus.otel.exporter.otlp.traces.protocol",
            "OTEL_EXPORTER_OTLP_HEADERS", "quarkus.otel.exporter.otlp.headers",
            "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "quarkus.otel.exporter.otlp.traces.headers",
            "OTEL_SERVICE_NAME", "quarkus.otel.service.name",
            "OTEL_RESOURCE_ATTRIBUTES", "quarkus.otel.resource.attributes");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> properties = new HashMap<>();
        boolean on = Boolean.parseBoolean(value(context, "S3D_OTEL", value(context, "s3d.otel.enabled", "false")));
        if (on) {
            properties.put("quarkus.otel.sdk.disabled", "false");
            properties.put("quarkus.log.console.format", TRACED_CONSOLE_FORMAT);
        }
        STANDARD_VARIABLES.forEach((variable, property) -> {
            String value = value(context, variable, null);
            if (value != null) {
                properties.put(property, value);
            }
        });
        String tracesEndpoint = value(context, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", null);
        if (tracesEndpoint != null) {
            // The standard variable is the full URL; Quarkus's exporter adds /v1/traces to what it is given.
            properties.put("quarkus.otel.exporter.otlp.traces.endpoint",
                    tracesEndpoint.replaceFirst("/v1/traces/?$", ""));
        }
        return List.of(new MapBackedConfigSource("s3d.otel", properties, 275) {
        });
    }

    private static String value(ConfigSourceContext context, String name, String otherwise) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? otherwise
                : value.getValue().strip();
    }
}
