package io.s3d.api;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.store.crypto.Sealing;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server-side encryption headers of a request, checked as AWS checks them: what a write asks
 * for (SSE-S3, SSE-KMS, SSE-C, else the bucket's default), the SSE-C key a read or a copy source
 * needs, and the encryption headers of an answer.
 */
final class EncryptionHeaders {
    private static final String CUSTOMER = "x-amz-server-side-encryption-customer-";
    private static final String COPY_SOURCE_CUSTOMER = "x-amz-copy-source-server-side-encryption-customer-";
    /**
     * Headers of a new object answered on PUT, copy, CompleteMultipartUpload and POST (GET and HEAD
     * answer the same from the stored headers, except the encryption context, as AWS).
     */
    private static final String[] ANSWERED = { Sealing.SSE, Sealing.KMS_KEY_ID, Sealing.CONTEXT, Sealing.BUCKET_KEY,
            Sealing.CUSTOMER_ALGORITHM, Sealing.CUSTOMER_KEY_MD5 };

    private EncryptionHeaders() {
    }

    /**
     * What a write asks for.
     *
     * @param stored the encryption headers to keep with the object (lower-case names)
     * @param customerKey the SSE-C key, to encrypt with and never store
     */
    record Write(Map<String, String> stored, Optional<byte[]> customerKey) {
        static final Write NONE = new Write(Map.of(), Optional.empty());

        boolean requested() {
            return !stored.isEmpty();
        }
    }

    /** The encryption a write asks for in its headers (none: the store applies the bucket's default). */
    static Write forWrite(S3Request request) {
        return forWrite(request::header, request.confidentialChannel());
    }

    /**
     * The encryption a write asks for in {@code fields} (headers, or a browser upload's form fields
     * by lower-case name), sent over a channel that is {@code confidential} or not.
     */
    static Write forWrite(java.util.function.UnaryOperator<String> fields, boolean confidential) {
        Fields request = new Fields(fields, confidential);
        Optional<byte[]> customerKey = customerKey(request, CUSTOMER);
        String mode = request.header(Sealing.SSE);
        String keyId = request.header(Sealing.KMS_KEY_ID);
        if (customerKey.isPresent()) {
            if (mode != null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with Customer provided "
                        + "key is incompatible with the encryption method specified")
                        .withElements(Map.of("ArgumentName", Sealing.SSE, "ArgumentValue", mode));
            }
            return new Write(customerHeaders(customerKey.get()), customerKey);
        }
        if (mode == null) {
            if (keyId != null) {
                throw kmsKeyWithoutKms(keyId);
            }
            return Write.NONE;
        }
        Map<String, String> stored = new LinkedHashMap<>();
        switch (mode) {
            case "AES256" -> {
                if (keyId != null) {
                    throw kmsKeyWithoutKms(keyId);
                }
                stored.put(Sealing.SSE, "AES256");
            }
            case "aws:kms", "aws:kms:dsse" -> {
                stored.put(Sealing.SSE, mode);
                stored.put(Sealing.KMS_KEY_ID, keyId == null || keyId.isBlank() ? "default" : keyId.trim());
                String context = request.header(Sealing.CONTEXT);
                if (context != null) {
                    stored.put(Sealing.CONTEXT, checkContext(context));
                }
                if ("true".equalsIgnoreCase(request.header(Sealing.BUCKET_KEY))) {
                    stored.put(Sealing.BUCKET_KEY, "true");
                }
            }
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The encryption method specified is not supported")
                    .withElements(Map.of("ArgumentName", Sealing.SSE, "ArgumentValue", mode));
        }
        return new Write(stored, Optional.empty());
    }

    /** The SSE-C key of a copy's source ({@code x-amz-copy-source-server-side-encryption-customer-*}). */
    static Optional<byte[]> copySourceKey(S3Request request) {
        return customerKey(new Fields(request::header, request.confidentialChannel()), COPY_SOURCE_CUSTOMER);
    }

    /** The object, opened with the request's SSE-C key, as {@link io.s3d.store.crypto.CustomerKeys#open} checks it. */
    static ObjectData forRead(ObjectData data, Optional<byte[]> customerKey) {
        return io.s3d.store.crypto.CustomerKeys.open(data, customerKey);
    }

    /**
     * The metadata a HEAD or GetObjectAttributes answers with, after the SSE-C rule of reads: an
     * SSE-C object is described only to the key it was written with, as AWS (a gateway's remote
     * decides for itself).
     */
    static ObjectMeta checkedHead(io.s3d.backend.ObjectBackend backend, S3Request request, String versionId,
            ObjectMeta meta) {
        if (backend.forwards()) {
            return meta;
        }
        Optional<byte[]> customerKey = readKey(request);
        if (!customerKeyed(meta) && customerKey.isEmpty()) {
            return meta;
        }
        try (ObjectData data = backend.getObjectVersion(request.bucket, request.key, versionId)) {
            return forRead(data, customerKey).meta();
        }
    }

    /** Whether the object was written with a customer's key: its reads then need that key (HEAD too). */
    static boolean customerKeyed(ObjectMeta meta) {
        return io.s3d.store.crypto.CustomerKeys.needed(meta);
    }

    /** The request's SSE-C key for reads (GET, HEAD). */
    static Optional<byte[]> readKey(S3Request request) {
        return customerKey(new Fields(request::header, request.confidentialChannel()), CUSTOMER);
    }

    /** Adds the encryption headers of {@code meta} to an answer about it (PUT, copy, complete, GET, HEAD). */
    static S3Response answer(S3Response response, ObjectMeta meta) {
        return answer(response, meta.headers());
    }

    /** Adds the encryption headers among {@code headers} (stored, lower-case names) to an answer. */
    static S3Response answer(S3Response response, Map<String, String> headers) {
        for (String name : ANSWERED) {
            String value = headers.get(name);
            if (value != null) {
                response.header(name.equals(Sealing.CUSTOMER_KEY_MD5)
                        ? "x-amz-server-side-encryption-customer-key-MD5" : name, value);
            }
        }
        return response;
    }

    /** The stored headers answered by {@link #answer}: left out of the generic header copy. */
    static boolean isEncryptionHeader(String lowerCaseName) {
        return lowerCaseName.startsWith("x-amz-server-side-encryption");
    }

    private static Map<String, String> customerHeaders(byte[] key) {
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put(Sealing.CUSTOMER_ALGORITHM, "AES256");
        stored.put(Sealing.CUSTOMER_KEY_MD5, Base64.getEncoder().encodeToString(md5(key)));
        return stored;
    }

    /** The SSE-C key in headers with this prefix (algorithm, key, key-MD5), checked as AWS does; empty when none is given. */
    /** Where the encryption parameters of a request are read from, and whether its channel is confidential. */
    private record Fields(java.util.function.UnaryOperator<String> lookup, boolean confidential) {
        String header(String name) {
            return lookup.apply(name);
        }
    }

    private static Optional<byte[]> customerKey(Fields request, String prefix) {
        String algorithm = request.header(prefix + "algorithm");
        String key = request.header(prefix + "key");
        String keyMd5 = request.header(prefix + "key-MD5");
        if (algorithm == null && key == null && keyMd5 == null) {
            return Optional.empty();
        }
        if (!request.confidential()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must be made over a secure connection.");
        }
        if (algorithm == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must provide a valid encryption algorithm.")
                    .withElements(Map.of("ArgumentName", prefix + "algorithm", "ArgumentValue", "null"));
        }
        if (!algorithm.equals("AES256")) {
            throw new S3Exception(S3ErrorCode.INVALID_ENCRYPTION_ALGORITHM_ERROR,
                    "The encryption request you specified is not valid. The valid value is AES256.")
                    .withElements(Map.of("ArgumentName", prefix + "algorithm", "ArgumentValue", algorithm));
        }
        if (key == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must provide an appropriate secret key.")
                    .withElements(Map.of("ArgumentName", prefix + "key", "ArgumentValue", "null"));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length != 32) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The secret key was invalid for the specified algorithm.")
                    .withElements(Map.of("ArgumentName", prefix + "key", "ArgumentValue", "null"));
        }
        if (keyMd5 == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must provide the client calculated MD5 of the secret key.")
                    .withElements(Map.of("ArgumentName", prefix + "key-MD5", "ArgumentValue", "null"));
        }
        byte[] declared;
        try {
            declared = Base64.getDecoder().decode(keyMd5.trim());
        } catch (IllegalArgumentException e) {
            declared = new byte[0];
        }
        if (!MessageDigest.isEqual(declared, md5(bytes))) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The calculated MD5 hash of the key did not match the hash that was provided.")
                    .withElements(Map.of("ArgumentName", prefix + "key-MD5", "ArgumentValue", keyMd5));
        }
        return Optional.of(bytes);
    }

    private static S3Exception kmsKeyWithoutKms(String keyId) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with AWS KMS managed key "
                + "requires HTTP header x-amz-server-side-encryption : aws:kms")
                .withElements(Map.of("ArgumentName", Sealing.SSE, "ArgumentValue", "null"));
    }

    /** An encryption context is base64 of a JSON object; anything else is refused as AWS does. */
    private static String checkContext(String context) {
        try {
            String json = new String(Base64.getDecoder().decode(context.trim()),
                    java.nio.charset.StandardCharsets.UTF_8).strip();
            if (json.startsWith("{") && json.endsWith("}")) {
                return context.trim();
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The header 'x-amz-server-side-encryption-context' "
                + "shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map")
                .withElements(Map.of("ArgumentName", Sealing.CONTEXT, "ArgumentValue", context));
    }

    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
