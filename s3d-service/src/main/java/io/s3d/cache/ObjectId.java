package io.s3d.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One key of one bucket, as the cache names it. */
public record ObjectId(String bucket, String key) {

    /** A file-name-safe name of the key (keys may be 1024 bytes of anything). */
    String hash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bucket.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '/');
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return bucket + "/" + key;
    }
}
