package io.s3d.cache;

/** The part of an object a {@code Range} header asks for, as far as the cache needs it. */
final class RangeHint {
    private RangeHint() {
    }

    /**
     * {@code {first, last}} for {@code bytes=first-last}, {@code {first, -1}} for
     * {@code bytes=first-}, {@code {-n, -1}} for the suffix {@code bytes=-n}; null for no header or
     * one the cache does not read (then the whole object is assumed).
     */
    static long[] parse(String range) {
        if (range == null) {
            return null;
        }
        String spec = range.trim();
        if (!spec.startsWith("bytes=") || spec.indexOf(',') >= 0) {
            return null;
        }
        spec = spec.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String from = spec.substring(0, dash).trim();
            String to = spec.substring(dash + 1).trim();
            if (from.isEmpty()) {
                long n = Long.parseLong(to);
                return n > 0 ? new long[] { -n, -1 } : null;
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? -1 : Long.parseLong(to);
            return first < 0 || (last >= 0 && last < first) ? null : new long[] { first, last };
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
