package io.s3d.fuse;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * The local copy of a file open for writing: writes land here at their offsets, and
 * {@link #store} puts the whole file as one new object version. Memory use does not depend on the
 * file's size: bytes go between the kernel, this file and the store through fixed buffers.
 */
final class StagingFile implements AutoCloseable {
    private static final int COPY_BUFFER = 256 * 1024;
    private final Path path;
    private final FileChannel channel;
    private Map<String, String> headers = Map.of();
    private Map<String, String> userMetadata = Map.of();
    /** Holders that have not closed it yet: its writer and the readers viewing it; deleted when none is left. */
    private int holders = 1;

    private StagingFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** A new empty staging file in {@code dir}. */
    static StagingFile create(Path dir) throws IOException {
        Path path = Files.createTempFile(dir, "staged-", ".tmp");
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new StagingFile(path, channel);
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

    int write(ByteBuffer bytes, long offset) throws IOException {
        int written = 0;
        while (bytes.hasRemaining()) {
            written += channel.write(bytes, offset + written);
        }
        return written;
    }

    /** Reads up to {@code bytes.remaining()} bytes at {@code offset}; -1 at the end. */
    int read(ByteBuffer bytes, long offset) throws IOException {
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

    void truncate(long size) throws IOException {
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

    /** Stores the whole file as the new version of {@code bucket/key}; returns once the store has it. */
    ObjectMeta store(ObjectBackend backend, String bucket, String key) throws IOException {
        long size = channel.size();
        try (InputStream body = Files.newInputStream(path)) {
            return backend.putObject(new PutRequest(bucket, key, body, size, Optional.empty(), headers, userMetadata,
                    Map.of(), Map::of, WriteCondition.NONE));
        }
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
