package io.s3d.store.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * Writes an object's plaintext into a file in the {@link EncryptedFormat}, from position 0: the
 * header first, then each 64 KiB chunk sealed as soon as the next byte shows it is not the last.
 * Holds one chunk of plaintext and one of ciphertext, whatever the object's size.
 */
public final class EncryptingWriter {
    private final FileChannel channel;
    private final SecretKey dataKey;
    private final byte[] salt;
    private final byte[] plain = new byte[EncryptedFormat.CHUNK];
    private final byte[] sealed = new byte[EncryptedFormat.CHUNK + EncryptedFormat.TAG];
    private int buffered;
    private long chunkIndex;
    private long position;

    private EncryptingWriter(FileChannel channel, SecretKey dataKey, byte[] salt, long position) {
        this.channel = channel;
        this.dataKey = dataKey;
        this.salt = salt;
        this.position = position;
    }

    /** Starts a new encrypted content in {@code channel}, with a fresh data key wrapped by {@code key}. */
    public static EncryptingWriter start(FileChannel channel, WrappingKey key) throws IOException {
        byte[] salt = DataKeys.random(EncryptedFormat.SALT);
        byte[] dataKey = DataKeys.random(32);
        EncryptedFormat.Header header = switch (key) {
            case WrappingKey.Master master -> new EncryptedFormat.Header(salt, master.name(),
                    DataKeys.wrap(master.key(), dataKey, salt), new byte[0]);
            case WrappingKey.Customer customer -> new EncryptedFormat.Header(salt, "",
                    DataKeys.wrap(EncryptedFormat.aesKey(customer.key()), dataKey, salt),
                    DataKeys.customerKeyMac(customer.key(), salt));
        };
        byte[] encoded = header.encode();
        write(channel, ByteBuffer.wrap(encoded), 0);
        return new EncryptingWriter(channel, EncryptedFormat.aesKey(dataKey), salt, encoded.length);
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (buffered == plain.length) {
                seal(false);
            }
            int n = Math.min(length, plain.length - buffered);
            System.arraycopy(bytes, offset, plain, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
        }
    }

    /** Seals the last chunk; returns the length of the whole encrypted content (header included). */
    public long finish() throws IOException {
        seal(true);
        return position;
    }

    private void seal(boolean last) throws IOException {
        try {
            Cipher cipher = EncryptedFormat.chunkCipher(Cipher.ENCRYPT_MODE, dataKey, salt, chunkIndex, last);
            int n = cipher.doFinal(plain, 0, buffered, sealed, 0);
            write(channel, ByteBuffer.wrap(sealed, 0, n), position);
            position += n;
            chunkIndex++;
            buffered = 0;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt: " + e.getMessage(), e);
        }
    }

    private static void write(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }
}
