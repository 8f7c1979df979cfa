package io.s3d.cache;

import io.s3d.backend.ObjectMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * One version of one object in the cache: its metadata, which of its blocks are on disk, which
 * are being fetched (one fetch per block however many readers wait for it), when the remote last
 * confirmed it current and whether it is pinned. Its directory is deleted once the entry is dropped
 * (evicted, replaced, invalidated) and no reader or fetch still uses it.
 */
final class CacheEntry {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CacheEntry.class);
    final ObjectId id;
    final ObjectMeta meta;
    final long blockSize;
    final Path dir;
    /** Where a block's data starts in its file: headers differ only in fixed-width fields. */
    final int headerLength;

    private final BitSet present = new BitSet();
    private final Map<Long, Claim> fetching = new HashMap<>();
    private final Map<Long, FileStamp> verified = new HashMap<>();
    private long bytes;
    private int users;
    /** Of the users, the background fetches (a fetch alone does not make the entry read). */
    private int background;
    private boolean dropped;
    private volatile Instant validatedAt;
    private volatile boolean pinned;
    /** This entry's bytes in the cache's pinned total (maintained by ReadCache under its lock). */
    long countedAsPinned;
    /** Where the last read of this entry ended, to spot sequential readers. */
    private volatile long lastReadEnd = -1;

    CacheEntry(ObjectId id, ObjectMeta meta, long blockSize, Path dir, Instant validatedAt, boolean pinned) {
        this.id = id;
        this.meta = meta;
        this.blockSize = blockSize;
        this.dir = dir;
        this.headerLength = BlockFile.header(id, meta.etag(), 0, 0).length;
        this.validatedAt = validatedAt;
        this.pinned = pinned;
    }

    String etag() {
        return meta.etag();
    }

    /**
     * The version id a fetch of this entry's blocks names: the one asked for, or the one the remote
     * gave (a versioned bucket) — no later write can take that version away. Null when the remote
     * gives none; then the fetches are pinned by If-Match only.
     */
    String versionPin() {
        if (id.isVersion()) {
            return id.versionId();
        }
        return meta.versionId().filter(v -> !v.isEmpty() && !v.equals("null")).orElse(null);
    }

    long blocks() {
        return meta.size() == 0 ? 0 : (meta.size() + blockSize - 1) / blockSize;
    }

    long blockOffset(long index) {
        return index * blockSize;
    }

    long blockLength(long index) {
        return Math.min(blockSize, meta.size() - index * blockSize);
    }

    Path blockPath(long index) {
        return dir.resolve("b" + index);
    }

    byte[] blockHeader(long index) {
        return BlockFile.header(id, etag(), index, blockLength(index));
    }

    /** Whether the remote confirmed this entry less than {@code maxAge} ago; a version by id is always current. */
    boolean fresh(Instant now, Duration maxAge) {
        return id.isVersion() || now.isBefore(validatedAt.plus(maxAge));
    }

    Instant validatedAt() {
        return validatedAt;
    }

    void validated(Instant at) {
        validatedAt = at;
    }

    boolean pinned() {
        return pinned;
    }

    void pinned(boolean value) {
        pinned = value;
    }

    boolean sequentialAfter(long offset) {
        return offset > 0 && offset == lastReadEnd;
    }

    void readUpTo(long end) {
        lastReadEnd = end;
    }

    EntryFile.Stored stored() {
        return new EntryFile.Stored(id, meta, blockSize, validatedAt, pinned);
    }

    // --- blocks ---

    synchronized boolean has(long index) {
        return present.get((int) index);
    }

    /** Whether blocks {@code first..last} (clipped to the object) are all on disk. */
    synchronized boolean hasAll(long first, long last) {
        for (long i = Math.max(0, first); i <= Math.min(last, blocks() - 1); i++) {
            if (!present.get((int) i)) {
                return false;
            }
        }
        return true;
    }

    synchronized long bytes() {
        return bytes;
    }

    /**
     * Whether block {@code index} is on disk, whole and uncorrupted. Its CRC32C is checked the first
     * time it is read after it was written or after a restart, and again whenever its file changes
     * (inode, size or modification time); a block that fails is dropped (see {@link #blockLost}).
     */
    boolean verified(long index) {
        Path file = blockPath(index);
        FileStamp stamp;
        try {
            stamp = FileStamp.of(file);
        } catch (IOException e) {
            blockLost(index);
            return false;
        }
        synchronized (this) {
            if (stamp.equals(verified.get(index))) {
                return true;
            }
        }
        if (!BlockFile.verify(file, blockHeader(index), blockLength(index))) {
            blockLost(index);
            return false;
        }
        // A verification in the same instant as the file's last change proves little: a write in
        // that instant would keep the stamp (timestamps are coarse). Such a "racy" stamp is not
        // kept, so the block is verified again until its file is older than the clock's grain
        // (git's racy-clean rule).
        if (System.currentTimeMillis() * 1_000_000L - stamp.modifiedNanos() > RACY_NANOS) {
            synchronized (this) {
                verified.put(index, stamp);
            }
        }
        return true;
    }

    private static final long RACY_NANOS = 2_000_000_000L;

    /** What identifies one state of a file: a rewrite or an edit changes it. */
    private record FileStamp(Object fileKey, long size, long modifiedNanos) {
        static FileStamp of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        }
    }

    /** Records a block found on disk or just written. */
    synchronized void blockStored(long index) {
        if (!present.get((int) index)) {
            present.set((int) index);
            bytes += blockLength(index);
        }
    }

    /** Forgets a block whose file failed verification (and deletes the file). */
    synchronized void blockLost(long index) {
        verified.remove(index);
        if (present.get((int) index)) {
            present.clear((int) index);
            bytes -= blockLength(index);
        }
        try {
            Files.deleteIfExists(blockPath(index));
        } catch (IOException ignored) {
            // Retried by the next write of that block, or by the entry's removal.
        }
    }

    /**
     * Whose fetch a missing block waits for: null when the block is on disk; else the running
     * fetch, or (when none runs) a new one this caller must start and complete ({@code owner}).
     */
    synchronized Claim claim(long index) {
        if (present.get((int) index)) {
            return null;
        }
        Claim running = fetching.get(index);
        if (running != null) {
            return new Claim(index, running.secured(), running.done(), false);
        }
        Claim started = new Claim(index, new CompletableFuture<>(), new CompletableFuture<>(), true);
        fetching.put(index, started);
        return started;
    }

    /** Ends a fetch this caller owned (whether it stored the block or failed). */
    synchronized void fetchEnded(Claim claim) {
        Claim running = fetching.get(claim.index());
        if (running != null && running.done() == claim.done()) {
            fetching.remove(claim.index());
        }
    }

    /**
     * One fetch of one block. {@code secured} completes once the remote answered the GET that
     * brings the block (from then on the bytes are of this entry's version, whatever happens to
     * the object at the remote), or fails with the remote's error; {@code done} once the block is
     * on disk.
     */
    record Claim(long index, CompletableFuture<Void> secured, CompletableFuture<Void> done, boolean owner) {
    }

    // --- life cycle ---

    /** Takes a use of the entry's files; false when the entry was dropped meanwhile. */
    synchronized boolean acquire() {
        if (dropped) {
            return false;
        }
        users++;
        return true;
    }

    /** Takes a use even of a dropped entry (a reader finishing what it started). */
    synchronized void acquireAlways() {
        users++;
    }

    /** Takes a use for a background fetch. */
    synchronized void acquireForFetch() {
        users++;
        background++;
    }

    /** Ends a use taken by {@link #acquireForFetch()}. */
    void releaseFromFetch() {
        synchronized (this) {
            background--;
        }
        release();
    }

    /** Whether a reader (not only a background fetch) still uses the entry. */
    synchronized boolean hasReaders() {
        return users > background;
    }

    void release() {
        boolean delete;
        synchronized (this) {
            users--;
            delete = dropped && users == 0;
        }
        if (delete) {
            deleteFiles();
        }
    }

    /** Drops the entry: its files go as soon as nobody uses them. */
    void drop() {
        boolean delete;
        synchronized (this) {
            if (dropped) {
                return;
            }
            dropped = true;
            delete = users == 0;
            // The entry file goes at once: should s3d stop before the last reader closes, the next
            // start must not take the dropped version back in.
            try {
                Files.deleteIfExists(dir.resolve(EntryFile.NAME));
            } catch (IOException e) {
                LOG.warnf(e, "could not delete %s; the next start may serve an outdated copy", dir);
            }
        }
        if (delete) {
            deleteFiles();
        }
    }

    /** Rewrites the entry file (after a revalidation or a pin change), unless the entry was dropped. */
    synchronized void persist() {
        if (dropped) {
            return;
        }
        try {
            EntryFile.write(dir, stored());
        } catch (IOException e) {
            LOG.debugf(e, "could not update the cache entry of %s", id);
        }
    }

    synchronized boolean inUse() {
        return users > 0;
    }

    synchronized boolean dropped() {
        return dropped;
    }

    /** Deletes the entry's directory; a failure is logged (the next start removes what is left). */
    private void deleteFiles() {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("could not delete the cache directory %s: %s", dir, e.getMessage());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
