package io.s3d.telemetry;

import io.s3d.store.LocalStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the local store is writable and has more free space than the configured floor. */
@Readiness
@ApplicationScoped
public class LocalStoreHealthCheck implements HealthCheck {
    private final LocalStore store;

    LocalStoreHealthCheck(LocalStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        long free = store.usableBytes();
        boolean writable = Files.isWritable(store.root()) && Files.isWritable(store.tmpDir());
        boolean roomy = free >= store.minFreeBytes();
        return HealthCheckResponse.named("local-store").status(writable && roomy)
                .withData("freeBytes", free)
                .withData("minFreeBytes", store.minFreeBytes()).withData("writable", writable).build();
    }
}
