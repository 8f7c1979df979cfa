package io.s3d.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open of a file for writing: the {@link WrittenFile} it shares with the file's other writers,
 * and whether it was opened with {@code O_APPEND} (each of its writes then goes to the end).
 */
final class WriteHandle implements FileHandle {
    private final WrittenFile file;
    private final boolean append;

    WriteHandle(WrittenFile file, boolean append) {
        this.file = file;
        this.append = append;
    }

    WrittenFile file() {
        return file;
    }

    @Override
    public FusePath path() {
        return file.path();
    }

    @Override
    public int read(ByteBuffer into, long offset) throws IOException {
        return file.read(into, offset);
    }

    int write(ByteBuffer bytes, long offset) throws IOException {
        return append ? file.append(bytes) : file.write(bytes, offset);
    }

    /** Nothing of its own to free: the file's last writer closes the file (see S3dFileSystem#release). */
    @Override
    public void close() {
    }
}
