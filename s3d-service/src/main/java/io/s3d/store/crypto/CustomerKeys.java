package io.s3d.store.crypto;

import io.s3d.backend.ObjectData;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.Optional;

/** The SSE-C rule of every read (GET, HEAD, a copy's source): the key an object was written with, and only for such an object. */
public final class CustomerKeys {
    private CustomerKeys() {
    }

    /** Whether the object was written with a customer's key (its reads need that key, HEAD too). */
    public static boolean needed(io.s3d.backend.ObjectMeta meta) {
        return meta.headers().containsKey(Sealing.CUSTOMER_ALGORITHM);
    }

    /**
     * The object, opened with the customer key the read gives; 400 InvalidRequest when an SSE-C
     * object is read without its key or a key is given for another object, 403 AccessDenied for a
     * wrong key, as AWS answers.
     */
    public static ObjectData open(ObjectData data, Optional<byte[]> customerKey) {
        boolean needed = needed(data.meta());
        if (needed && customerKey.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The object was stored using a form of Server Side "
                    + "Encryption. The correct parameters must be provided to retrieve the object.");
        }
        if (!needed && customerKey.isPresent()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The encryption parameters are not applicable to this object.");
        }
        if (customerKey.isEmpty()) {
            return data;
        }
        if (!data.opensWith(customerKey.get())) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "The provided customer key does not match the key the "
                    + "object was encrypted with.");
        }
        return data.withCustomerKey(customerKey.get());
    }
}
