package io.s3d.fuse;

import io.s3d.backend.ObjectData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A file open for reading: pinned to the version it opened (the {@link ObjectData} reads that
 * version only, even after an overwrite), with one stream kept open for sequential reads. A read
 * a little ahead of the stream skips forward; any other seek closes the stream and opens the rest
 * of the object from the new offset, so a remote or the read cache fetches only that part.
 */
final class ReadHandle implements FileHandle {
    /** A read at most this far past the stream's position skips forward instead of reopening. */
    static final long SKIP_LIMIT = 1024 * 1024;

    private final FusePath path;
    private final ObjectData data;
    private InputStream stream;
    private long position;
    private int opens;

    ReadHandle(FusePath path, ObjectData data) {
        this.path = path;
        this.data = data;
    }

    @Override
    public FusePath path() {
        return path;
    }

    long size() {
        return data.meta().size();
    }

    java.time.Instant mtime() {
        return data.meta().lastModified();
    }

    /** How many times a stream was opened (1 for a sequential reader). */
    synchronized int opens() {
        return opens;
    }

    @Override
    public synchronized int read(ByteBuffer into, long offset) throws IOException {
        long size = size();
        if (offset >= size) {
            return -1;
        }
        if (stream == null || offset < position || offset - position > SKIP_LIMIT) {
            closeStream();
            stream = data.open(offset, size - offset);
            position = offset;
            opens++;
        } else if (offset > position) {
            stream.skipNBytes(offset - position);
            position = offset;
        }
        int want = (int) Math.min(into.remaining(), size - offset);
        int got = stream.readNBytes(into.array(), into.arrayOffset() + into.position(), want);
        into.position(into.position() + got);
        position += got;
        if (got < want) {
            throw new IOException("object " + path.display() + " ended at " + position + " of " + size + " bytes");
        }
        return got;
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // a read stream: nothing to lose
            }
            stream = null;
        }
    }

    @Override
    public synchronized void close() {
        closeStream();
        data.close();
    }
}
