package io.s3d.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.remote.RemoteBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The read cache as s3d runs it: the cache itself, the backend that puts it in front of the
 * remote, the prefetcher, and their metrics.
 */
public final class ReadCacheService {
    private final Path dir;
    private final ReadCache cache;
    private final Prefetcher prefetcher;
    private final CachingBackend backend;

    private ReadCacheService(Path dir, ReadCache cache, io.s3d.filter.Filters filters) {
        this.dir = dir;
        this.cache = cache;
        this.prefetcher = new Prefetcher(cache);
        // A decision of the cache filter is kept as long as a cached object is trusted, and at most a minute.
        java.time.Duration remember = cache.settings().maxAge().compareTo(java.time.Duration.ofMinutes(1)) < 0
                ? cache.settings().maxAge() : java.time.Duration.ofMinutes(1);
        this.backend = new CachingBackend(cache.remote(), cache, prefetcher,
                new CacheAdmission(filters, cache.remote(), cache, remember));
    }

    public static ReadCacheService open(Path dir, RemoteBackend remote, ReadCache.Settings settings)
            throws IOException {
        return open(dir, remote, settings, io.s3d.filter.Filters.NONE);
    }

    /** The cache, serving only the reads {@code filters} select for caching. */
    public static ReadCacheService open(Path dir, RemoteBackend remote, ReadCache.Settings settings,
            io.s3d.filter.Filters filters) throws IOException {
        return new ReadCacheService(dir, ReadCache.open(dir, remote, settings, Clock.systemUTC()), filters);
    }

    public Path dir() {
        return dir;
    }

    public ReadCache cache() {
        return cache;
    }

    public Prefetcher prefetcher() {
        return prefetcher;
    }

    /** The remote with the cache in front. */
    public CachingBackend backend() {
        return backend;
    }

    public void start() {
        prefetcher.start();
    }

    public void stop() {
        prefetcher.close();
        cache.close();
    }

    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("s3d.read_cache.entries", cache, ReadCache::entries)
                .description("Objects in the read cache (pinned ones included)").register(registry);
        Gauge.builder("s3d.read_cache.size", cache, ReadCache::bytes).baseUnit("bytes")
                .description("Bytes of cached blocks").register(registry);
        Gauge.builder("s3d.read_cache.pinned_entries", cache, ReadCache::pinnedEntries)
                .description("Pinned objects in the read cache").register(registry);
        Gauge.builder("s3d.read_cache.pinned_size", cache, ReadCache::pinnedBytes).baseUnit("bytes")
                .description("Bytes of pinned objects' cached blocks").register(registry);
        CacheStats stats = cache.stats();
        FunctionCounter.builder("s3d.read_cache.hits", stats, CacheStats::hits)
                .description("GETs served without the remote").register(registry);
        FunctionCounter.builder("s3d.read_cache.misses", stats, CacheStats::misses)
                .description("GETs that needed the remote").register(registry);
        Gauge.builder("s3d.read_cache.hit_ratio", stats, CacheStats::hitRatio)
                .description("Hits per GET since start").register(registry);
        Gauge.builder("s3d.read_cache.byte_hit_ratio", stats, CacheStats::byteHitRatio)
                .description("Share of object bytes served from the cache rather than fetched (0..1)").register(registry);
        FunctionCounter.builder("s3d.read_cache.served", stats, CacheStats::bytesFromCache).baseUnit("bytes")
                .description("Object bytes sent to clients from cached blocks").register(registry);
        FunctionCounter.builder("s3d.read_cache.fetched", stats, CacheStats::bytesFetched).baseUnit("bytes")
                .description("Object bytes fetched from the remote into the cache").register(registry);
        FunctionCounter.builder("s3d.read_cache.evictions", stats, CacheStats::evictions)
                .description("Objects evicted to stay within the cache's limits").register(registry);
        FunctionCounter.builder("s3d.read_cache.revalidations", stats, CacheStats::revalidatedUnchanged)
                .tag("result", "unchanged").description("Conditional requests after max-age").register(registry);
        FunctionCounter.builder("s3d.read_cache.revalidations", stats, CacheStats::revalidatedChanged)
                .tag("result", "changed").description("Conditional requests after max-age").register(registry);
        FunctionCounter.builder("s3d.read_cache.revalidations", stats, CacheStats::revalidationFailures)
                .tag("result", "failed").description("Conditional requests after max-age").register(registry);
        FunctionCounter.builder("s3d.read_cache.stale_served", stats, CacheStats::staleServed)
                .description("Reads answered from the cache while the remote could not confirm them")
                .register(registry);
        FunctionCounter.builder("s3d.read_cache.bypassed", stats, CacheStats::bypassed)
                .description("Reads passed to the remote because the disk was at its free-space floor")
                .register(registry);
        FunctionCounter.builder("s3d.read_cache.corrupt_blocks", stats, CacheStats::corruptBlocks)
                .description("Cached blocks that failed verification and were fetched again").register(registry);
    }
}
