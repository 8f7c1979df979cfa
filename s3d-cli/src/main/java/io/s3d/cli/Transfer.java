package io.s3d.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/** Copies bytes with a progress bar; stops when standard output's reader went away. */
final class Transfer {
    static final int BUFFER = 64 * 1024;

    private Transfer() {
    }

    /** Thrown when standard output was closed by its reader (e.g. {@code | head}). */
    static final class BrokenPipe extends IOException {
        BrokenPipe() {
            super("standard output closed");
        }
    }

    static long copy(InputStream in, OutputStream out, Progress progress) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out instanceof PrintStream ps && ps.checkError()) {
                throw new BrokenPipe();
            }
            total += n;
            progress.add(n);
        }
        out.flush();
        if (out instanceof PrintStream ps && ps.checkError()) {
            throw new BrokenPipe();
        }
        return total;
    }

    /** Reads until {@code buf} is full or the stream ends; returns the count read. */
    static int readFully(InputStream in, byte[] buf, int len) throws IOException {
        int off = 0;
        while (off < len) {
            int n = in.read(buf, off, len - off);
            if (n < 0) {
                break;
            }
            off += n;
        }
        return off;
    }
}
