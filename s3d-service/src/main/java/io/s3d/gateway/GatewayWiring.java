package io.s3d.gateway;

import io.s3d.api.auth.CredentialStore;
import io.s3d.api.auth.SigV4Verifier;
import io.s3d.backend.ObjectBackend;
import io.s3d.config.S3dConfig;
import io.s3d.store.LocalStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Builds the storage chain from configuration, in one place, inner layers first. Standalone (no
 * remote): the local store alone.
 */
@Singleton
public class GatewayWiring {
    private static final Logger LOG = Logger.getLogger(GatewayWiring.class);

    @Produces
    @Singleton
    @jakarta.enterprise.inject.Typed(LocalStore.class)
    LocalStore localStore(S3dConfig config) {
        Path root = expandHome(config.localDir());
        try {
            return LocalStore.open(root, config.region(), 200_000, config.minFreeDisk().asLongValue());
        } catch (IOException e) {
            throw new UncheckedIOException("s3d.local-dir (S3D_LOCAL_DIR): cannot open the local store at " + root
                    + ": " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    ObjectBackend backend(S3dConfig config, LocalStore store) {
        refuseUnbuiltFeatures(config);
        return store;
    }

    @Produces
    @Singleton
    CredentialStore credentials(S3dConfig config) {
        return ClientCredentials.load(config);
    }

    @Produces
    @Singleton
    SigV4Verifier verifier(CredentialStore credentials) {
        return new SigV4Verifier(credentials, Clock.systemUTC());
    }

    private final java.util.concurrent.ScheduledExecutorService housekeeping = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("s3d-housekeeping").factory());

    void announce(@Observes StartupEvent event, S3dConfig config, LocalStore store, CredentialStore credentials) {
        long every = Math.max(60, Math.min(3600, config.multipartMaxAge().toSeconds() / 4));
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                int removed = store.removeAbandonedUploads(config.multipartMaxAge());
                if (removed > 0) {
                    LOG.infof("aborted %d multipart upload(s) older than %s", removed, config.multipartMaxAge());
                }
            } catch (RuntimeException e) {
                LOG.warn("cleaning abandoned multipart uploads failed", e);
            }
        }, 0, every, java.util.concurrent.TimeUnit.SECONDS);
        LOG.infof("s3d serves the local store %s (standalone)", store.root());
        if (credentials.isEmpty()) {
            LOG.warn("No client credentials configured (s3d.access-key-id / S3D_ACCESS_KEY_ID or "
                    + "s3d.credentials-file): s3d accepts any request and listens on loopback only.");
        }
    }

    void stop(@Observes io.quarkus.runtime.ShutdownEvent event) {
        housekeeping.shutdownNow();
    }

    /**
     * Gateway mode, the write queue, the read cache and the FUSE mount are not in this build yet:
     * asking for them must stop start-up with the key that asked, never run silently without them.
     */
    static void refuseUnbuiltFeatures(S3dConfig config) {
        if (config.remote().endpoint().filter(e -> !e.isBlank()).isPresent()) {
            throw new IllegalStateException("s3d.remote.endpoint (S3_ENDPOINT) is set, but gateway mode is not "
                    + "available in this version of s3d; unset it to run standalone.");
        }
        if (config.writeQueue().enabled()) {
            throw new IllegalStateException("s3d.write-queue.enabled (S3D_WRITE_QUEUE) is true, but the write queue "
                    + "is not available in this version of s3d.");
        }
        if (config.readCache().enabled()) {
            throw new IllegalStateException("s3d.read-cache.enabled (S3D_READ_CACHE) is true, but the read cache "
                    + "is not available in this version of s3d.");
        }
        if (config.fuse().enabled()) {
            throw new IllegalStateException("s3d.fuse.enabled (S3D_FUSE) is true, but the FUSE mount is not "
                    + "available in this version of s3d.");
        }
    }

    static Path expandHome(String dir) {
        String expanded = dir.equals("~") || dir.startsWith("~/") ? System.getProperty("user.home") + dir.substring(1)
                : dir;
        return Path.of(expanded).toAbsolutePath().normalize();
    }
}
