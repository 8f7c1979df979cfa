package io.s3d.store.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The encrypted content of one object file, opened: its header read, its data key unwrapped, any
 * byte range readable. Which key unwraps it is decided by the header: a master key by name, or the
 * customer's key, checked against the stored HMAC before use.
 */
public final class EncryptedContent {
    private final FileChannel channel;
    private final EncryptedFormat.Header header;
    private final int headerLength;
    private final long size;

    private EncryptedContent(FileChannel channel, EncryptedFormat.Header header, int headerLength, long size) {
        this.channel = channel;
        this.header = header;
        this.headerLength = headerLength;
        this.size = size;
    }

    /** Reads the header of the encrypted content at the start of {@code channel}, of {@code size} plaintext bytes. */
    public static EncryptedContent read(FileChannel channel, long size) throws IOException {
        int length = headerLength(channel);
        ByteBuffer encoded = ByteBuffer.allocate(length);
        readFully(channel, encoded, 0);
        return new EncryptedContent(channel, EncryptedFormat.Header.decode(encoded.array()), length, size);
    }

    /** The header length of the encrypted content at the start of {@code channel}. */
    public static int headerLength(FileChannel channel) throws IOException {
        ByteBuffer preamble = ByteBuffer.allocate(EncryptedFormat.PREAMBLE);
        readFully(channel, preamble, 0);
        return EncryptedFormat.Header.length(preamble.array());
    }

    /** Whether the object was encrypted with a customer's key (SSE-C). */
    public boolean customerKeyed() {
        return header.keyName().isEmpty();
    }

    /** The master key the data key is wrapped by (empty for SSE-C). */
    public String masterKeyName() {
        return header.keyName();
    }

    /** Whether {@code customerKey} is the key this SSE-C object was written with (constant time). */
    public boolean matches(byte[] customerKey) {
        return customerKeyed() && MessageDigest.isEqual(header.customerKeyMac(),
                DataKeys.customerKeyMac(customerKey, header.salt()));
    }

    /**
     * The plaintext bytes {@code [offset, offset + length)}, the data key unwrapped by the master
     * key (looked up by name) or by {@code customerKey}.
     *
     * @throws WrongKeyException when the key offered is not the one the object was written with
     */
    public InputStream open(long offset, long length, MasterKeys masterKeys, Optional<byte[]> customerKey)
            throws IOException {
        SecretKey wrapping;
        if (customerKeyed()) {
            byte[] key = customerKey.orElseThrow(() -> new WrongKeyException("the object was written with a "
                    + "customer-provided key (SSE-C) and no key was given"));
            if (!matches(key)) {
                throw new WrongKeyException("the customer-provided key is not the one the object was written with");
            }
            wrapping = EncryptedFormat.aesKey(key);
        } else {
            wrapping = masterKeys.require(header.keyName()).key();
        }
        SecretKey dataKey;
        try {
            dataKey = DataKeys.unwrap(wrapping, header.wrappedKey(), header.salt());
        } catch (GeneralSecurityException e) {
            throw new IOException("the data key of this object does not open with master key '" + header.keyName()
                    + "': the key file changed, or the object was damaged", e);
        }
        return new DecryptingInput(channel, dataKey, header.salt(), headerLength, size, offset, length);
    }

    /** Bytes on disk of the content (header and sealed chunks). */
    public long storedLength() {
        return EncryptedFormat.storedLength(headerLength, size);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new IOException("encrypted object header is truncated");
            }
        }
    }

    /** The key offered does not open this object (a missing or wrong SSE-C key). */
    public static final class WrongKeyException extends IOException {
        public WrongKeyException(String message) {
            super(message);
        }
    }
}
