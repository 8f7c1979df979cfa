package io.s3d.filter;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One bracketed condition: {@code [tag:key]}, {@code [tag:key=value]}, {@code [hdr:content-length<10MiB]}.
 * A fact that is not there matches only {@code !=} (it is not equal to anything).
 */
public record Condition(Source source, String name, Comparison op, Value value) {

    public Condition {
        if (source == Source.HEADER || source == Source.METADATA) {
            // Header and metadata names are case-insensitive in HTTP; s3d keeps them lower-case.
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    boolean holds(ObjectFacts facts) {
        Optional<String> actual = facts.lookup(source, name);
        if (actual.isEmpty()) {
            return op == Comparison.NE;
        }
        String a = actual.get();
        return switch (op) {
            case EXISTS -> true;
            case EQ -> value.matches(a);
            case NE -> !value.matches(a);
            case LT, LE, GT, GE -> compare(a);
        };
    }

    private boolean compare(String actual) {
        OptionalLong a = Sizes.parse(actual);
        if (a.isEmpty() || value.number().isEmpty()) {
            return false;
        }
        int c = Long.compare(a.getAsLong(), value.number().getAsLong());
        return switch (op) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            default -> throw new IllegalStateException(op.name());
        };
    }

    @Override
    public String toString() {
        String prefix = switch (source) {
            case BUCKET_TAG, OBJECT_TAG -> "tag:";
            case HEADER -> "hdr:";
            case METADATA -> "md:";
        };
        return "[" + prefix + name + op.symbol() + (value == null ? "" : value) + "]";
    }
}
