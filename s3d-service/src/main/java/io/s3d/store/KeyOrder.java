package io.s3d.store;

import java.util.Comparator;

/**
 * S3 lists keys in UTF-8 byte order, which is Unicode code point order. Java's
 * {@code String.compareTo} compares UTF-16 units and puts U+E000..U+FFFF after supplementary
 * characters; this comparator does not.
 */
public final class KeyOrder {
    public static final Comparator<String> COMPARATOR = KeyOrder::compare;

    private KeyOrder() {
    }

    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                return fix(ca) - fix(cb);
            }
        }
        return a.length() - b.length();
    }

    private static int fix(char c) {
        if (c >= 0xD800) {
            return c >= 0xE000 ? c - 0x800 : c + 0x2000;
        }
        return c;
    }
}
