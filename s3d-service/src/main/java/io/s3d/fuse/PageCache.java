package io.s3d.fuse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Which version (ETag) of each file the kernel's page cache may hold: the one last opened for
 * reading. Opening the same version again keeps the cached pages ({@code keep_cache}), so a second
 * read runs at page-cache speed; any other version (an overwrite through S3 or the mount) makes
 * the kernel drop them. Bounded: a path forgotten here is simply read again.
 */
final class PageCache {
    private static final int MAX_ENTRIES = 100_000;

    private final Cache<FusePath, String> opened = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    /** Whether {@code etag} is the version last opened at {@code path}; remembers it as the last one. */
    boolean unchanged(FusePath path, String etag) {
        if (etag == null || etag.isEmpty()) {
            opened.invalidate(path);
            return false;
        }
        String before = opened.asMap().put(path, etag);
        return etag.equals(before);
    }
}
