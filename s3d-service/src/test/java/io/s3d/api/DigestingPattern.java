package io.s3d.api;

import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A deterministic byte pattern of a given length, digested as it is read (once per provider call):
 * a large body to send without holding it, and a digest to compare with what comes back.
 */
final class DigestingPattern extends InputStream {
    private final long size;
    private final MessageDigest digest;
    private long position;

    DigestingPattern(long size, MessageDigest digest) {
        this.size = size;
        this.digest = digest;
        digest.reset();
    }

    /** The heap in use after a GC: what a streamed round trip leaves is judged by its growth. */
    static long heapInUseAfterGc() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        for (int i = 0; i < n; i++) {
            long p = position + i;
            b[off + i] = (byte) (p * 31 + (p >>> 13));
        }
        digest.update(b, off, n);
        position += n;
        return n;
    }
}
