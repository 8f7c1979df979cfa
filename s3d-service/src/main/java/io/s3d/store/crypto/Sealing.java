package io.s3d.store.crypto;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a new object is written, decided from the encryption headers of its write (already checked
 * by the front): in the clear, under a master key (SSE-S3, SSE-KMS) or under the customer's key
 * (SSE-C); and the headers stored with it, answered on GET and HEAD as AWS answers them.
 *
 * @param key the key wrapping the object's data key; empty for an object kept in the clear
 * @param headers the object's stored headers, the encryption ones as AWS answers them
 * @param plaintextEtag whether the ETag is the MD5 of the plaintext (SSE-S3, clear) or not (SSE-KMS, SSE-C)
 */
public record Sealing(Optional<WrappingKey> key, Map<String, String> headers, boolean plaintextEtag) {
    public static final String SSE = "x-amz-server-side-encryption";
    public static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
    public static final String CONTEXT = "x-amz-server-side-encryption-context";
    public static final String BUCKET_KEY = "x-amz-server-side-encryption-bucket-key-enabled";
    public static final String CUSTOMER_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";
    public static final String CUSTOMER_KEY_MD5 = "x-amz-server-side-encryption-customer-key-md5";

    /** The sealing of a write with these stored headers and SSE-C key. */
    public static Sealing forWrite(Map<String, String> headers, Optional<byte[]> customerKey, MasterKeys keys,
            String region) {
        if (customerKey.isPresent()) {
            return new Sealing(Optional.of(new WrappingKey.Customer(customerKey.get())), headers, false);
        }
        String mode = headers.get(SSE);
        if (mode == null) {
            return new Sealing(Optional.empty(), headers, true);
        }
        try {
            if (mode.equals("AES256")) {
                return new Sealing(Optional.of(keys.require(MasterKeys.DEFAULT)), headers, true);
            }
            String keyId = headers.getOrDefault(KMS_KEY_ID, MasterKeys.DEFAULT);
            String name = keys.resolve(keyId).orElseThrow(() -> new S3Exception(S3ErrorCode.KMS_NOT_FOUND_EXCEPTION,
                    "Invalid keyId '" + keyId + "'"));
            Map<String, String> stored = new LinkedHashMap<>(headers);
            stored.put(KMS_KEY_ID, keyArn(region, name));
            return new Sealing(Optional.of(keys.require(name)), stored, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ARN s3d answers for a master key used as a KMS key. */
    public static String keyArn(String region, String name) {
        return "arn:aws:kms:" + region + ":000000000000:key/" + name;
    }

    /** The ETag of an object whose plaintext has this MD5: that MD5, or (SSE-KMS, SSE-C) a value that does not reveal it. */
    public String etag(byte[] md5) {
        if (plaintextEtag) {
            return HexFormat.of().formatHex(md5);
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            digest.update(md5);
            digest.update(DataKeys.random(16));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean encrypted() {
        return key.isPresent();
    }
}
