package io.s3d.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A read-only open of a file that is open for writing: it reads the writers' staged bytes, as
 * on a local disk. It holds the staging file too, so it keeps reading them after the last writer
 * closed (the staging file is deleted when the last of them closes).
 */
final class WriterView implements FileHandle {
    private final WrittenFile writer;
    private final StagingFile staging;

    WriterView(WrittenFile writer, StagingFile staging) {
        this.writer = writer;
        this.staging = staging;
    }

    @Override
    public int read(ByteBuffer into, long offset) throws IOException {
        return staging.read(into, offset);
    }

    long size() throws IOException {
        return staging.size();
    }

    @Override
    public FusePath path() {
        return writer.path();
    }

    @Override
    public void close() {
        staging.close();
    }
}
