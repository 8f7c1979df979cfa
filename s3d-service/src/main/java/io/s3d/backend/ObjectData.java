package io.s3d.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An object opened for reading: its metadata and a way to stream a byte range of the very version
 * the metadata describes. Close it when done; it may hold a file handle or a connection.
 */
public interface ObjectData extends AutoCloseable {

    ObjectMeta meta();

    /** The bytes {@code [offset, offset + length)} of this version. */
    InputStream open(long offset, long length) throws IOException;

    /**
     * A file holding exactly this version's bytes at {@link #fileOffset()}, stable until
     * {@link #close()}, for zero-copy sending; empty when the data is not in a local file.
     */
    default Optional<Path> stableFile() {
        return Optional.empty();
    }

    /** Offset of the content inside {@link #stableFile()}. */
    default long fileOffset() {
        return 0;
    }

    /**
     * Where the bytes {@code [offset, offset + length)} lie in one local file, stable until
     * {@link #close()}, for zero-copy sending; empty when they do not (then use {@link #open}).
     */
    default Optional<FileSlice> localSlice(long offset, long length) {
        return stableFile().map(file -> new FileSlice(file, fileOffset() + offset));
    }

    /** A local file and the position in it where the wanted bytes start. */
    record FileSlice(Path file, long position) {
    }

    /**
     * This object, to be opened with the SSE-C key a request offers: a store that keeps objects
     * encrypted with customers' keys decrypts with it. The caller has checked the key against the
     * object ({@link #opensWith}) before.
     */
    default ObjectData withCustomerKey(byte[] customerKey) {
        return this;
    }

    /** Whether this object is encrypted with a customer's key (SSE-C) and {@code customerKey} is that key. */
    default boolean opensWith(byte[] customerKey) {
        return false;
    }

    @Override
    void close();
}
