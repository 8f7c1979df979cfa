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

    @Override
    void close();
}
