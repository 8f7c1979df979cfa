package io.s3d.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.remote.RemoteBackend;
import io.s3d.remote.RemoteUnreachableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * The read cache: which versions of which objects are on local disk, in which blocks, and how a
 * read gets the blocks it lacks. The index is a Caffeine cache bounded by bytes (W-TinyLFU: a scan
 * does not flush the working set) plus a count limit; pinned objects sit beside it and are never
 * evicted. Misses and missing blocks are fetched once however many readers wait (single flight).
 * Entries older than max-age are revalidated with a conditional GET; when the remote cannot answer,
 * the cached copy is served as stale. Nothing is dropped because the remote is unreachable.
 */
public final class ReadCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadCache.class);
    private static final int STRIPES = 1024;

    /** How a read was served. */
    public enum How {
        HIT, MISS, REVALIDATED, STALE;

        public String note() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The cache's limits.
     *
     * @param minFreeBytes free disk the cache leaves; below it, reads pass straight through
     */
    /** @param revalidateTimeout the longest wait for the remote when revalidating; then the copy is served stale */
    public record Settings(long maxSize, int maxFiles, Duration maxAge, long blockSize, int readAhead,
            long minFreeBytes, Duration revalidateTimeout) {

        public Settings(long maxSize, int maxFiles, Duration maxAge, long blockSize, int readAhead,
                long minFreeBytes) {
            this(maxSize, maxFiles, maxAge, blockSize, readAhead, minFreeBytes, Duration.ofSeconds(5));
        }
    }

    /** An entry a reader holds (release it) and how it was obtained. */
    record Resolved(CacheEntry entry, How how) {
    }

    private final Path objects;
    private final RemoteBackend remote;
    private final Settings settings;
    private final Clock clock;
    private final CacheStats stats = new CacheStats();
    private final Cache<ObjectId, CacheEntry> index;
    private final Policy.Eviction<ObjectId, CacheEntry> eviction;
    private final Map<ObjectId, CacheEntry> pinned = new ConcurrentHashMap<>();
    /** Bytes of the pinned entries' blocks (see {@link #syncPinned}); guarded by this. */
    private long pinnedTotal;
    private final Map<ObjectId, CompletableFuture<Resolved>> resolving = new ConcurrentHashMap<>();
    /** Bumped by every invalidation of a key hashing there: a fetch started before one is not kept. */
    private final AtomicLongArray invalidations = new AtomicLongArray(STRIPES);
    private final Object[] locks = new Object[STRIPES];
    private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
    /** Remote fetches in flight at once, whatever the number of readers. */
    private static final int MAX_FETCHES = 16;
    private final java.util.concurrent.Semaphore fetchSlots = new java.util.concurrent.Semaphore(MAX_FETCHES);
    final PinRules pins;
    private final FileStore disk;

    private ReadCache(Path objects, RemoteBackend remote, Settings settings, Clock clock) throws IOException {
        this.objects = objects;
        this.remote = remote;
        this.settings = settings;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
        this.index = Caffeine.newBuilder()
                .maximumWeight(kib(settings.maxSize()))
                .weigher((ObjectId id, CacheEntry e) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, kib(e.bytes()))))
                .evictionListener((ObjectId id, CacheEntry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (e != null && cause.wasEvicted()) {
                        e.drop();
                        stats.evictions.increment();
                    }
                })
                .executor(Runnable::run)
                .build();
        this.eviction = index.policy().eviction().orElseThrow();
        this.pins = new PinRules(remote::getBucketTags, settings.maxAge(), objects.resolveSibling("pins"));
        this.disk = Files.getFileStore(objects);
    }

    /** Opens the cache in {@code dir}, taking in what an earlier run left there. */
    public static ReadCache open(Path dir, RemoteBackend remote, Settings settings, Clock clock) throws IOException {
        if (settings.maxFiles() < 1) {
            throw new IllegalArgumentException("max-files must be at least 1");
        }
        Path objects = io.s3d.store.DurableFiles.createDirectories(dir.resolve("objects"));
        ReadCache cache = new ReadCache(objects, remote, settings, clock);
        for (CacheEntry entry : CacheRebuild.load(objects, settings.blockSize())) {
            cache.register(entry, cache.stamp(entry.id));
        }
        return cache;
    }

    private static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }

    public CacheStats stats() {
        return stats;
    }

    public Settings settings() {
        return settings;
    }

    RemoteBackend remote() {
        return remote;
    }

    // --- what is cached ---

    /** The current entry of a key, if cached. */
    CacheEntry lookup(ObjectId id) {
        CacheEntry e = pinned.get(id);
        return e != null ? e : index.getIfPresent(id);
    }

    /** Whether a key is cached, and pinned: empty when not cached. */
    public Optional<Boolean> cachedPinned(String bucket, String key) {
        CacheEntry e = lookup(new ObjectId(bucket, key));
        return e == null ? Optional.empty() : Optional.of(e.pinned());
    }

    public long entries() {
        return index.estimatedSize() + pinned.size();
    }

    public long bytes() {
        long total = 0;
        for (CacheEntry e : index.asMap().values()) {
            total += e.bytes();
        }
        return total + pinnedBytes();
    }

    public long pinnedEntries() {
        return pinned.size();
    }

    public synchronized long pinnedBytes() {
        return pinnedTotal;
    }

    // --- resolving a read to an entry ---

    /**
     * The entry a read of {@code id} is served from, held for the caller (release it), fetching or
     * revalidating it first when needed; the read covers blocks {@code firstBlock} to {@code
     * lastBlock} ({@code firstBlock} -1 when unknown: a suffix range; {@code lastBlock} -1: to the
     * end). A fetch asks for all of them in one GET. Empty when the disk is at its floor: read from
     * the remote instead.
     */
    Optional<Resolved> resolve(ObjectId id, long firstBlock, long lastBlock, String suffixRange) {
        while (true) {
            CacheEntry current = lookup(id);
            if (current != null && current.dropped()) {
                // Dropped but still indexed (a race with eviction): out of the way, then look again.
                forget(id, current);
                continue;
            }
            if (current != null && current.fresh(clock.instant(), settings.maxAge())) {
                if (current.acquire()) {
                    return Optional.of(new Resolved(current, How.HIT));
                }
                continue;
            }
            if (current == null && !hasRoom(settings.blockSize())) {
                stats.bypassed.increment();
                return Optional.empty();
            }
            CompletableFuture<Resolved> mine = new CompletableFuture<>();
            CompletableFuture<Resolved> running = resolving.putIfAbsent(id, mine);
            if (running != null) {
                Resolved theirs;
                try {
                    theirs = await(running);
                } catch (Superseded e) {
                    continue;
                }
                if (theirs.entry().acquire()) {
                    return Optional.of(new Resolved(theirs.entry(), theirs.how()));
                }
                continue;
            }
            try {
                if (lookup(id) != current) {
                    // Another leader finished between the lookup and now: start over with its entry.
                    mine.completeExceptionally(new Superseded());
                    continue;
                }
                Resolved resolved = fetchOrRevalidate(id, current, firstBlock, lastBlock, suffixRange);
                mine.complete(resolved);
                return Optional.of(resolved);
            } catch (Throwable e) {
                // Whatever went wrong, the followers must not wait for ever.
                mine.completeExceptionally(e);
                throw e;
            } finally {
                resolving.remove(id, mine);
            }
        }
    }

    /** A leader that found the work done by another: its followers look again. */
    private static final class Superseded extends RuntimeException {
        Superseded() {
            super("superseded", null, false, false);
        }
    }

    /** Takes a dropped entry out of the index and the pinned map, if it is still there. */
    private void forget(ObjectId id, CacheEntry dropped) {
        index.asMap().remove(id, dropped);
        if (pinned.remove(id, dropped)) {
            syncPinned(dropped);
        }
    }

    private static Resolved await(CompletableFuture<Resolved> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * One conditional (when {@code stale} is given) or plain GET of the blocks a read needs; its
     * body becomes those blocks, written in the background as it arrives.
     */
    private Resolved fetchOrRevalidate(ObjectId id, CacheEntry stale, long firstBlock, long lastBlock,
            String suffixRange) {
        long stamp = stamp(id);
        long bs = settings.blockSize();
        String range = firstBlock < 0 ? suffixRange
                : "bytes=" + firstBlock * bs + "-" + (lastBlock < 0 ? "" : String.valueOf((lastBlock + 1) * bs - 1));
        Optional<RemoteBackend.Fetched> answer;
        try {
            answer = fetchFirst(id, range, stale);
        } catch (S3Exception e) {
            if (stale != null && servableStale(e)) {
                stats.revalidationFailures.increment();
                stats.staleServed.increment();
                if (stale.acquire()) {
                    return new Resolved(stale, How.STALE);
                }
            }
            if (S3ErrorCode.NO_SUCH_KEY.code().equals(e.code()) && stale != null) {
                invalidate(id);
            }
            throw e;
        }
        if (answer.isEmpty()) {
            stale.validated(clock.instant());
            stats.revalidatedUnchanged.increment();
            stale.persist();
            if (stale.acquire()) {
                return new Resolved(stale, How.REVALIDATED);
            }
            // Dropped meanwhile (invalidated): fetch it afresh.
            return fetchOrRevalidate(id, null, firstBlock, lastBlock, suffixRange);
        }
        if (stale != null) {
            stats.revalidatedChanged.increment();
        }
        RemoteBackend.Fetched fetched = answer.get();
        CacheEntry entry;
        try {
            entry = create(id, fetched);
        } catch (IOException | RuntimeException e) {
            fetched.close();
            throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "The read cache could not store the object.", e);
        }
        entry.acquireAlways();
        try {
            startWriting(entry, fetched);
            register(entry, stamp);
        } catch (RuntimeException | Error e) {
            entry.drop();
            entry.release();
            throw e;
        }
        return new Resolved(entry, How.MISS);
    }

    private Optional<RemoteBackend.Fetched> fetchFirst(ObjectId id, String range, CacheEntry stale) {
        String ifNoneMatch = stale == null ? null : stale.etag();
        // A revalidation has a deadline: past it the stale copy is served (a stalled link must not
        // hold readers for the whole read timeout).
        Duration deadline = stale == null ? null : settings.revalidateTimeout();
        try {
            return remote.fetchVersion(id.bucket(), id.key(), id.versionId(), range, null, ifNoneMatch, deadline);
        } catch (S3Exception e) {
            if (!S3ErrorCode.INVALID_RANGE.code().equals(e.code()) || range == null) {
                throw e;
            }
            String firstBlock = "bytes=0-" + (settings.blockSize() - 1);
            if (!range.equals(firstBlock)) {
                // The range starts past the end: the object's first block instead (the client gets its 416).
                return fetchFirst(id, firstBlock, stale);
            }
            // An empty object answers 416 to any range.
            return remote.fetchVersion(id.bucket(), id.key(), id.versionId(), null, null, ifNoneMatch, deadline);
        }
    }

    /** A HEAD's answer and how it was served. */
    record Head(ObjectMeta meta, How how) {
    }

    /**
     * A HEAD: answered from a fresh entry; otherwise the remote's answer, which also confirms (same
     * ETag) or invalidates a cached entry; the cached metadata when the remote cannot answer. A HEAD
     * never adds an entry.
     */
    Head head(ObjectId id) {
        CacheEntry cached = lookup(id);
        if (cached != null && cached.fresh(clock.instant(), settings.maxAge())) {
            return new Head(cached.meta, How.HIT);
        }
        ObjectMeta meta;
        try {
            meta = id.isVersion() ? remote.headObjectVersion(id.bucket(), id.key(), id.versionId())
                    : cached == null ? remote.headObject(id.bucket(), id.key())
                    : remote.headObject(id.bucket(), id.key(), settings.revalidateTimeout());
        } catch (S3Exception e) {
            if (cached != null && servableStale(e)) {
                stats.revalidationFailures.increment();
                stats.staleServed.increment();
                return new Head(cached.meta, How.STALE);
            }
            if (cached != null && S3ErrorCode.NO_SUCH_KEY.code().equals(e.code())) {
                invalidate(id);
            }
            throw e;
        }
        if (cached == null) {
            return new Head(meta, How.MISS);
        }
        if (meta.etag().equals(cached.etag())) {
            cached.validated(clock.instant());
            stats.revalidatedUnchanged.increment();
            cached.persist();
            return new Head(meta, How.REVALIDATED);
        }
        stats.revalidatedChanged.increment();
        invalidateIfCurrent(cached);
        return new Head(meta, How.MISS);
    }

    /** Counts a GET as a hit (served without the remote) or a miss, and says which it was. */
    How counted(How how, boolean allCached) {
        boolean hit = how != How.MISS && allCached;
        (hit ? stats.hits : stats.misses).increment();
        return how == How.STALE || hit ? how : How.MISS;
    }

    /** Errors that let a cached copy be served unconfirmed: the remote unreachable or failing. */
    private static boolean servableStale(S3Exception e) {
        return e instanceof RemoteUnreachableException || e.status() >= 500;
    }

    private CacheEntry create(ObjectId id, RemoteBackend.Fetched fetched) throws IOException {
        // A version by id is kept like any read, never pinned: pins are about what a key holds now.
        boolean pin = !id.isVersion() && (pins.pinnedByBucket(id) || (fetched.tagCount() > 0 && objectTagPins(id)));
        Path dir = objects.resolve(id.hash().substring(0, 2))
                .resolve(id.hash() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        Files.createDirectories(dir);
        CacheEntry entry = new CacheEntry(id, fetched.meta(), settings.blockSize(), dir, clock.instant(), pin);
        EntryFile.write(dir, entry.stored());
        return entry;
    }

    private boolean objectTagPins(ObjectId id) {
        try {
            return PinRules.pinsObject(remote.getObjectTags(id.bucket(), id.key()));
        } catch (S3Exception e) {
            return false;
        }
    }

    /** Writes the whole blocks a first GET brought, in the background; readers wait for them by block. */
    private void startWriting(CacheEntry entry, RemoteBackend.Fetched fetched) {
        long bs = entry.blockSize;
        List<CacheEntry.Claim> claims = new ArrayList<>();
        if (fetched.offset() % bs == 0) {
            long end = fetched.offset() + fetched.length();
            for (long i = fetched.offset() / bs; i < entry.blocks() && entry.blockOffset(i) + entry.blockLength(i) <= end; i++) {
                CacheEntry.Claim claim = entry.claim(i);
                if (claim == null || !claim.owner()) {
                    break;
                }
                claim.secured().complete(null);
                claims.add(claim);
            }
        }
        if (claims.isEmpty()) {
            fetched.close();
            return;
        }
        drain(entry, claims, fetched);
    }

    /**
     * Writes consecutive blocks from one remote answer already in hand, in the background, as fast
     * as the remote sends them (not at the pace of the slowest reader). It needs no fetch slot (its
     * connection is open already) and stops when no reader uses the entry any more: a client that
     * left does not cost the rest of the object's egress.
     */
    private void drain(CacheEntry entry, List<CacheEntry.Claim> claims, RemoteBackend.Fetched fetched) {
        inBackground(entry, claims, fetched, false, () -> {
            try (fetched) {
                for (int i = 0; i < claims.size(); i++) {
                    if (i > 0 && !entry.hasReaders()) {
                        IOException left = new IOException("no reader is left for the rest of this answer");
                        claims.subList(i, claims.size()).forEach(c -> fail(entry, c, left));
                        break;
                    }
                    if (!store(entry, claims.get(i), fetched)) {
                        IOException cut = new IOException("an earlier block of the same remote answer failed");
                        claims.subList(i + 1, claims.size()).forEach(c -> fail(entry, c, cut));
                        break;
                    }
                }
            }
        });
    }

    /** How securing the blocks a read lacks ended. */
    enum Secured {
        /** Every block of the range is on disk or coming from a GET the remote answered for this version. */
        YES,
        /** The remote no longer has this version (412 or 404): the entry is out of date. */
        VERSION_GONE
    }

    /**
     * Before a read's first byte goes out: makes sure every block of {@code first..last} it lacks
     * will come from this entry's version. Blocks nobody fetches are claimed and asked for with one
     * ranged GET per run of consecutive ones, pinned to the version (If-Match, and its version id
     * when the remote gave one); blocks another fetch brings are waited for until that fetch's GET
     * was answered. Once the remote answered, it streams that version to the end, whatever happens
     * to the object meanwhile — as S3 does for a GET. A remote error other than the version being
     * gone is thrown (the client gets it now, not a body cut short).
     */
    Secured secure(CacheEntry entry, long first, long last) {
        for (int round = 0; ; round++) {
            List<List<CacheEntry.Claim>> runs = new ArrayList<>();
            List<CacheEntry.Claim> others = new ArrayList<>();
            List<CacheEntry.Claim> run = null;
            for (long i = Math.max(0, first); i <= Math.min(last, entry.blocks() - 1); i++) {
                CacheEntry.Claim claim = entry.claim(i);
                if (claim != null && claim.owner()) {
                    if (run == null) {
                        run = new ArrayList<>();
                        runs.add(run);
                    }
                    run.add(claim);
                    continue;
                }
                run = null;
                if (claim != null) {
                    others.add(claim);
                }
            }
            S3Exception failed = null;
            for (List<CacheEntry.Claim> r : runs) {
                if (failed == null) {
                    try {
                        openRun(entry, r);
                        continue;
                    } catch (S3Exception e) {
                        failed = e;
                    } catch (RuntimeException e) {
                        failed = new S3Exception(S3ErrorCode.INTERNAL_ERROR, "reading from the remote failed", e);
                    }
                }
                // Whatever went wrong, nobody waits for these claims for ever.
                S3Exception cause = failed;
                r.forEach(c -> fail(entry, c, cause));
            }
            if (failed != null) {
                return gone(entry, failed);
            }
            S3Exception othersFailed = null;
            for (CacheEntry.Claim claim : others) {
                try {
                    claim.secured().get();
                } catch (ExecutionException e) {
                    S3Exception error = e.getCause() instanceof S3Exception s3 ? s3
                            : new S3Exception(S3ErrorCode.INTERNAL_ERROR, "reading from the remote failed", e.getCause());
                    if (versionGone(error)) {
                        return gone(entry, error);
                    }
                    othersFailed = error;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "interrupted while reading from the remote", e);
                }
            }
            if (othersFailed == null) {
                return Secured.YES;
            }
            if (round == 2) {
                throw othersFailed;
            }
            // Another reader's fetch failed (its link, its GET): the blocks are free again; claim them.
        }
    }

    private Secured gone(CacheEntry entry, S3Exception error) {
        if (!versionGone(error)) {
            throw error;
        }
        invalidateIfCurrent(entry);
        return Secured.VERSION_GONE;
    }

    private static boolean versionGone(S3Exception e) {
        return S3ErrorCode.PRECONDITION_FAILED.code().equals(e.code()) || e.status() == 404;
    }

    /** One ranged GET of a run of claimed blocks of the entry's version; its body is drained into them. */
    private void openRun(CacheEntry entry, List<CacheEntry.Claim> run) {
        long from = entry.blockOffset(run.getFirst().index());
        long to = entry.blockOffset(run.getLast().index()) + entry.blockLength(run.getLast().index());
        RemoteBackend.Fetched fetched = fetchPinned(entry, from, to);
        run.forEach(c -> c.secured().complete(null));
        drain(entry, run, fetched);
    }

    /** Bytes {@code [from, to)} of exactly the entry's version. */
    private RemoteBackend.Fetched fetchPinned(CacheEntry entry, long from, long to) {
        RemoteBackend.Fetched fetched = remote.fetchVersion(entry.id.bucket(), entry.id.key(), entry.versionPin(),
                "bytes=" + from + "-" + (to - 1), entry.etag(), null, null).orElseThrow();
        if (fetched.offset() != from || fetched.length() != to - from) {
            fetched.close();
            throw new S3Exception(S3ErrorCode.INTERNAL_ERROR, "the remote answered bytes " + fetched.offset() + "+"
                    + fetched.length() + " for " + from + "+" + (to - from), null);
        }
        return fetched;
    }

    /**
     * Runs a fetch on a virtual thread holding a use of the entry; one that opens a connection
     * ({@code slot}) runs with at most {@link #MAX_FETCHES} others (the remote client's connection
     * pool is shared with everything else). Whatever happens, every claim ends completed, so no
     * reader waits for ever.
     */
    private void inBackground(CacheEntry entry, List<CacheEntry.Claim> claims, AutoCloseable resource, boolean slot,
            Runnable work) {
        entry.acquireForFetch();
        try {
            fetchers.execute(() -> {
                try {
                    if (slot) {
                        fetchSlots.acquire();
                    }
                    try {
                        work.run();
                    } finally {
                        if (slot) {
                            fetchSlots.release();
                        }
                    }
                } catch (Throwable e) {
                    claims.forEach(c -> fail(entry, c, e instanceof Exception x ? x : new IOException(e)));
                    closeQuietly(resource);
                } finally {
                    entry.releaseFromFetch();
                }
            });
        } catch (RuntimeException e) {
            // The executor is shut down (s3d is stopping).
            claims.forEach(c -> fail(entry, c, e));
            closeQuietly(resource);
            entry.releaseFromFetch();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Nothing more to release.
            }
        }
    }

    /** Starts fetching a block this caller claimed, alone, in the background (read-ahead, prefetch, a lost block). */
    void fetchBlock(CacheEntry entry, CacheEntry.Claim claim) {
        inBackground(entry, List.of(claim), null, true, () -> {
            try {
                long offset = entry.blockOffset(claim.index());
                try (RemoteBackend.Fetched fetched = fetchPinned(entry, offset, offset + entry.blockLength(claim.index()))) {
                    claim.secured().complete(null);
                    store(entry, claim, fetched);
                }
            } catch (S3Exception e) {
                if (S3ErrorCode.PRECONDITION_FAILED.code().equals(e.code())
                        || S3ErrorCode.NO_SUCH_KEY.code().equals(e.code())) {
                    // The object changed or went at the remote while it was being read.
                    invalidateIfCurrent(entry);
                }
                fail(entry, claim, e);
            } catch (RuntimeException e) {
                fail(entry, claim, e);
            }
        });
    }

    /** Writes one block from the remote's answer and tells its waiters; false when that failed. */
    private boolean store(CacheEntry entry, CacheEntry.Claim claim, RemoteBackend.Fetched fetched) {
        long index = claim.index();
        long length = entry.blockLength(index);
        try {
            if (entry.dropped() && !entry.hasReaders()) {
                // Evicted or invalidated meanwhile, and nobody reads it: nothing more is kept. (While
                // readers remain, their version's blocks still land here; the files go after them.)
                throw new IOException("the cache entry was dropped");
            }
            if (!hasRoom(length)) {
                throw new IOException("the disk is at s3d's free-space floor; block not cached");
            }
            BlockFile.write(entry.blockPath(index), entry.blockHeader(index), fetched.body(), length);
            stats.bytesFetched.add(length);
            entry.blockStored(index);
            entry.fetchEnded(claim);
            claim.done().complete(null);
            if (!entry.dropped()) {
                grew(entry);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            fail(entry, claim, e);
            return false;
        }
    }

    private static void fail(CacheEntry entry, CacheEntry.Claim claim, Throwable e) {
        entry.fetchEnded(claim);
        claim.secured().completeExceptionally(e);
        claim.done().completeExceptionally(e);
    }

    /** An entry got a block: weigh it again (the index may evict), or re-balance the pinned budget. */
    private void grew(CacheEntry entry) {
        if (entry.pinned()) {
            syncPinned(entry);
        } else {
            reweigh(entry.id);
        }
    }

    /** Weighs a key's entry again, under Caffeine's lock for the key (a plain replace may race). */
    private void reweigh(ObjectId id) {
        index.asMap().computeIfPresent(id, (k, v) -> v);
    }

    /**
     * Brings the pinned total up to date for one entry (its bytes count while it is the pinned
     * entry of its key) and the evictable budget with it: pinned bytes count against max-size. O(1),
     * so a pin scan of a large bucket stays linear.
     */
    private synchronized void syncPinned(CacheEntry e) {
        long now = pinned.get(e.id) == e ? e.bytes() : 0;
        pinnedTotal += now - e.countedAsPinned;
        e.countedAsPinned = now;
        eviction.setMaximum(kib(Math.max(0, settings.maxSize() - pinnedTotal)));
    }

    // --- the index ---

    private Object lock(ObjectId id) {
        return locks[Math.floorMod(id.hashCode(), STRIPES)];
    }

    private long stamp(ObjectId id) {
        return invalidations.get(Math.floorMod(id.hashCode(), STRIPES));
    }

    /**
     * Makes {@code entry} the key's current entry (dropping the one before) unless the key was
     * invalidated since {@code stamp}: then the entry serves its reader and goes.
     */
    void register(CacheEntry entry, long stamp) {
        CacheEntry before;
        CacheEntry beforePinned;
        synchronized (lock(entry.id)) {
            if (stamp(entry.id) != stamp) {
                entry.drop();
                return;
            }
            if (entry.pinned()) {
                beforePinned = pinned.put(entry.id, entry);
                before = index.asMap().remove(entry.id);
                syncPinned(entry);
                if (beforePinned != null) {
                    syncPinned(beforePinned);
                }
            } else {
                beforePinned = pinned.remove(entry.id);
                if (beforePinned != null) {
                    // The evictable budget grows back first, or the put would evict for the old one.
                    beforePinned.drop();
                    syncPinned(beforePinned);
                }
                before = index.asMap().put(entry.id, entry);
                reweigh(entry.id);
            }
        }
        if (before != null && before != entry) {
            before.drop();
        }
        if (beforePinned != null && beforePinned != entry) {
            beforePinned.drop();
        }
        enforceFileLimit();
    }

    private void enforceFileLimit() {
        index.cleanUp();
        // coldest() may hand out fewer entries than asked (or ones removed meanwhile): go round until done.
        for (int round = 0; round < 16; round++) {
            long excess = index.asMap().size() - (long) settings.maxFiles();
            if (excess <= 0) {
                return;
            }
            eviction.coldest((int) Math.min(Integer.MAX_VALUE, excess)).forEach((id, e) -> {
                if (index.asMap().remove(id, e)) {
                    e.drop();
                    stats.evictions.increment();
                }
            });
        }
    }

    /** Whether {@code bytes} more fit above the free-space floor, evicting cold entries to make room. */
    private boolean hasRoom(long bytes) {
        if (spaceFor(bytes)) {
            return true;
        }
        // Only entries nobody reads free space now; a few at a time, so one burst cannot empty the cache.
        int evicted = 0;
        for (Map.Entry<ObjectId, CacheEntry> cold : eviction.coldest(32).entrySet()) {
            CacheEntry e = cold.getValue();
            if (e.inUse() || !index.asMap().remove(cold.getKey(), e)) {
                continue;
            }
            e.drop();
            stats.evictions.increment();
            if (spaceFor(bytes)) {
                return true;
            }
            if (++evicted >= 8) {
                break;
            }
        }
        return false;
    }

    private boolean spaceFor(long bytes) {
        try {
            return disk.getUsableSpace() - bytes >= settings.minFreeBytes();
        } catch (IOException e) {
            return false;
        }
    }

    /** A write or delete of the key went through s3d: whatever is cached of it is out of date. */
    public void invalidate(String bucket, String key) {
        invalidate(new ObjectId(bucket, key));
    }

    /** The key's current version, or one version by id (deleted at the remote): its entry goes. */
    void invalidate(ObjectId id) {
        CacheEntry gone;
        CacheEntry gonePinned;
        synchronized (lock(id)) {
            invalidations.incrementAndGet(Math.floorMod(id.hashCode(), STRIPES));
            gone = index.asMap().remove(id);
            gonePinned = pinned.remove(id);
        }
        if (gone != null) {
            gone.drop();
        }
        if (gonePinned != null) {
            gonePinned.drop();
            syncPinned(gonePinned);
        }
    }

    void invalidateIfCurrent(CacheEntry entry) {
        if (lookup(entry.id) == entry) {
            invalidate(entry.id);
        }
    }

    /** The bucket was deleted, or its tags changed: drop or re-examine what is cached of it. */
    public void invalidateBucket(String bucket) {
        List<ObjectId> ids = new ArrayList<>();
        index.asMap().keySet().stream().filter(id -> id.bucket().equals(bucket)).forEach(ids::add);
        pinned.keySet().stream().filter(id -> id.bucket().equals(bucket)).forEach(ids::add);
        ids.forEach(this::invalidate);
        pins.forget(bucket);
    }

    /** Pins or unpins a cached key (its tags changed through s3d); true when it is cached. */
    public boolean repin(String bucket, String key, boolean pin) {
        ObjectId id = new ObjectId(bucket, key);
        boolean wanted = pin || pins.pinnedByBucket(id);
        synchronized (lock(id)) {
            CacheEntry e = lookup(id);
            if (e == null || e.dropped()) {
                return false;
            }
            if (e.pinned() == wanted) {
                return true;
            }
            if (wanted) {
                if (!index.asMap().remove(id, e)) {
                    return false; // evicted meanwhile
                }
                e.pinned(true);
                pinned.put(id, e);
                syncPinned(e);
            } else {
                if (!pinned.remove(id, e)) {
                    return false;
                }
                e.pinned(false);
                // The evictable budget grows back before the entry joins the index.
                syncPinned(e);
                index.asMap().put(id, e);
                reweigh(id);
            }
            e.persist();
        }
        enforceFileLimit();
        return true;
    }

    /** Stored entries of the current versions of one bucket's keys (and prefix), for prefetch and pin scans. */
    List<CacheEntry> entriesUnder(String bucket, String prefix) {
        List<CacheEntry> out = new ArrayList<>();
        for (Map<ObjectId, CacheEntry> map : List.of(pinned, index.asMap())) {
            map.forEach((id, e) -> {
                if (!id.isVersion() && id.bucket().equals(bucket) && id.key().startsWith(prefix)) {
                    out.add(e);
                }
            });
        }
        return out;
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }

    /** Deletes a directory the index does not know (used by the rebuild). */
    static void deleteQuietly(Path dir) {
        try {
            CacheEntry.deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf(e, "could not delete %s", dir);
        }
    }
}
