package io.s3d.filter;

/** A filter that cannot be parsed: which filter, at which column (1-based), what was expected there. */
public final class FilterSyntaxException extends IllegalArgumentException {
    private final String filter;
    private final int column;
    private final String expected;

    public FilterSyntaxException(String filter, int column, String expected) {
        super("filter '" + filter + "', column " + column + ": expected " + expected);
        this.filter = filter;
        this.column = column;
        this.expected = expected;
    }

    public String filter() {
        return filter;
    }

    public int column() {
        return column;
    }

    public String expected() {
        return expected;
    }
}
