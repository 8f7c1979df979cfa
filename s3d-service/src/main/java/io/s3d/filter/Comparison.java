package io.s3d.filter;

/** The operator of a condition; {@link #EXISTS} is a condition with no operator ({@code [tag:key]}). */
public enum Comparison {
    EXISTS(""), EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Whether the operator only makes sense for numbers and sizes. */
    boolean ordering() {
        return this == LT || this == LE || this == GT || this == GE;
    }
}
