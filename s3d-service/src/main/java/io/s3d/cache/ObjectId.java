package io.s3d.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One key of one bucket, as the cache names it: its current version ({@code versionId} null), or
 * one version of it by id. A version by id never changes on the remote (S3 versions are immutable),
 * so its entry is never revalidated and no write to the key touches it.
 */
public record ObjectId(String bucket, String key, String versionId) {

    /** The current version of a key. */
    public ObjectId(String bucket, String key) {
        this(bucket, key, null);
    }

    /** Whether this names one version by id (immutable) rather than whatever is current. */
    boolean isVersion() {
        return versionId != null;
    }

    /** A file-name-safe name of the key (keys may be 1024 bytes of anything). */
    String hash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bucket.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '/');
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            if (versionId != null) {
                // A NUL never occurs in UTF-8 text: key and version stay apart.
                sha.update((byte) 0);
                sha.update(versionId.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return bucket + "/" + key + (versionId == null ? "" : "?versionId=" + versionId);
    }
}
