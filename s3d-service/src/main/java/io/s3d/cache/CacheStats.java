package io.s3d.cache;

import java.util.concurrent.atomic.LongAdder;

/** The read cache's counters, since start. */
public final class CacheStats {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder bypassed = new LongAdder();
    final LongAdder bytesFromCache = new LongAdder();
    final LongAdder bytesFetched = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder revalidatedUnchanged = new LongAdder();
    final LongAdder revalidatedChanged = new LongAdder();
    final LongAdder revalidationFailures = new LongAdder();
    final LongAdder corruptBlocks = new LongAdder();

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Hits per read served (0 before the first read). */
    public double hitRatio() {
        long h = hits();
        long total = h + misses();
        return total == 0 ? 0 : (double) h / total;
    }

    public long staleServed() {
        return staleServed.sum();
    }

    /** Reads passed straight to the remote because the disk was at its free-space floor. */
    public long bypassed() {
        return bypassed.sum();
    }

    /** Object bytes sent to clients from cached blocks. */
    /** Share of the object bytes read through the cache that it served without fetching them. */
    public double byteHitRatio() {
        long served = bytesFromCache();
        long total = served + bytesFetched();
        return total == 0 ? 0 : (double) served / total;
    }

    public long bytesFromCache() {
        return bytesFromCache.sum();
    }

    /** Object bytes fetched from the remote into the cache. */
    public long bytesFetched() {
        return bytesFetched.sum();
    }

    public long evictions() {
        return evictions.sum();
    }

    public long revalidatedUnchanged() {
        return revalidatedUnchanged.sum();
    }

    public long revalidatedChanged() {
        return revalidatedChanged.sum();
    }

    public long revalidationFailures() {
        return revalidationFailures.sum();
    }

    /** Block files that failed verification (dropped and fetched again). */
    public long corruptBlocks() {
        return corruptBlocks.sum();
    }
}
