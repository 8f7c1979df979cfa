package io.s3d.fuse;

import java.time.Instant;

/**
 * What a path is, as far as {@code getattr} needs: a directory, or a file of a size written at a
 * time (its Last-Modified) and, when known, the version (ETag) it was seen at.
 */
record Node(boolean directory, long size, Instant mtime, String etag) {
    static Node dir(Instant mtime) {
        return new Node(true, 0, mtime, null);
    }

    static Node file(long size, Instant mtime, String etag) {
        return new Node(false, size, mtime, etag);
    }
}
