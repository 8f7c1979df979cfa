package io.s3d.gateway;

import io.s3d.api.auth.CredentialStore;
import io.s3d.api.auth.SigV2Verifier;
import io.s3d.api.auth.SigV4Verifier;
import io.s3d.backend.ObjectBackend;
import io.s3d.config.S3dConfig;
import io.s3d.filter.Filters;
import io.s3d.store.LocalStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.cache.ReadCache;
import io.s3d.cache.ReadCacheService;
import io.s3d.queue.PushListener;
import io.s3d.queue.QueueFilter;
import io.s3d.queue.WriteQueue;
import io.s3d.queue.WriteQueueService;
import io.s3d.remote.ObjectUploader;
import io.s3d.remote.RemoteBackend;
import io.s3d.remote.RemoteClients;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import org.jboss.logging.Logger;

/**
 * Builds the storage chain from configuration, in one place, inner layers first. Standalone (no
 * remote): the local store alone. Gateway: the remote store, with the write queue in front when on.
 */
@Singleton
public class GatewayWiring {
    private static final Logger LOG = Logger.getLogger(GatewayWiring.class);

    @Produces
    @Singleton
    @jakarta.enterprise.inject.Typed(LocalStore.class)
    LocalStore localStore(S3dConfig config) {
        Path root = expandHome(config.localDir());
        // a key file that cannot be used stops start-up, naming the file, the line and the key
        Optional<io.s3d.store.crypto.MasterKeys> keys = config.encryption().keyFile().map(String::trim)
                .filter(f -> !f.isEmpty()).map(f -> io.s3d.store.crypto.MasterKeys.fromFile(expandHome(f)));
        try {
            LocalStore store = LocalStore.open(root, config.region(), 200_000, config.minFreeDisk().asLongValue());
            keys.ifPresent(store::useMasterKeys);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("s3d.local-dir (S3D_LOCAL_DIR): cannot open the local store at " + root
                    + ": " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    Gateway gateway(S3dConfig config, LocalStore store, MeterRegistry registry, Filters filters,
            io.s3d.telemetry.Tracing tracing, S3ClientBuilder remoteClients, Instance<S3Client> usesS3Client) {
        // tracing: decided (Traces set up) before the remote clients below are built with or without it;
        // remoteClients: the quarkus-amazon-s3 extension's builder (HTTP client, credentials, telemetry).
        // usesS3Client is never resolved: the extension sets up its builder only for an application with an
        // injection point of S3Client, and s3d builds its two clients from the builder itself (RemoteClients).
        Optional<String> endpoint = config.remote().endpoint().map(String::trim).filter(e -> !e.isEmpty());
        if (endpoint.isEmpty()) {
            if (config.writeQueue().enabled()) {
                throw new IllegalStateException("s3d.write-queue.enabled (S3D_WRITE_QUEUE) is true, but there is no "
                        + "remote to push to: set s3d.remote.endpoint (S3_ENDPOINT), or turn the queue off.");
            }
            if (config.readCache().enabled()) {
                throw new IllegalStateException("s3d.read-cache.enabled (S3D_READ_CACHE) is true, but there is no "
                        + "remote to cache: set s3d.remote.endpoint (S3_ENDPOINT), or turn the cache off.");
            }
            filters.readBucketTagsFrom(store::getBucketTags, config.filter().bucketTagsTtl());
            return new Gateway(store, Optional.empty(), Optional.empty(), Optional.empty());
        }
        RemoteClients.Clients clients = RemoteClients.create(remoteClients, config.remote());
        S3Client client = clients.calls();
        RemoteBackend remote = new RemoteBackend(client, clients.uploads(),
                config.remote().region(), endpoint.get(), RemoteClients.forwarder(config.remote()));
        filters.readBucketTagsFrom(remote::getBucketTags, config.filter().bucketTagsTtl());
        Optional<ReadCacheService> cache = readCache(config, store, remote, registry, filters);
        ObjectBackend behindQueue = cache.<ObjectBackend>map(ReadCacheService::backend).orElse(remote);
        if (!config.writeQueue().enabled()) {
            return new Gateway(behindQueue, Optional.of(remote), Optional.empty(), cache);
        }
        S3dConfig.WriteQueue q = config.writeQueue();
        Path dir = q.dir().map(GatewayWiring::expandHome).orElse(store.root().resolve(".queue"));
        QueueFilter filter = new QueueFilter(filters);
        if (q.maxFiles() < 1) {
            throw new IllegalStateException("s3d.write-queue.max-files (S3D_WRITE_QUEUE_MAX_FILES) must be at least 1, "
                    + "not " + q.maxFiles());
        }
        if (q.pushers() < 1) {
            throw new IllegalStateException("s3d.write-queue.pushers must be at least 1, not " + q.pushers());
        }
        if (q.maxAttempts() < 1) {
            throw new IllegalStateException("s3d.write-queue.max-attempts (S3D_WRITE_QUEUE_MAX_ATTEMPTS) must be at "
                    + "least 1, not " + q.maxAttempts());
        }
        if (q.parkAfter().isNegative()) {
            throw new IllegalStateException("s3d.write-queue.park-after (S3D_WRITE_QUEUE_PARK_AFTER) must not be "
                    + "negative");
        }
        try {
            WriteQueueService service = WriteQueueService.open(dir,
                    new WriteQueue.Limits(q.maxSize().asLongValue(), q.maxFiles(), q.maxAge(), q.admissionWait(),
                            q.retryInitialDelay(), q.retryMaxDelay(), q.maxAttempts(), q.parkAfter()),
                    filter, remote, behindQueue,
                    cache.<PushListener>map(ReadCacheService::backend).orElse(PushListener.NONE),
                    new ObjectUploader(client, config.remote().multipartThreshold().asLongValue(),
                            config.remote().partSize().asLongValue(), 4),
                    q.pushers(), config.region(), config.minFreeDisk().asLongValue());
            service.bindMetrics(registry);
            return new Gateway(service.backend(), Optional.of(remote), Optional.of(service), cache);
        } catch (IOException e) {
            throw new UncheckedIOException("s3d.write-queue.dir (S3D_WRITE_QUEUE_DIR): cannot open the write queue at "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    private static Optional<ReadCacheService> readCache(S3dConfig config, LocalStore store, RemoteBackend remote,
            MeterRegistry registry, Filters filters) {
        S3dConfig.ReadCache c = config.readCache();
        if (!c.enabled()) {
            return Optional.empty();
        }
        if (c.maxFiles() < 1) {
            throw new IllegalStateException("s3d.read-cache.max-files (S3D_READ_CACHE_MAX_FILES) must be at least 1, "
                    + "not " + c.maxFiles());
        }
        if (c.maxSize().asLongValue() < 1) {
            throw new IllegalStateException("s3d.read-cache.max-size (S3D_READ_CACHE_MAX_SIZE) must be positive, not "
                    + c.maxSize().asLongValue());
        }
        long blockSize = c.blockSize().asLongValue();
        if (blockSize < 64 * 1024 || blockSize > 1024L * 1024 * 1024) {
            throw new IllegalStateException("s3d.read-cache.block-size (S3D_READ_CACHE_BLOCK_SIZE) must be between 64K "
                    + "and 1G, not " + blockSize);
        }
        if (c.maxAge().isNegative()) {
            throw new IllegalStateException("s3d.read-cache.max-age (S3D_READ_CACHE_MAX_AGE) must not be negative");
        }
        if (c.readAhead() < 0) {
            throw new IllegalStateException("s3d.read-cache.read-ahead (S3D_READ_CACHE_READ_AHEAD) must not be "
                    + "negative, not " + c.readAhead());
        }
        Path dir = c.dir().map(GatewayWiring::expandHome).orElse(store.root().resolve(".cache"));
        try {
            ReadCacheService service = ReadCacheService.open(dir, remote, new ReadCache.Settings(
                    c.maxSize().asLongValue(), c.maxFiles(), c.maxAge(), blockSize, c.readAhead(),
                    config.minFreeDisk().asLongValue(), c.revalidateTimeout()), filters);
            service.bindMetrics(registry);
            return Optional.of(service);
        } catch (IOException e) {
            throw new UncheckedIOException("s3d.read-cache.dir (S3D_READ_CACHE_DIR): cannot open the read cache at "
                    + dir + ": " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    ObjectBackend backend(Gateway gateway) {
        return gateway.backend();
    }

    @Produces
    @Singleton
    CredentialStore credentials(S3dConfig config) {
        return ClientCredentials.load(config);
    }

    @Produces
    @Singleton
    SigV4Verifier verifier(CredentialStore credentials, S3dConfig config) {
        Clock clock = Clock.systemUTC();
        return new SigV4Verifier(credentials, clock, new SigV2Verifier(credentials, clock, config.baseDomain(),
                config.security().allowSigv2()));
    }

    private final java.util.concurrent.ScheduledExecutorService housekeeping = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("s3d-housekeeping").factory());

    void announce(@Observes StartupEvent event, S3dConfig config, LocalStore store, CredentialStore credentials,
            Gateway gateway) {
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
        gateway.readCache().ifPresent(cache -> {
            cache.start();
            ReadCache.Settings c = cache.cache().settings();
            LOG.infof("read cache in %s: %d objects, %d bytes cached (max-size %d, max-files %d, max-age %s)",
                    cache.dir(), cache.cache().entries(), cache.cache().bytes(), c.maxSize(), c.maxFiles(), c.maxAge());
        });
        if (gateway.remote().isEmpty()) {
            LOG.infof("s3d serves the local store %s (standalone)", store.root());
        } else if (gateway.writeQueue().isEmpty()) {
            LOG.infof("s3d is a gateway to %s (pass-through, no write queue)", gateway.remote().get().endpoint());
        } else {
            WriteQueueService queue = gateway.writeQueue().get();
            queue.start();
            LOG.infof("s3d is a gateway to %s with the write queue in %s (queued: %s)",
                    gateway.remote().get().endpoint(), queue.dir(), queue.filter());
        }
        if (credentials.isEmpty()) {
            org.eclipse.microprofile.config.Config all = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            String asked = all.getOptionalValue(io.s3d.config.ListenAddressConfigSourceFactory.REQUESTED_HOST,
                    String.class).orElse("?");
            String bound = all.getOptionalValue("quarkus.http.host", String.class).orElse("?");
            LOG.warnf("No client credentials configured (s3d.access-key-id / S3D_ACCESS_KEY_ID or "
                    + "s3d.credentials-file): s3d accepts unsigned requests from this machine only. Listen host "
                    + "asked for: %s, used: %s%s", asked, bound, asked.equals(bound) ? "" : " (loopback only without credentials)");
        }
    }

    void stop(@Observes io.quarkus.runtime.ShutdownEvent event, S3dConfig config, Gateway gateway) {
        housekeeping.shutdownNow();
        gateway.writeQueue().ifPresent(queue -> queue.stop(config.writeQueue().shutdownGrace()));
        gateway.readCache().ifPresent(ReadCacheService::stop);
    }

    static Path expandHome(String dir) {
        String expanded = dir.equals("~") || dir.startsWith("~/") ? System.getProperty("user.home") + dir.substring(1)
                : dir;
        return Path.of(expanded).toAbsolutePath().normalize();
    }
}
