package io.s3d.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** S3D_OTEL and the standard OTEL_* variables, as Quarkus's OpenTelemetry extension then reads them. */
class TracingConfigTest {

    private static SmallRyeConfig config(Map<String, String> env) throws IOException {
        URL properties = TracingConfigTest.class.getResource("/application.properties");
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new MapBackedConfigSource("env", env, 300) {
                })
                .withSources(new TracingConfigSourceFactory())
                .build();
    }

    @Test
    void offByDefaultWithTheUsualLogLines() throws IOException {
        SmallRyeConfig config = config(Map.of());
        assertThat(config.getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();
        assertThat(config.getRawValue("quarkus.log.console.format")).doesNotContain("traceId");
        assertThat(config.getRawValue("quarkus.otel.instrument.vertx-http")).isEqualTo("false");
    }

    @Test
    void s3dOtelTurnsTheSdkOnAndPutsTraceIdsInLogLines() throws IOException {
        SmallRyeConfig config = config(Map.of("S3D_OTEL", "true"));
        assertThat(config.getValue("quarkus.otel.sdk.disabled", Boolean.class)).isFalse();
        assertThat(config.getRawValue("quarkus.log.console.format")).contains("traceId=%X{traceId}", "spanId=%X{spanId}");
    }

    @Test
    void theStandardVariablesReachQuarkussExporter() throws IOException {
        SmallRyeConfig config = config(Map.of("S3D_OTEL", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/v1/traces",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret",
                "OTEL_SERVICE_NAME", "edge-s3d",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod"));
        assertThat(config.getRawValue("quarkus.otel.exporter.otlp.endpoint")).isEqualTo("http://collector:4318");
        assertThat(config.getRawValue("quarkus.otel.exporter.otlp.protocol")).isEqualTo("http/protobuf");
        assertThat(config.getRawValue("quarkus.otel.exporter.otlp.traces.endpoint")).isEqualTo("http://traces:4318");
        assertThat(config.getRawValue("quarkus.otel.exporter.otlp.headers")).isEqualTo("api-key=secret");
        assertThat(config.getRawValue("quarkus.otel.service.name")).isEqualTo("edge-s3d");
        assertThat(config.getRawValue("quarkus.otel.resource.attributes")).isEqualTo("deployment.environment=prod");
    }

    @Test
    void explicitQuarkusSettingsStillWin() throws IOException {
        SmallRyeConfig config = config(Map.of("S3D_OTEL", "true", "OTEL_SERVICE_NAME", "from-otel",
                "quarkus.otel.service.name", "from-quarkus"));
        assertThat(config.getRawValue("quarkus.otel.service.name")).isEqualTo("from-quarkus");
    }
}
