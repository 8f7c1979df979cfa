package io.s3d.fuse;

import java.io.IOException;
import java.nio.ByteBuffer;

/** What one {@code open} or {@code create} of the mount holds until its {@code release}. */
sealed interface FileHandle extends AutoCloseable permits ReadHandle, WriteHandle, WriterView {

    /** Reads into {@code into} from {@code offset}, filling it unless the file ends first; -1 or a short count at the end. */
    int read(ByteBuffer into, long offset) throws IOException;

    /** The path it was opened at (a rename of an open file moves it). */
    FusePath path();

    @Override
    void close();
}
