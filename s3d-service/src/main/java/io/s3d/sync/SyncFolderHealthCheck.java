package io.s3d.sync;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * One folder's check in the health group {@code sync} ({@code GET /q/health/group/sync}), named
 * {@code sync-folder <name>}: DOWN only while the last pass failed, with the folder's counters as
 * data. Registered per folder by {@link SyncService} in the group's registry, never in readiness
 * or liveness: a folder that cannot sync must not take the S3 front out of service.
 */
final class SyncFolderHealthCheck implements HealthCheck {
    static final String GROUP = "sync";

    private final FolderSync folder;

    SyncFolderHealthCheck(FolderSync folder) {
        this.folder = folder;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("sync-folder " + folder.folder().name())
                .status(!folder.stats().lastPassFailed());
        folder.stats().counts().forEach((name, value) -> {
            if (value instanceof Long n) {
                builder.withData(name, n);
            } else {
                builder.withData(name, String.valueOf(value));
            }
        });
        return builder.build();
    }
}
