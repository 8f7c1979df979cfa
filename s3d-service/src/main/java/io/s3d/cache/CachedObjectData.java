package io.s3d.cache;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import io.s3d.remote.RemoteBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A read served by the cache: bytes come from verified block files. The blocks the range lacked
 * were secured before the answer's head went out (see {@link ReadCache#secure}) and arrive from
 * remote GETs of this version already answered; sequential readers get the blocks after their
 * range fetched ahead. Should a block still fail to arrive (the link broke) or to verify twice, the
 * rest of the range is read straight from the remote (the same version, by If-Match): the client
 * gets its bytes even when the cache cannot keep them.
 */
final class CachedObjectData implements ObjectData {
    private final ReadCache cache;
    private final CacheEntry entry;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param entry held for this reader; released on {@link #close()} */
    CachedObjectData(ReadCache cache, CacheEntry entry) {
        this.cache = cache;
        this.entry = entry;
    }

    @Override
    public ObjectMeta meta() {
        return entry.meta;
    }

    @Override
    public InputStream open(long offset, long length) {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        long lastBlock = (offset + length - 1) / entry.blockSize;
        long ahead = entry.sequentialAfter(offset) ? cache.settings().readAhead() : 0;
        entry.readUpTo(offset + length);
        return new BlockStream(offset, offset + length, Math.min(entry.blocks() - 1, lastBlock + ahead));
    }

    /**
     * A range inside one cached block is sent straight from the block file (after the block is
     * verified); anything else streams through {@link #open}.
     */
    @Override
    public Optional<FileSlice> localSlice(long offset, long length) {
        long index = offset / entry.blockSize;
        if (length == 0 || (offset + length - 1) / entry.blockSize != index || !entry.has(index)) {
            return Optional.empty();
        }
        if (!entry.verified(index)) {
            cache.stats().corruptBlocks.increment();
            return Optional.empty();
        }
        if (entry.sequentialAfter(offset)) {
            // A sequential reader served from a cached block still gets the next blocks fetched ahead.
            long last = Math.min(entry.blocks() - 1, index + cache.settings().readAhead());
            for (long next = index + 1; next <= last; next++) {
                CacheEntry.Claim claim = entry.claim(next);
                if (claim != null && claim.owner()) {
                    cache.fetchBlock(entry, claim);
                }
            }
        }
        entry.readUpTo(offset + length);
        cache.stats().bytesFromCache.add(length);
        return Optional.of(new FileSlice(entry.blockPath(index), entry.headerLength + offset - entry.blockOffset(index)));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            entry.release();
        }
    }

    private final class BlockStream extends InputStream {
        private final long end;
        private final long fetchUpTo;
        private long position;
        private InputStream current;
        private long currentLeft;
        private InputStream direct;

        BlockStream(long start, long end, long fetchUpTo) {
            this.position = start;
            this.end = end;
            this.fetchUpTo = fetchUpTo;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (direct != null) {
                int n = direct.read(b, off, (int) Math.min(len, end - position));
                if (n < 0) {
                    throw new IOException("the remote ended the object early");
                }
                position += n;
                return n;
            }
            if (current == null || currentLeft == 0) {
                openBlock(position / entry.blockSize);
                if (direct != null) {
                    return read(b, off, len);
                }
            }
            int n = current.read(b, off, (int) Math.min(len, currentLeft));
            if (n < 0) {
                throw new IOException("cache block " + entry.blockPath(position / entry.blockSize) + " ended early");
            }
            position += n;
            currentLeft -= n;
            cache.stats().bytesFromCache.add(n);
            return n;
        }

        private void openBlock(long index) throws IOException {
            closeCurrent();
            startFetches(index);
            for (int attempt = 0; attempt < 2; attempt++) {
                CacheEntry.Claim claim = entry.claim(index);
                if (claim != null) {
                    if (claim.owner()) {
                        cache.fetchBlock(entry, claim);
                    }
                    if (!arrived(claim)) {
                        break;
                    }
                }
                if (!entry.verified(index)) {
                    cache.stats().corruptBlocks.increment();
                    continue;
                }
                FileChannel channel = FileChannel.open(entry.blockPath(index), StandardOpenOption.READ);
                try {
                    channel.position(entry.headerLength + (position - entry.blockOffset(index)));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                current = Channels.newInputStream(channel);
                currentLeft = Math.min(end, entry.blockOffset(index) + entry.blockLength(index)) - position;
                return;
            }
            readDirect();
        }

        /** Fetches the block a reader is at and the next read-ahead ones (within its range and read-ahead) that are missing. */
        private void startFetches(long index) {
            long last = Math.min(fetchUpTo, index + cache.settings().readAhead());
            for (long i = index; i <= last; i++) {
                CacheEntry.Claim claim = entry.claim(i);
                if (claim != null && claim.owner()) {
                    cache.fetchBlock(entry, claim);
                }
            }
        }

        private boolean arrived(CacheEntry.Claim claim) throws IOException {
            try {
                claim.done().get();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a block", e);
            } catch (ExecutionException e) {
                return false;
            }
        }

        /** The rest of the range straight from the remote, pinned to the cached version. */
        private void readDirect() throws IOException {
            try {
                RemoteBackend.Fetched fetched = cache.remote().fetchVersion(entry.id.bucket(), entry.id.key(),
                        entry.versionPin(), "bytes=" + position + "-" + (end - 1), entry.etag(), null, null)
                        .orElseThrow();
                if (fetched.offset() != position) {
                    fetched.close();
                    throw new IOException("the remote answered another range than asked");
                }
                direct = fetched.body();
            } catch (S3Exception e) {
                throw new IOException("reading " + entry.id + " from the remote failed: " + e.getMessage(), e);
            }
        }

        private void closeCurrent() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }

        @Override
        public void close() throws IOException {
            closeCurrent();
            if (direct != null) {
                direct.close();
                direct = null;
            }
        }
    }
}
