package io.s3d.api;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.Map;

/**
 * A single HTTP byte range resolved against an object size. Like S3: a syntactically invalid or
 * multi-range header is ignored (the whole object is sent), an unsatisfiable one is 416.
 */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (!value.startsWith("bytes=") || value.indexOf(',') >= 0) {
            return null;
        }
        String spec = value.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String start = spec.substring(0, dash).trim();
        String end = spec.substring(dash + 1).trim();
        try {
            if (start.isEmpty()) {
                if (end.isEmpty()) {
                    return null;
                }
                long suffix = number(end);
                if (suffix == 0 && size == 0) {
                    return null;
                }
                if (suffix == 0) {
                    throw unsatisfiable(size);
                }
                return size == 0 ? null : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = number(start);
            long last = end.isEmpty() ? size - 1 : Math.min(number(end), size - 1);
            if (!end.isEmpty() && number(end) < first) {
                return null;
            }
            if (first >= size) {
                // Also on an empty object: no byte range overlaps it (AWS answers 416 to bytes=0-).
                throw unsatisfiable(size);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decimal position; one beyond {@code long} is clamped to the largest (S3 serves up to the end). */
    private static long number(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(digits);
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static S3Exception unsatisfiable(long size) {
        return new S3Exception(S3ErrorCode.INVALID_RANGE).withElements(Map.of("RangeRequested", "bytes",
                "ActualObjectSize", Long.toString(size)));
    }
}
