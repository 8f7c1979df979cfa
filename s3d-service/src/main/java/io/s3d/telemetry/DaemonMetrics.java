package io.s3d.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.s3d.gateway.Gateway;
import io.s3d.store.LocalStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The daemon-wide gauges: {@code s3d_info{version,mode}} (always 1, for joins and panel titles),
 * the local store's free space and its floor (the disk-floor alert), and the remote error series
 * at zero in gateway mode.
 */
@ApplicationScoped
public class DaemonMetrics {
    private final MeterRegistry registry;
    private final Gateway gateway;
    private final LocalStore store;
    private final String version;

    DaemonMetrics(MeterRegistry registry, Gateway gateway, LocalStore store,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.registry = registry;
        this.gateway = gateway;
        this.store = store;
        this.version = version;
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder("s3d.info", () -> 1).description("s3d's version and mode (standalone, gateway, write-queue, ...)")
                .tag("version", version).tag("mode", gateway.mode()).register(registry);
        Gauge.builder("s3d.local_store.free", store, LocalStore::usableBytes).baseUnit("bytes")
                .description("Free space for s3d on the local store's disk").register(registry);
        Gauge.builder("s3d.local_store.min_free", store, LocalStore::minFreeBytes).baseUnit("bytes")
                .description("The floor (s3d.min-free-disk): below it writes get 503 SlowDown and readiness fails")
                .register(registry);
        if (gateway.remote().isPresent()) {
            RemoteTelemetry.declare();
        }
    }
}
