package io.s3d.bench.fuse;

import java.io.IOException;

/**
 * Where the FUSE bench's operations run: a directory (the mount, or a local one for reference) or
 * the S3 API of the same daemon. Names are relative ({@code seq}, {@code small/f17}); {@code dir} is
 * a directory of the tree, a key prefix for the API. Reads check every byte against the content
 * written ({@code load/Content.java}).
 */
interface Target extends AutoCloseable {

    /** How the page names this target. */
    String label();

    /** Makes a directory (a no-op for the API, where prefixes need nothing). */
    void mkdir(String dir) throws IOException;

    /** Writes a file of {@code bytes} bytes of its name's content; returns once it is stored (closed, fsync'ed). */
    void write(String name, long bytes) throws IOException;

    /** Reads a whole file and checks it; returns the bytes read. */
    long read(String name, long bytes) throws IOException;

    /** Reads 4 KiB at {@code offset} of a file opened once for many reads ({@link #openForRandomReads}). */
    void readAt(long offset, byte[] buf) throws IOException;

    /** Opens a file for {@link #readAt}. */
    void openForRandomReads(String name) throws IOException;

    /**
     * Writes {@code bytes} at {@code offset} of an existing file in place (open without truncating,
     * pwrite, close; stored or fsync'ed like {@link #write}); false when the target has no in-place
     * write (the S3 API), and the row shows "–".
     */
    default boolean patch(String name, long offset, byte[] bytes) throws IOException {
        return false;
    }

    /** Creates an empty file. */
    void create(String name) throws IOException;

    /** The size of a file (stat / HEAD). */
    long stat(String name) throws IOException;

    /** Lists a directory; returns the entries seen. */
    long list(String dir) throws IOException;

    @Override
    void close() throws IOException;
}
