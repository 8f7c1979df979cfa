package io.s3d.sync;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.s3d.config.S3dConfig;
import io.s3d.gateway.Gateway;
import io.s3d.store.LocalStore;
import io.smallrye.health.registry.HealthRegistries;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Starts and stops the sync folders of {@code s3d.sync.folders}: each syncs through the same
 * backend as the S3 front ({@link Gateway#backend()}), so its uploads go through the write queue
 * and its downloads through the read cache, and in standalone mode it syncs with the local store.
 * Bad folder settings stop start-up.
 */
@Singleton
public class SyncService {
    private static final Logger LOG = Logger.getLogger(SyncService.class);

    private final S3dConfig config;
    private final Gateway gateway;
    private final LocalStore store;
    private final MeterRegistry registry;
    private final io.s3d.filter.Filters filters;
    private final List<FolderSync> folders = new ArrayList<>();

    SyncService(S3dConfig config, Gateway gateway, LocalStore store, MeterRegistry registry,
            io.s3d.filter.Filters filters) {
        this.filters = filters;
        this.config = config;
        this.gateway = gateway;
        this.store = store;
        this.registry = registry;
    }

    /** After the storage chain has started (the write queue's own start-up observer runs first). */
    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 900) StartupEvent event) {
        S3dConfig.Sync sync = config.sync();
        if (sync.folders().isEmpty()) {
            return;
        }
        Path stateBase = sync.stateDir().map(d -> Path.of(d.startsWith("~/") ? System.getProperty("user.home")
                + d.substring(1) : d).toAbsolutePath().normalize()).orElse(store.root().resolve(".sync"));
        List<SyncFolder> checked = new ArrayList<>();
        new java.util.TreeMap<>(sync.folders())
                .forEach((name, folder) -> checked.add(SyncFolder.from(name, folder, stateBase, filters)));
        for (SyncFolder folder : checked) {
            // The sync's listings come from the remote; a cached copy older than a listing is dropped.
            Transfer.StaleCopies stale = (bucket, key) -> gateway.readCache()
                    .ifPresent(cache -> cache.cache().invalidate(bucket, key));
            long queuePartSize = gateway.writeQueue().isPresent() ? config.remote().partSize().asLongValue() : 0;
            FolderSync running = new FolderSync(folder, gateway.backend(), Clock.systemUTC(), stale,
                    queuePartSize, sync.remoteTimeout());
            folders.add(running);
            HealthRegistries.getHealthGroupRegistry(SyncFolderHealthCheck.GROUP)
                    .register("sync-folder " + folder.name(), new SyncFolderHealthCheck(running));
            bindMetrics(running);
            running.start(sync.shutdownGrace());
        }
        LOG.infof("%d sync folder(s) started (%s mode)", folders.size(), gateway.mode());
    }

    /** Before the storage chain stops, so the last uploads still reach the write queue. */
    void stop(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.LIBRARY_BEFORE) ShutdownEvent event) {
        folders.parallelStream().forEach(FolderSync::stop);
    }

    /** The {@code sync} part of {@code /_s3d/status}: null when no folder is configured. */
    public Map<String, Object> status() {
        if (folders.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (FolderSync f : folders) {
            SyncFolder folder = f.folder();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", folder.name());
            out.put("localDir", folder.localDir().toString());
            out.put("bucket", folder.bucket());
            out.put("prefix", folder.prefix());
            out.put("direction", folder.direction().value());
            out.put("conflictPolicy", folder.policy().value());
            out.put("state", f.stats().state().name().toLowerCase(java.util.Locale.ROOT));
            out.putAll(f.stats().counts());
            list.add(out);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folders", list);
        return out;
    }

    private void bindMetrics(FolderSync folder) {
        SyncStats s = folder.stats();
        String name = folder.folder().name();
        Map<String, Function<SyncStats, AtomicLong>> counters = Map.of("s3d_sync_uploaded", x -> x.uploaded,
                "s3d_sync_downloaded", x -> x.downloaded, "s3d_sync_deleted_local", x -> x.deletedLocal,
                "s3d_sync_deleted_remote", x -> x.deletedRemote, "s3d_sync_conflicts", x -> x.conflicts,
                "s3d_sync_errors", x -> x.errors, "s3d_sync_passes", x -> x.passes);
        counters.forEach((metric, field) -> FunctionCounter.builder(metric, s, x -> field.apply(x).get())
                .tag("folder", name).register(registry));
        FunctionCounter.builder("s3d_sync_skipped", s, SyncStats::skipped).description("distinct paths skipped")
                .tag("folder", name).register(registry);
        Gauge.builder("s3d_sync_last_pass_failed", s, x -> x.lastPassFailed() ? 1 : 0).tag("folder", name)
                .register(registry);
        Instant watchedSince = Instant.now();
        Gauge.builder("s3d_sync_lag_seconds", s, x -> Duration.between(
                x.lastSyncTime() == null ? watchedSince : x.lastSyncTime(), Instant.now()).toMillis() / 1000.0)
                .description("seconds since the last completed pass (since start-up before the first)")
                .tag("folder", name).register(registry);
        Gauge.builder("s3d_sync_last_sync_seconds", s,
                x -> x.lastSyncTime() == null ? Double.NaN : x.lastSyncTime().toEpochMilli() / 1000.0)
                .description("end of the last completed pass, seconds since the epoch").tag("folder", name)
                .register(registry);
    }
}
