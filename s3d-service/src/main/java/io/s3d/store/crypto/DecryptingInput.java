package io.s3d.store.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * The plaintext bytes {@code [offset, offset + length)} of an encrypted content, decrypting only the
 * chunks they lie in, with positional reads (concurrent readers of one channel never interfere). A
 * chunk that fails authentication, or a file that ends early, is an IOException: never wrong bytes.
 */
final class DecryptingInput extends InputStream {
    private final FileChannel channel;
    private final SecretKey dataKey;
    private final byte[] salt;
    private final int headerLength;
    private final long size;
    private final long end;
    private long position;
    private final byte[] sealed = new byte[EncryptedFormat.CHUNK + EncryptedFormat.TAG];
    private final byte[] plain = new byte[EncryptedFormat.CHUNK];
    private long chunkInBuffer = -1;
    private int plainLength;

    DecryptingInput(FileChannel channel, SecretKey dataKey, byte[] salt, int headerLength, long size, long offset,
            long length) {
        this.channel = channel;
        this.dataKey = dataKey;
        this.salt = salt;
        this.headerLength = headerLength;
        this.size = size;
        this.position = offset;
        this.end = offset + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        long chunk = position / EncryptedFormat.CHUNK;
        if (chunk != chunkInBuffer) {
            load(chunk);
        }
        int within = (int) (position - chunk * EncryptedFormat.CHUNK);
        int n = (int) Math.min(Math.min(len, plainLength - within), end - position);
        System.arraycopy(plain, within, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    private void load(long chunk) throws IOException {
        long chunks = EncryptedFormat.chunks(size);
        boolean last = chunk == chunks - 1;
        int plainWanted = last ? (int) (size - chunk * EncryptedFormat.CHUNK) : EncryptedFormat.CHUNK;
        int stored = plainWanted + EncryptedFormat.TAG;
        ByteBuffer buffer = ByteBuffer.wrap(sealed, 0, stored);
        long at = headerLength + chunk * (EncryptedFormat.CHUNK + EncryptedFormat.TAG);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at + buffer.position());
            if (read < 0) {
                throw new IOException("encrypted object is truncated (chunk " + chunk + ")");
            }
        }
        try {
            Cipher cipher = EncryptedFormat.chunkCipher(Cipher.DECRYPT_MODE, dataKey, salt, chunk, last);
            plainLength = cipher.doFinal(sealed, 0, stored, plain, 0);
        } catch (GeneralSecurityException e) {
            chunkInBuffer = -1;
            throw new IOException("encrypted object failed authentication at chunk " + chunk
                    + ": it was changed or damaged on disk", e);
        }
        chunkInBuffer = chunk;
    }
}
