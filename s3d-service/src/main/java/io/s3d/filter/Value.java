package io.s3d.filter;

import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The right-hand side of a condition. A quoted value is a glob ({@code *} any characters, {@code ?}
 * one); an unquoted value is compared literally. A value that reads as a number or size
 * ({@code 100}, {@code 10MiB}) is also compared as a number when the fact is one.
 */
public record Value(String text, boolean quoted, OptionalLong number, Pattern glob) {

    static Value of(String text, boolean quoted) {
        boolean hasWildcards = quoted && (text.indexOf('*') >= 0 || text.indexOf('?') >= 0);
        return new Value(text, quoted, Sizes.parse(text), hasWildcards ? Globs.compile(text, ".*", ".") : null);
    }

    /** Whether a fact's value equals this one: as glob, as number (both numeric) or as text. */
    boolean matches(String actual) {
        if (glob != null) {
            return glob.matcher(actual).matches();
        }
        if (number.isPresent()) {
            OptionalLong n = Sizes.parse(actual);
            if (n.isPresent()) {
                return n.getAsLong() == number.getAsLong();
            }
        }
        return text.equals(actual);
    }

    @Override
    public String toString() {
        return quoted ? "'" + text + "'" : text;
    }
}
