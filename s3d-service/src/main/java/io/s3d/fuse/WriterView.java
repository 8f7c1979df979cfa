package io.s3d.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A read-only open of a new file that another handle is still writing: it reads the writer's staged bytes. */
final class WriterView implements FileHandle {
    private final WriteHandle writer;

    WriterView(WriteHandle writer) {
        this.writer = writer;
    }

    @Override
    public int read(ByteBuffer into, long offset) throws IOException {
        return writer.read(into, offset);
    }

    long size() throws IOException {
        return writer.size();
    }

    @Override
    public FusePath path() {
        return writer.path();
    }

    @Override
    public void close() {
        // the writer owns the staging file
    }
}
