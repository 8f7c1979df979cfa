package io.s3d.cache;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Fetches objects into the cache before anyone reads them: a prefix on request (the admin
 * endpoint, {@code s3d prefetch}), an object as soon as it is tagged {@code s3d.cache=pin}
 * through s3d, and, every max-age, what buckets' {@code s3d.cache} tags pin.
 */
public final class Prefetcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Prefetcher.class);

    private final ReadCache cache;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scans = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("s3d-pin-scan").factory());

    /**
     * What a prefetch did.
     *
     * @param objects objects now fully cached
     * @param bytes their size
     * @param fetchedBytes bytes fetched from the remote for them (0 when all were cached already)
     * @param failed objects that could not be fetched
     * @param complete false when the time limit ended the prefetch early
     */
    public record Result(int objects, long bytes, long fetchedBytes, int failed, List<String> errors,
            boolean complete) {
    }

    public Prefetcher(ReadCache cache) {
        this.cache = cache;
    }

    /** Starts the periodic scan for pinned buckets and prefixes (the first one right away). */
    public void start() {
        long every = Math.max(60, cache.settings().maxAge().toSeconds());
        scans.scheduleWithFixedDelay(this::scanPins, 0, every, TimeUnit.SECONDS);
    }

    /** Fetches every object under {@code prefix} of {@code bucket} that is not cached, until {@code timeout}. */
    public Result warm(String bucket, String prefix, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int objects = 0;
        int failed = 0;
        long bytes = 0;
        long fetched = 0;
        List<String> errors = new ArrayList<>();
        String after = "";
        while (true) {
            ListPage page = cache.remote().listObjects(bucket, new ListRequest(prefix, null, after, 1000));
            for (ObjectMeta o : page.objects()) {
                if (Instant.now().isAfter(deadline)) {
                    return new Result(objects, bytes, fetched, failed, errors, false);
                }
                try {
                    long got = warmOne(new ObjectId(bucket, o.key()));
                    objects++;
                    bytes += o.size();
                    fetched += got;
                } catch (S3Exception | IllegalStateException e) {
                    failed++;
                    if (errors.size() < 10) {
                        errors.add(o.key() + ": " + e.getMessage());
                    }
                }
            }
            if (!page.truncated()) {
                return new Result(objects, bytes, fetched, failed, errors, true);
            }
            after = page.nextStartAfter();
        }
    }

    /**
     * Makes one object fully cached (fetching or revalidating it as a read would) and returns the
     * bytes that took from the remote.
     */
    long warmOne(ObjectId id) {
        Optional<ReadCache.Resolved> resolved = cache.resolve(id, 0, -1, null);
        if (resolved.isEmpty()) {
            throw new IllegalStateException("the disk is at s3d's free-space floor");
        }
        CacheEntry entry = resolved.get().entry();
        try {
            // A new entry's bytes all came from the remote; a kept one's, those it lacked.
            long before = resolved.get().how() == ReadCache.How.MISS ? 0 : entry.bytes();
            List<CacheEntry.Claim> waits = new ArrayList<>();
            int window = Math.max(1, cache.settings().readAhead());
            for (long i = 0; i < entry.blocks(); i++) {
                CacheEntry.Claim claim = entry.claim(i);
                if (claim == null) {
                    continue;
                }
                if (claim.owner()) {
                    cache.fetchBlock(entry, claim);
                }
                waits.add(claim);
                if (waits.size() >= window) {
                    awaitAll(waits);
                }
            }
            awaitAll(waits);
            return entry.bytes() - before;
        } finally {
            entry.release();
        }
    }

    private static void awaitAll(List<CacheEntry.Claim> waits) {
        try {
            for (CacheEntry.Claim c : waits) {
                c.done().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a block could not be fetched: " + e.getCause().getMessage(), e);
        } finally {
            waits.clear();
        }
    }

    /** Pins a prefix on this s3d (see {@link PinRules}) and fetches it. */
    public Result pin(String bucket, String prefix, Duration timeout) {
        try {
            cache.pins.pinLocally(bucket, prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot save the pin of " + bucket + "/" + prefix, e);
        }
        repinCached(bucket, prefix);
        return warm(bucket, prefix, timeout);
    }

    /** Takes back a local pin: its objects stay cached, evictable again (unless their tags pin them). */
    public boolean unpin(String bucket, String prefix) {
        boolean removed;
        try {
            removed = cache.pins.unpinLocally(bucket, prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot save the pins", e);
        }
        repinCached(bucket, prefix);
        return removed;
    }

    public List<String> localPins() {
        return cache.pins.localPins();
    }

    private void repinCached(String bucket, String prefix) {
        for (CacheEntry e : cache.entriesUnder(bucket, prefix)) {
            boolean byObjectTag = e.pinned() && !cache.pins.pinnedByBucket(e.id) && objectTagPins(e.id);
            cache.repin(bucket, e.id.key(), byObjectTag);
        }
    }

    /** A write through s3d: an object its tags (or its bucket's) pin is fetched ahead. */
    void afterWrite(String bucket, String key, Map<String, String> tags) {
        ObjectId id = new ObjectId(bucket, key);
        if (PinRules.pinsObject(tags) || cache.pins.pinnedByBucket(id)) {
            background.execute(() -> {
                try {
                    warmOne(id);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "prefetch of pinned %s failed", id);
                }
            });
        }
    }

    /** A bucket's tags changed through s3d: re-examine its cached objects and fetch what it now pins. */
    void afterBucketTags(String bucket) {
        cache.pins.forget(bucket);
        background.execute(() -> {
            try {
                for (CacheEntry e : cache.entriesUnder(bucket, "")) {
                    boolean byObjectTag = e.pinned() && objectTagPins(e.id);
                    cache.repin(bucket, e.id.key(), byObjectTag);
                }
                cache.pins.bucketPin(bucket).ifPresent(prefix -> warm(bucket, prefix, Duration.ofHours(1)));
            } catch (RuntimeException e) {
                LOG.debugf(e, "pin scan of bucket %s failed", bucket);
            }
        });
    }

    private boolean objectTagPins(ObjectId id) {
        try {
            return PinRules.pinsObject(cache.remote().getObjectTags(id.bucket(), id.key()));
        } catch (S3Exception e) {
            // A remote without object tagging (501) or without the object has no pin tag; any other
            // failure leaves it unknown: keep the object pinned rather than lose it.
            return e.status() != 501 && e.status() != 404;
        }
    }

    /** Fetches ahead what every bucket's tags pin. */
    void scanPins() {
        try {
            for (var bucket : cache.remote().listBuckets()) {
                cache.pins.bucketPin(bucket.name()).ifPresent(prefix -> {
                    Result r = warm(bucket.name(), prefix, Duration.ofHours(1));
                    if (r.fetchedBytes() > 0 || r.failed() > 0) {
                        LOG.infof("pinned %s/%s: %d objects cached, %d bytes fetched, %d failed", bucket.name(),
                                prefix, r.objects(), r.fetchedBytes(), r.failed());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "pin scan failed (the remote may be unreachable)");
        }
    }

    @Override
    public void close() {
        scans.shutdownNow();
        background.shutdownNow();
    }
}
