package io.s3d.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The stored version a large file was opened on for writing (without {@code O_TRUNC}), which its
 * staging file is filled from lazily: which of its bytes are in the staging file already (fetched,
 * or written over) and which were changed since. Bytes at or past {@link #limit()} never come from
 * it: the file was truncated below them at some point, so they are new whatever they hold.
 */
final class PinnedVersion implements AutoCloseable {
    private final String bucket;
    private final String key;
    private final String etag;
    /** Reads this version only (the local store's open file; a remote's reads carry If-Match). */
    private final ReadHandle reader;
    private long limit;
    private final Extents staged = new Extents();
    private final Extents changed = new Extents();

    PinnedVersion(String bucket, String key, String etag, long size, ReadHandle reader) {
        this.bucket = bucket;
        this.key = key;
        this.etag = etag;
        this.limit = size;
        this.reader = reader;
    }

    String bucket() {
        return bucket;
    }

    String key() {
        return key;
    }

    String etag() {
        return etag;
    }

    /** Bytes before it that are not {@link #missing} read as this version's. */
    long limit() {
        return limit;
    }

    /** The ranges of {@code [from, to)} that are this version's bytes and not in the staging file yet. */
    List<long[]> missing(long from, long to) {
        return staged.gaps(from, Math.min(to, limit));
    }

    /** {@code [from, to)} was copied into the staging file. */
    void fetched(long from, long to) {
        staged.add(from, to);
    }

    /** {@code [from, to)} was written in the staging file: it is there, and no longer this version's. */
    void written(long from, long to) {
        staged.add(from, to);
        changed.add(from, to);
    }

    /** The file was cut to {@code size}: what lies past it is gone from the staging file and from this version's share. */
    void truncated(long size) {
        if (size < limit) {
            limit = size;
            staged.clip(size);
            changed.clip(size);
        }
    }

    /** Whether the file's bytes {@code [from, to)} are still exactly this version's. */
    boolean unchanged(long from, long to) {
        return to <= limit && !changed.intersects(from, to);
    }

    /** Reads this version's bytes at {@code offset}. */
    int read(ByteBuffer into, long offset) throws IOException {
        return reader.read(into, offset);
    }

    /**
     * The version a store just made of the whole file ({@code size} bytes, read by {@code reader}):
     * every byte of the file is now that version's, and what the staging file holds stays staged.
     */
    PinnedVersion rebased(String bucket, String key, String etag, long size, ReadHandle reader) {
        PinnedVersion next = new PinnedVersion(bucket, key, etag, size, reader);
        next.staged.add(limit, size);
        long at = 0;
        for (long[] gap : staged.gaps(0, limit)) {
            next.staged.add(at, gap[0]);
            at = gap[1];
        }
        next.staged.add(at, limit);
        return next;
    }

    @Override
    public void close() {
        reader.close();
    }
}
