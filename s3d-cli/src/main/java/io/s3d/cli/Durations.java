package io.s3d.cli;

import java.time.Duration;
import java.util.Locale;

/** Durations people type ({@code 90}, {@code 90s}, {@code 5m}, {@code 1h}) and durations for people. */
final class Durations {
    private Durations() {
    }

    /** Parses whole seconds, minutes or hours; a plain number is seconds. */
    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            unit = 60;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("h")) {
            unit = 3600;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(Math.multiplyExact(n, unit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw CliException.usage("'" + text + "' is not a duration; use seconds or a suffix like 90s, 5m or 1h");
        }
    }

    /** {@code 59s}, {@code 5m 3s}, {@code 2h 5m}, {@code 3d 1h}. */
    /** A {@code --timeout} value between 1 s and {@code max} ({@code maxText} names it in the error). */
    static Duration timeout(String text, Duration max, String maxText) {
        Duration wait = parse(text);
        if (wait.isZero() || wait.compareTo(max) > 0) {
            throw CliException.usage("--timeout must be between 1s and " + maxText + ", got '" + text + "'");
        }
        return wait;
    }

    static String human(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + "s");
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds / 60 % 60 + "m";
        }
        return seconds / 86400 + "d " + seconds / 3600 % 24 + "h";
    }

    /** {@code 12 ms}, {@code 3.2 s}, then as {@link #human(long)}. */
    static String millis(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return human(millis / 1000);
    }
}
