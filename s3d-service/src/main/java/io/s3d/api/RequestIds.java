package io.s3d.api;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids in AWS's shape: 16 upper-case hex characters, plus an opaque host id. */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        long value = ThreadLocalRandom.current().nextLong();
        String hex = Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(16 - hex.length()) + hex;
    }

    public static String hostId(String requestId) {
        return Base64.getEncoder().encodeToString(("s3d/" + requestId).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
