package io.s3d.admin;

import io.s3d.cache.CacheStats;
import io.s3d.cache.Prefetcher;
import io.s3d.cache.ReadCache;
import io.s3d.cache.ReadCacheService;
import io.s3d.gateway.Gateway;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The read cache's admin endpoints: {@code GET /_s3d/cache} (its counters and limits),
 * {@code POST /_s3d/cache/prefetch?bucket=b&prefix=p} (fetch a prefix into the cache now, pinned on
 * request) and {@code POST /_s3d/cache/unpin}. Shapes are in docs/contract.md and the OpenAPI document.
 */
@Path("cache")
@RunOnVirtualThread
@Tag(name = "cache", description = "The read cache of remote objects")
@APIResponse(responseCode = "409", description = "The read cache is off on this s3d (ReadCacheDisabled)",
        content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
@APIResponse(responseCode = "403", description = "The request is not signed by a configured credential",
        content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
public class CacheResource {
    private static final Duration MAX_PREFETCH = Duration.ofHours(6);

    private final Gateway gateway;

    CacheResource(Gateway gateway) {
        this.gateway = gateway;
    }

    @GET
    @Operation(summary = "The read cache's counters and limits")
    @APIResponse(responseCode = "200", description = "Sizes, limits, hits and misses",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "CacheSummary")))
    public Response summary() {
        return gateway.readCache().map(c -> AdminAnswer.ok(summary(c))).orElseGet(CacheResource::disabled);
    }

    @POST
    @Path("prefetch")
    @Operation(summary = "Fetch a prefix into the cache now",
            description = "Reads every object under the prefix from the remote into the cache (optionally pinned:"
                    + " kept through eviction and offline) and answers when done (200), when some objects failed (502)"
                    + " or when the timeout passed first (504 Timeout; running it again goes on).")
    @APIResponse(responseCode = "200", description = "Everything under the prefix is cached",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "PrefetchResult")))
    @APIResponse(responseCode = "502", description = "Some objects could not be fetched (see errors)",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "PrefetchResult")))
    @APIResponse(responseCode = "504", description = "Not finished within the timeout (error Timeout)",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "PrefetchResult")))
    @APIResponse(responseCode = "400", description = "bucket missing or timeout not a duration",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    public Response prefetch(@QueryParam("bucket") @Parameter(description = "The bucket (required)") String bucket,
            @QueryParam("prefix") @Parameter(description = "Only keys with this prefix (default: all)") String prefix,
            @QueryParam("pin") @Parameter(description = "`true`: pin what is fetched") String pin,
            @QueryParam("timeout") @Parameter(description = "How long to go on: 10m (default), up to 6h") String timeoutText) {
        Optional<ReadCacheService> cache = gateway.readCache();
        if (cache.isEmpty()) {
            return disabled();
        }
        if (bucket == null || bucket.isEmpty()) {
            return AdminAnswer.error(400, "InvalidArgument", "bucket is required");
        }
        String from = Optional.ofNullable(prefix).orElse("");
        Duration timeout;
        try {
            timeout = Optional.ofNullable(timeoutText).filter(t -> !t.isEmpty())
                    .map(QueueResource::duration).orElse(Duration.ofMinutes(10));
        } catch (IllegalArgumentException e) {
            return AdminAnswer.error(400, "InvalidArgument", e.getMessage());
        }
        if (timeout.compareTo(MAX_PREFETCH) > 0) {
            timeout = MAX_PREFETCH;
        }
        boolean pinned = "true".equalsIgnoreCase(pin);
        Prefetcher prefetcher = cache.get().prefetcher();
        Prefetcher.Result r = pinned ? prefetcher.pin(bucket, from, timeout) : prefetcher.warm(bucket, from, timeout);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("prefix", from);
        out.put("pinned", pinned);
        out.put("objects", r.objects());
        out.put("bytes", r.bytes());
        out.put("fetchedBytes", r.fetchedBytes());
        out.put("failed", r.failed());
        out.put("errors", r.errors());
        out.put("complete", r.complete());
        if (!r.complete()) {
            out.put("error", "Timeout");
            out.put("message", "the prefetch did not finish within " + timeout + "; run it again to go on");
            return AdminAnswer.json(504, out);
        }
        return AdminAnswer.json(r.failed() > 0 ? 502 : 200, out);
    }

    @POST
    @Path("unpin")
    @Operation(summary = "Unpin a prefix", description = "Pinned entries under the prefix become ordinary cache"
            + " entries again (evictable); nothing is deleted.")
    @APIResponse(responseCode = "200", description = "How many entries were unpinned",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Unpinned")))
    @APIResponse(responseCode = "400", description = "bucket missing",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    public Response unpin(@QueryParam("bucket") @Parameter(description = "The bucket (required)") String bucket,
            @QueryParam("prefix") @Parameter(description = "Only keys with this prefix (default: all)") String prefix) {
        Optional<ReadCacheService> cache = gateway.readCache();
        if (cache.isEmpty()) {
            return disabled();
        }
        if (bucket == null || bucket.isEmpty()) {
            return AdminAnswer.error(400, "InvalidArgument", "bucket is required");
        }
        String from = Optional.ofNullable(prefix).orElse("");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("prefix", from);
        out.put("unpinned", cache.get().prefetcher().unpin(bucket, from));
        return AdminAnswer.ok(out);
    }

    private static Response disabled() {
        return AdminAnswer.error(409, "ReadCacheDisabled",
                "the read cache is off on this s3d (S3D_READ_CACHE=true with a remote S3_ENDPOINT turns it on)");
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
