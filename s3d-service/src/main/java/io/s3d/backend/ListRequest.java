package io.s3d.backend;

/**
 * One page of a listing. {@code startAfter} is exclusive (the v1 marker, the v2 start-after or the
 * decoded v2 continuation token); {@code delimiter} may be any non-empty string or null.
 */
public record ListRequest(String prefix, String delimiter, String startAfter, int maxKeys) {
    public ListRequest {
        prefix = prefix == null ? "" : prefix;
        delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        startAfter = startAfter == null ? "" : startAfter;
    }
}
