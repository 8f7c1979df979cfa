package io.s3d.store.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Wrapping of per-object data keys under a master or customer key (AES-256-GCM), and the SSE-C key check. */
final class DataKeys {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;

    private DataKeys() {
    }

    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Seals {@code dataKey} under {@code wrappingKey}, bound to the object's salt (as additional data). */
    static byte[] wrap(SecretKey wrappingKey, byte[] dataKey, byte[] salt) {
        try {
            byte[] nonce = random(NONCE);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, wrappingKey, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(salt);
            byte[] sealed = cipher.doFinal(dataKey);
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a wrapped data key; GeneralSecurityException when the wrapping key is not the one used (or the header was changed). */
    static SecretKey unwrap(SecretKey wrappingKey, byte[] wrapped, byte[] salt) throws GeneralSecurityException {
        if (wrapped.length <= NONCE) {
            throw new GeneralSecurityException("wrapped key too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, wrappingKey, new GCMParameterSpec(128, wrapped, 0, NONCE));
        cipher.updateAAD(salt);
        return EncryptedFormat.aesKey(cipher.doFinal(wrapped, NONCE, wrapped.length - NONCE));
    }

    /** The salted check value of a customer key kept instead of the key: HMAC-SHA256(key, "s3d-sse-c" || salt). */
    static byte[] customerKeyMac(byte[] customerKey, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(customerKey, "HmacSHA256"));
            mac.update("s3d-sse-c".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return mac.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
