package io.s3d.api.auth;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through unchanged while one {@link Hasher} sees every byte read. */
public final class HashingInputStream extends FilterInputStream {
    private final Hasher hasher;

    public HashingInputStream(InputStream in, Hasher hasher) {
        super(in);
        this.hasher = hasher;
    }

    /** The checksum of the bytes read so far, base64 as S3 sends it; call once, at end of stream. */
    public String digestBase64() {
        return hasher.digestBase64();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            hasher.update(new byte[] { (byte) b }, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            hasher.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
