package io.s3d.bench.load;

import java.util.Locale;

/** Parses and prints byte sizes the way the report and the command line write them. */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 4096} as {@code 4 KiB}, {@code 67108864} as {@code 64 MiB}. */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }

    /** Parses {@code 4k}, {@code 4KiB}, {@code 64m}, {@code 1g} or plain bytes. */
    public static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace(" ", "").replace("ib", "").replace("b", "");
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        switch (last) {
            case 'k' -> mult = 1L << 10;
            case 'm' -> mult = 1L << 20;
            case 'g' -> mult = 1L << 30;
            default -> {
                return Long.parseLong(t);
            }
        }
        return Long.parseLong(t.substring(0, t.length() - 1)) * mult;
    }
}
