package io.s3d.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Hands Quarkus's OpenTelemetry SDK to {@link Traces} when tracing is on ({@code S3D_OTEL=true}, or
 * {@code quarkus.otel.sdk.disabled=false} set directly). Injected where the storage chain is built,
 * so the remote client is created with tracing already decided.
 */
@Startup
@Singleton
public class Tracing {
    private static final Logger LOG = Logger.getLogger(Tracing.class);

    Tracing(Instance<OpenTelemetry> openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean sdkDisabled,
            @ConfigProperty(name = "quarkus.otel.exporter.otlp.endpoint", defaultValue = "") String endpoint) {
        if (sdkDisabled || !openTelemetry.isResolvable()) {
            Traces.use(null);
            return;
        }
        Traces.use(openTelemetry.get());
        LOG.infof("tracing on: spans exported over OTLP to %s", endpoint.isBlank() ? "the default endpoint" : endpoint);
    }

    public boolean on() {
        return Traces.on();
    }
}
