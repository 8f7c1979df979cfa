package io.s3d.api;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.Map;

/**
 * Input that ends up in a response header (stored Content-Type and metadata, response-* overrides,
 * redirect targets) must be a valid header value: a CR, LF, NUL or other control character would
 * split the response or make it impossible to send. Such input is refused when it arrives.
 */
final class HeaderValues {
    private HeaderValues() {
    }

    /** Returns {@code value}, or throws 400 InvalidArgument naming {@code argumentName}. */
    static String requireSafe(String argumentName, String value) {
        if (value != null && !isSafe(value)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Header value contains a control character.")
                    .withElements(Map.of("ArgumentName", argumentName, "ArgumentValue", printable(value)));
        }
        return value;
    }

    static void requireSafe(Map<String, String> values, String namePrefix) {
        values.forEach((name, value) -> requireSafe(namePrefix + name, value));
    }

    static boolean isSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < 256; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
