package io.s3d.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic object content: the bytes of a key are a window of one fixed random buffer,
 * starting at an offset derived from the key. A GET can therefore be checked byte for byte
 * without keeping a copy of what was written, and both generating and checking are array copies
 * and vectorised compares, so the check does not make the load generator the bottleneck.
 */
public final class Content {

    /** A prime length, so that offsets of different keys rarely line up. */
    static final int PERIOD = 1_048_573;
    private static final byte[] BASE = new byte[2 * PERIOD];

    static {
        byte[] one = new byte[PERIOD];
        new SplittableRandom(0x53_3D_B3_1CL).nextBytes(one);
        System.arraycopy(one, 0, BASE, 0, PERIOD);
        System.arraycopy(one, 0, BASE, PERIOD, PERIOD);
    }

    private Content() {
    }

    /** Where the content of {@code key} starts in the period. */
    public static int offset(String key) {
        long h = 1125899906842597L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, (long) PERIOD);
    }

    /** Copies bytes {@code [pos, pos + len)} of the content of a key starting at {@code start} into dst. */
    static void fill(int start, long pos, byte[] dst, int dstOff, int len) {
        while (len > 0) {
            int p = (int) ((start + pos) % PERIOD);
            int n = Math.min(len, PERIOD);
            System.arraycopy(BASE, p, dst, dstOff, n);
            dstOff += n;
            pos += n;
            len -= n;
        }
    }

    /** The whole content of a small object, as an array. */
    public static byte[] bytes(String key, int size) {
        byte[] b = new byte[size];
        fill(offset(key), 0, b, 0, size);
        return b;
    }

    /** Bytes {@code [from, from + size)} of the content of {@code key}. */
    public static byte[] range(String key, long from, int size) {
        byte[] b = new byte[size];
        fill(offset(key), from, b, 0, size);
        return b;
    }

    /** The content of an object as a stream, generated as it is read. */
    public static InputStream stream(String key, long size) {
        return new Generated(offset(key), size);
    }

    /**
     * Reads {@code in} to its end and checks it against the content of {@code key} from byte
     * {@code from}; returns the number of bytes read.
     *
     * @throws ContentMismatchException on the first differing byte, or when the length is wrong
     */
    public static long verify(String key, long from, long expectedLength, InputStream in, byte[] buf)
            throws IOException {
        int start = offset(key);
        int chunk = (int) Math.max(1, Math.min(buf.length, expectedLength));
        byte[] exp = new byte[chunk];
        long pos = 0;
        int n;
        while ((n = in.read(buf, 0, chunk)) > 0) {
            if (pos + n > expectedLength) {
                throw new ContentMismatchException(key, "longer than " + expectedLength + " bytes");
            }
            fill(start, from + pos, exp, 0, n);
            int m = Arrays.mismatch(buf, 0, n, exp, 0, n);
            if (m >= 0) {
                throw new ContentMismatchException(key, "byte " + (from + pos + m) + " differs");
            }
            pos += n;
        }
        if (pos != expectedLength) {
            throw new ContentMismatchException(key, "got " + pos + " of " + expectedLength + " bytes");
        }
        return pos;
    }

    /** A GET returned bytes that are not what was stored under the key. */
    public static final class ContentMismatchException extends IOException {
        ContentMismatchException(String key, String what) {
            super("content of " + key + ": " + what);
        }
    }

    private static final class Generated extends InputStream {
        private final int start;
        private final long size;
        private long pos;
        private long mark;

        Generated(int start, long size) {
            this.start = start;
            this.size = size;
        }

        @Override
        public int read() {
            if (pos >= size) {
                return -1;
            }
            byte[] one = new byte[1];
            fill(start, pos++, one, 0, 1);
            return one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            fill(start, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - pos);
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int limit) {
            mark = pos;
        }

        @Override
        public synchronized void reset() {
            pos = mark;
        }
    }
}
