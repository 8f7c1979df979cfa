package io.s3d.admin;

import io.s3d.cache.CacheStats;
import io.s3d.cache.Prefetcher;
import io.s3d.cache.ReadCache;
import io.s3d.cache.ReadCacheService;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The read cache's admin endpoints: {@code GET /_s3d/cache} (its counters and limits) and
 * {@code POST /_s3d/cache/prefetch?bucket=b&prefix=p} (fetch a prefix into the cache now).
 * Shapes are in docs/contract.md.
 */
final class CacheAdmin {
    private static final Duration MAX_PREFETCH = Duration.ofHours(6);

    private final Optional<ReadCacheService> cache;

    CacheAdmin(Optional<ReadCacheService> cache) {
        this.cache = cache;
    }

    QueueAdmin.Answer serve(String method, String path, HttpServerRequest http) {
        if (cache.isEmpty()) {
            return new QueueAdmin.Answer(409, AdminRoutes.error("ReadCacheDisabled",
                    "the read cache is off on this s3d (S3D_READ_CACHE=true with a remote S3_ENDPOINT turns it on)"));
        }
        return switch (path) {
            case "cache" -> method.equals("GET") ? new QueueAdmin.Answer(200, summary(cache.get()))
                    : notAllowed("GET");
            case "cache/prefetch" -> method.equals("POST") ? prefetch(cache.get().prefetcher(), http)
                    : notAllowed("POST");
            case "cache/unpin" -> method.equals("POST") ? unpin(cache.get().prefetcher(), http) : notAllowed("POST");
            default -> new QueueAdmin.Answer(404, AdminRoutes.error("NotFound", "no admin endpoint /_s3d/" + path));
        };
    }

    private static QueueAdmin.Answer notAllowed(String allowed) {
        return new QueueAdmin.Answer(405, AdminRoutes.error("MethodNotAllowed",
                "this admin endpoint answers " + allowed + " only"));
    }

    private static QueueAdmin.Answer prefetch(Prefetcher prefetcher, HttpServerRequest http) {
        String bucket = http.getParam("bucket");
        if (bucket == null || bucket.isEmpty()) {
            return new QueueAdmin.Answer(400, AdminRoutes.error("InvalidArgument", "bucket is required"));
        }
        String prefix = Optional.ofNullable(http.getParam("prefix")).orElse("");
        Duration timeout;
        try {
            timeout = Optional.ofNullable(http.getParam("timeout")).filter(t -> !t.isEmpty())
                    .map(QueueAdmin::duration).orElse(Duration.ofMinutes(10));
        } catch (IllegalArgumentException e) {
            return new QueueAdmin.Answer(400, AdminRoutes.error("InvalidArgument", e.getMessage()));
        }
        if (timeout.compareTo(MAX_PREFETCH) > 0) {
            timeout = MAX_PREFETCH;
        }
        boolean pin = "true".equalsIgnoreCase(http.getParam("pin"));
        Prefetcher.Result r = pin ? prefetcher.pin(bucket, prefix, timeout) : prefetcher.warm(bucket, prefix, timeout);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("prefix", prefix);
        out.put("pinned", pin);
        out.put("objects", r.objects());
        out.put("bytes", r.bytes());
        out.put("fetchedBytes", r.fetchedBytes());
        out.put("failed", r.failed());
        out.put("errors", r.errors());
        out.put("complete", r.complete());
        if (!r.complete()) {
            out.put("error", "Timeout");
            out.put("message", "the prefetch did not finish within " + timeout + "; run it again to go on");
            return new QueueAdmin.Answer(504, out);
        }
        return new QueueAdmin.Answer(r.failed() > 0 ? 502 : 200, out);
    }

    private static QueueAdmin.Answer unpin(Prefetcher prefetcher, HttpServerRequest http) {
        String bucket = http.getParam("bucket");
        if (bucket == null || bucket.isEmpty()) {
            return new QueueAdmin.Answer(400, AdminRoutes.error("InvalidArgument", "bucket is required"));
        }
        String prefix = Optional.ofNullable(http.getParam("prefix")).orElse("");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("prefix", prefix);
        out.put("unpinned", prefetcher.unpin(bucket, prefix));
        return new QueueAdmin.Answer(200, out);
    }

    static Map<String, Object> summary(ReadCacheService service) {
        ReadCache cache = service.cache();
        CacheStats stats = cache.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", service.dir().toString());
        out.put("entries", cache.entries());
        out.put("bytes", cache.bytes());
        out.put("pinnedEntries", cache.pinnedEntries());
        out.put("pinnedBytes", cache.pinnedBytes());
        out.put("maxSize", cache.settings().maxSize());
        out.put("maxFiles", cache.settings().maxFiles());
        out.put("maxAgeSeconds", cache.settings().maxAge().toSeconds());
        out.put("blockSize", cache.settings().blockSize());
        out.put("hits", stats.hits());
        out.put("misses", stats.misses());
        out.put("hitRatio", Math.round(stats.hitRatio() * 1000) / 1000.0);
        out.put("bytesFromCache", stats.bytesFromCache());
        out.put("bytesFetched", stats.bytesFetched());
        out.put("evictions", stats.evictions());
        Map<String, Object> revalidations = new LinkedHashMap<>();
        revalidations.put("unchanged", stats.revalidatedUnchanged());
        revalidations.put("changed", stats.revalidatedChanged());
        revalidations.put("failed", stats.revalidationFailures());
        out.put("revalidations", revalidations);
        out.put("staleServed", stats.staleServed());
        out.put("bypassed", stats.bypassed());
        out.put("corruptBlocks", stats.corruptBlocks());
        out.put("localPins", service.prefetcher().localPins());
        return out;
    }
}
