package io.s3d.backend;

import java.time.Duration;

/**
 * One page of a listing. {@code startAfter} is exclusive (the v1 marker, the v2 start-after or the
 * decoded v2 continuation token); {@code delimiter} may be any non-empty string or null.
 * {@code deadline}, when set, bounds a remote's answer to this page (retries included); a later
 * answer counts as the remote unreachable. Null: only the remote client's own timeouts.
 */
public record ListRequest(String prefix, String delimiter, String startAfter, int maxKeys, Duration deadline) {
    public ListRequest {
        prefix = prefix == null ? "" : prefix;
        delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        startAfter = startAfter == null ? "" : startAfter;
    }

    public ListRequest(String prefix, String delimiter, String startAfter, int maxKeys) {
        this(prefix, delimiter, startAfter, maxKeys, null);
    }
}
