package io.s3d.fuse;

import io.s3d.backend.Etags;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The local copy of a file open for writing: writes land here at their offsets, and
 * {@link #store} puts the whole file as one new object version. Memory use does not depend on the
 * file's size: bytes go between the kernel, this file and the store through fixed buffers.
 *
 * <p>A large file opened to be changed in place is staged lazily ({@link #lazy}): the staging file
 * starts sparse, a read fetches the {@link PinnedVersion}'s bytes it needs (a block around them),
 * and a store sends only the parts holding changed bytes and copies the others where they lie
 * ({@link PatchUpload}), when the store can copy them without moving them through s3d.
 */
final class StagingFile implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StagingFile.class);
    private static final int COPY_BUFFER = 256 * 1024;
    /** A read of a lazily staged file fetches the missing bytes of the aligned blocks of this size around it. */
    static final long FILL_BLOCK = 1024 * 1024;
    private final Path path;
    private final FileChannel channel;
    /** The version a lazily staged file is filled from; null once every byte is in the file (or it never was lazy). */
    private PinnedVersion pinned;
    private final PartialRewrites rewrites;
    private Map<String, String> headers = Map.of();
    private Map<String, String> userMetadata = Map.of();
    /** Holders that have not closed it yet: its writer and the readers viewing it; deleted when none is left. */
    private int holders = 1;

    private StagingFile(Path path, FileChannel channel, PartialRewrites rewrites) {
        this.path = path;
        this.channel = channel;
        this.rewrites = rewrites;
    }

    /** A new empty staging file in {@code dir}; {@code rewrites} counts what its stores send. */
    static StagingFile create(Path dir, PartialRewrites rewrites) throws IOException {
        Path path = Files.createTempFile(dir, "staged-", ".tmp");
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new StagingFile(path, channel, rewrites);
    }

    /**
     * A staging file of the stored version {@code data} of {@code file} that fetches its
     * bytes only when they are read or a store needs them; it keeps the version's content type and
     * user metadata for the new version, and owns {@code data} (closed with it).
     */
    static StagingFile lazy(Path dir, FusePath file, ObjectData data, PartialRewrites rewrites) throws IOException {
        StagingFile staging;
        try {
            staging = create(dir, rewrites);
        } catch (IOException | RuntimeException e) {
            data.close();
            throw e;
        }
        ObjectMeta meta = data.meta();
        staging.pinned = new PinnedVersion(file.bucket(), file.key(), meta.etag(), meta.size(),
                new ReadHandle(file, data));
        try {
            staging.keepMetadataOf(meta);
            if (meta.size() > 0) {
                // As large as the version, holes everywhere: nothing is written until it is read or changed.
                staging.channel.write(ByteBuffer.allocate(1), meta.size() - 1);
            }
        } catch (IOException | RuntimeException e) {
            staging.close();
            throw e;
        }
        return staging;
    }

    /**
     * Copies the current bytes of an object in (to change it in place or append to it); its
     * content type and user metadata are kept for the new version.
     */
    void copyFrom(ObjectData data) throws IOException {
        ObjectMeta meta = data.meta();
        headers = meta.contentHeaders();
        userMetadata = meta.userMetadata();
        byte[] buffer = new byte[COPY_BUFFER];
        long copied = 0;
        try (InputStream in = data.open(0, meta.size())) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                write(ByteBuffer.wrap(buffer, 0, n), copied);
                copied += n;
            }
        }
        if (copied != meta.size()) {
            throw new IOException("object ended after " + copied + " of " + meta.size() + " bytes");
        }
    }

    /** Keeps an object's content type and user metadata for the new version (its bytes are not wanted: O_TRUNC). */
    void keepMetadataOf(ObjectMeta meta) {
        headers = meta.contentHeaders();
        userMetadata = meta.userMetadata();
    }

    /** Keeps another staging file's content type and user metadata (a second writer truncating a file). */
    void keepMetadataOf(StagingFile other) {
        headers = other.headers;
        userMetadata = other.userMetadata;
    }

    /** Copies another staging file's current bytes in (a second writer of a file not stored yet). */
    void copyFrom(StagingFile other) throws IOException {
        headers = other.headers;
        userMetadata = other.userMetadata;
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
        long offset = 0;
        int n;
        while ((n = other.read(buffer.clear(), offset)) > 0) {
            write(buffer.flip(), offset);
            offset += n;
        }
    }

    /** The user metadata the next store writes (x-amz-meta-* names without the prefix). */
    Map<String, String> userMetadata() {
        return userMetadata;
    }

    /** Replaces the user metadata the next store writes (the file's POSIX attributes and xattrs are in it). */
    void userMetadata(Map<String, String> metadata) {
        userMetadata = Map.copyOf(metadata);
    }

    synchronized int write(ByteBuffer bytes, long offset) throws IOException {
        int written = 0;
        while (bytes.hasRemaining()) {
            written += channel.write(bytes, offset + written);
        }
        if (pinned != null) {
            pinned.written(offset, offset + written);
        }
        return written;
    }

    /** Reads up to {@code bytes.remaining()} bytes at {@code offset}; -1 at the end. */
    synchronized int read(ByteBuffer bytes, long offset) throws IOException {
        if (pinned != null) {
            long end = Math.min(channel.size(), offset + bytes.remaining());
            fill(offset / FILL_BLOCK * FILL_BLOCK, Math.min(channel.size(), (end + FILL_BLOCK - 1) / FILL_BLOCK * FILL_BLOCK));
        }
        int total = 0;
        while (bytes.hasRemaining()) {
            int n = channel.read(bytes, offset + total);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
        }
        return total;
    }

    /**
     * Copies the pinned version's bytes of {@code [from, to)} that are not in the file yet into it
     * (never over bytes written here); nothing for a file staged whole.
     */
    synchronized void fill(long from, long to) throws IOException {
        if (pinned == null) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
        for (long[] gap : pinned.missing(from, to)) {
            long at = gap[0];
            while (at < gap[1]) {
                buffer.clear().limit((int) Math.min(COPY_BUFFER, gap[1] - at));
                int n = pinned.read(buffer, at);
                if (n <= 0) {
                    throw new IOException("the stored version of " + pinned.bucket() + "/" + pinned.key()
                            + " ended at " + at + " of " + pinned.limit() + " bytes");
                }
                buffer.flip();
                long wrote = at;
                while (buffer.hasRemaining()) {
                    wrote += channel.write(buffer, wrote);
                }
                pinned.fetched(at, at + n);
                at += n;
            }
        }
    }

    /** Fetches every byte still missing: the file no longer needs the version it was opened on. */
    private void fillAll() throws IOException {
        if (pinned != null) {
            fill(0, channel.size());
            pinned.close();
            pinned = null;
        }
    }

    /** The file's bytes {@code [from, from + length)} as they are now (fetch them first: see {@link #fill}). */
    InputStream slice(long from, long length) throws IOException {
        FileChannel reader = FileChannel.open(path, StandardOpenOption.READ);
        reader.position(from);
        return new io.s3d.backend.BoundedInput(Channels.newInputStream(reader), length);
    }

    synchronized void truncate(long size) throws IOException {
        if (pinned != null) {
            pinned.truncated(size);
        }
        long current = channel.size();
        if (size < current) {
            channel.truncate(size);
        } else if (size > current) {
            // Extending: the new bytes read as zeros, as POSIX says.
            channel.write(ByteBuffer.allocate(1), size - 1);
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    /**
     * Stores the file as the new version of {@code bucket/key}; returns once the store has it. A
     * lazily staged file whose unchanged parts can be copied is stored by parts ({@link PatchUpload});
     * when that does not pay (small, rewritten, truncated) or the version it was opened on is no
     * longer the stored one, its missing bytes are fetched from that version and it is stored whole,
     * as any file. When they cannot be fetched any more (a remote's object was replaced), the store
     * fails: never an object mixing two versions.
     */
    synchronized ObjectMeta store(ObjectBackend backend, String bucket, String key) throws IOException {
        long size = channel.size();
        if (pinned != null && rewrites.applies(size)) {
            List<PatchUpload.Part> plan = PatchUpload.plan(pinned, size, rewrites.partSize(size));
            if (PatchUpload.saves(plan)) {
                ObjectMeta stored = PatchUpload.store(backend, bucket, key, this, pinned, plan, headers, userMetadata,
                        rewrites);
                if (stored != null) {
                    repin(backend, bucket, key, stored, size);
                    return stored;
                }
            }
        }
        fillAll();
        ObjectMeta stored;
        try (InputStream body = Files.newInputStream(path)) {
            stored = backend.putObject(new PutRequest(bucket, key, body, size, Optional.empty(), headers, userMetadata,
                    Map.of(), Map::of, WriteCondition.NONE));
        }
        rewrites.uploaded(size);
        return stored;
    }

    /**
     * After a store by parts: the new version is what later reads and stores start from (its bytes
     * are the file's now). When it cannot be opened as that version (replaced already), the file
     * stays on the version it was opened on, and its next store finds out.
     */
    private void repin(ObjectBackend backend, String bucket, String key, ObjectMeta stored, long size) {
        ObjectData data;
        try {
            data = size == 0 ? backend.getObject(bucket, key) : backend.getObject(bucket, key, "bytes=0-");
        } catch (RuntimeException e) {
            LOG.debugf(e, "FUSE %s/%s: the version just stored could not be opened", bucket, key);
            return;
        }
        if (!Etags.matches('"' + stored.etag() + '"', data.meta().etag()) || data.meta().size() != size) {
            data.close();
            return;
        }
        PinnedVersion before = pinned;
        pinned = before.rebased(bucket, key, stored.etag(), size,
                new ReadHandle(FusePath.parse("/" + bucket + "/" + key), data));
        before.close();
    }

    /** One more holder (a reader of a file not stored yet), which must {@link #close} it too. */
    synchronized StagingFile retain() {
        if (holders == 0) {
            throw new IllegalStateException("staging file " + path + " is closed");
        }
        holders++;
        return this;
    }

    /** Closes and deletes the file once its last holder closed it. */
    @Override
    public void close() {
        synchronized (this) {
            if (holders == 0 || --holders > 0) {
                return;
            }
        }
        synchronized (this) {
            if (pinned != null) {
                pinned.close();
                pinned = null;
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next; nothing was promised about it
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover staging file is removed at the next start
        }
    }
}
