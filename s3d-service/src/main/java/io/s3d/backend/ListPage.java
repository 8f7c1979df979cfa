package io.s3d.backend;

import java.util.List;

/**
 * A page of keys and common prefixes, both in UTF-8 byte order. {@code nextStartAfter} is the last
 * key or common prefix returned when the listing is truncated (what the next page starts after).
 */
public record ListPage(List<ObjectMeta> objects, List<String> commonPrefixes, boolean truncated,
        String nextStartAfter) {
}
