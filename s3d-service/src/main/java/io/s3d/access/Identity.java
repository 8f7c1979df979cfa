package io.s3d.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who a request comes from: one key pair of s3d's credentials, or nobody ({@link #ANONYMOUS}).
 * Each key pair is an owner of its own, as an AWS account is: its canonical id (64 hex digits, as
 * AWS's) is derived from the access key id, so it is the same on every start.
 *
 * @param accessKeyId the verified access key, or null when anonymous
 * @param canonicalId the id in ACL grants and {@code <Owner><ID>}
 * @param displayName the name shown in {@code <DisplayName>}
 */
public record Identity(String accessKeyId, String canonicalId, String displayName) {
    /** A request that carried no signature. */
    public static final Identity ANONYMOUS = new Identity(null, null, null);

    /** The identity of a key pair, named {@code displayName} (its credentials-file section, else the key id). */
    public static Identity of(String accessKeyId, String displayName) {
        return new Identity(accessKeyId, canonicalIdOf(accessKeyId), displayName);
    }

    public boolean anonymous() {
        return accessKeyId == null;
    }

    /** The canonical id of {@code accessKeyId}: SHA-256 of {@code "s3d:" + accessKeyId}, in hex. */
    public static String canonicalIdOf(String accessKeyId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("s3d:" + accessKeyId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
