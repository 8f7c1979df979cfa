package io.s3d.store.crypto;

import javax.crypto.SecretKey;

/** The key that wraps an object's data key: a master key s3d keeps (SSE-S3, SSE-KMS) or the customer's (SSE-C). */
public sealed interface WrappingKey {

    /** A named master key from the key file (or the generated one). */
    record Master(String name, SecretKey key) implements WrappingKey {
    }

    /** The 32-byte key a client sent with an SSE-C request; used, never stored. */
    record Customer(byte[] key) implements WrappingKey {
        public Customer {
            if (key.length != 32) {
                throw new IllegalArgumentException("an SSE-C key is 32 bytes");
            }
            key = key.clone();
        }
    }
}
