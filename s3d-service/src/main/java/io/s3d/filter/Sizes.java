package io.s3d.filter;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers and sizes in conditions: {@code 100}, {@code 10K} / {@code 10KiB} (1024),
 * {@code 10KB} (1000), likewise M, G, T; {@code B} alone is bytes. Case does not matter.
 */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    static OptionalLong parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        String suffix = m.group(3).toLowerCase(Locale.ROOT);
        if (unit.isEmpty() && suffix.equals("i")) {
            return OptionalLong.empty();
        }
        // KB is decimal (as disks and S3 consoles count), K and KiB binary (as Quarkus sizes are).
        long base = suffix.equals("b") && !unit.isEmpty() ? 1000 : 1024;
        int power = switch (unit) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        try {
            long value = Long.parseLong(m.group(1));
            for (int i = 0; i < power; i++) {
                value = Math.multiplyExact(value, base);
            }
            return OptionalLong.of(value);
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
