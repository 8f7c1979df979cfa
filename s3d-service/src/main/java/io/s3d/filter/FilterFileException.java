package io.s3d.filter;

/** A filter file that cannot be read as rules: the file, the line and why. */
public final class FilterFileException extends IllegalArgumentException {
    public FilterFileException(String source, int line, String expected) {
        super(source + ", line " + line + ": expected " + expected);
    }

    public FilterFileException(String source, int line, FilterSyntaxException cause) {
        super(source + ", line " + line + ": " + cause.getMessage(), cause);
    }
}
