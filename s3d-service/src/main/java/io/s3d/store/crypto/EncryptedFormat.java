package io.s3d.store.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted content of an object on disk (docs/architecture.md, "Encrypted objects"): a header
 * naming how the object's random data key is wrapped, then the plaintext in 64 KiB chunks, each
 * sealed with AES-256-GCM under the data key. The nonce of chunk {@code i} is the header's random
 * 8-byte salt followed by {@code i} (big-endian, 4 bytes); the chunk's additional data says whether
 * it is the last chunk, so cutting the file at a chunk boundary is detected as surely as a flipped
 * bit. Chunk {@code i} starts at {@code headerLength + i * (CHUNK + TAG)}, so any byte range is read
 * by decrypting only the chunks it touches.
 */
public final class EncryptedFormat {
    public static final int CHUNK = 64 * 1024;
    public static final int TAG = 16;
    static final int MAGIC = 0x53334445; // "S3DE"
    static final int VERSION = 1;
    static final int SALT = 8;
    /** Bytes before the variable part of the header: magic, header length. */
    static final int PREAMBLE = 8;

    private EncryptedFormat() {
    }

    /** Number of chunks holding {@code size} plaintext bytes (an empty object has one empty chunk). */
    public static long chunks(long size) {
        return Math.max(1, (size + CHUNK - 1) / CHUNK);
    }

    /** Bytes on disk of an object of {@code size} plaintext bytes behind a header of {@code headerLength}. */
    public static long storedLength(int headerLength, long size) {
        return headerLength + size + chunks(size) * TAG;
    }

    /**
     * The header: how the data key is wrapped and the nonce salt.
     *
     * @param salt random per object, the first 8 bytes of every chunk nonce
     * @param keyName the master key that wraps the data key ({@code ""} for SSE-C: the customer's key does)
     * @param wrappedKey the data key sealed with AES-GCM (12-byte nonce, ciphertext, tag)
     * @param customerKeyMac HMAC-SHA256 of the salt under the customer's key (SSE-C), empty otherwise
     */
    public record Header(byte[] salt, String keyName, byte[] wrappedKey, byte[] customerKeyMac) {

        public byte[] encode() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(MAGIC);
                out.writeInt(0); // header length, filled in below
                out.writeByte(VERSION);
                out.write(salt);
                byte[] name = keyName.getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeShort(wrappedKey.length);
                out.write(wrappedKey);
                out.writeShort(customerKeyMac.length);
                out.write(customerKeyMac);
                out.flush();
                byte[] encoded = bytes.toByteArray();
                ByteBuffer.wrap(encoded).putInt(4, encoded.length);
                return encoded;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The header length stored in the first bytes of an encrypted content; IOException when it is not one. */
        public static int length(byte[] preamble) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(preamble);
            if (preamble.length < PREAMBLE || buffer.getInt() != MAGIC) {
                throw new IOException("not an s3d encrypted object");
            }
            int length = buffer.getInt();
            if (length < PREAMBLE + 1 + SALT + 6 || length > 64 * 1024) {
                throw new IOException("corrupt encrypted object header length " + length);
            }
            return length;
        }

        public static Header decode(byte[] encoded) throws IOException {
            int length = length(encoded);
            if (length != encoded.length) {
                throw new IOException("encrypted object header is " + encoded.length + " bytes, says " + length);
            }
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded, PREAMBLE,
                    encoded.length - PREAMBLE));
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("unknown encrypted object version " + version);
            }
            byte[] salt = in.readNBytes(SALT);
            String name = new String(readField(in), StandardCharsets.UTF_8);
            byte[] wrapped = readField(in);
            byte[] mac = readField(in);
            return new Header(salt, name, wrapped, mac);
        }

        private static byte[] readField(DataInputStream in) throws IOException {
            int length = in.readUnsignedShort();
            byte[] field = in.readNBytes(length);
            if (field.length != length) {
                throw new IOException("truncated encrypted object header");
            }
            return field;
        }

        public int length() {
            return encode().length;
        }
    }

    /** A fresh cipher sealing or opening chunk {@code index} of an object. */
    static Cipher chunkCipher(int mode, SecretKey dataKey, byte[] salt, long index, boolean last)
            throws GeneralSecurityException {
        if (index > 0xFFFF_FFFFL) {
            throw new GeneralSecurityException("object too large for its nonce space");
        }
        byte[] nonce = ByteBuffer.allocate(12).put(salt).putInt((int) index).array();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, dataKey, new GCMParameterSpec(TAG * 8, nonce));
        cipher.updateAAD(new byte[] { (byte) (last ? 1 : 0) });
        return cipher;
    }

    static SecretKey aesKey(byte[] bytes) {
        return new SecretKeySpec(bytes, "AES");
    }
}
