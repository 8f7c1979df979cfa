package io.s3d.fuse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a path is, as far as {@code getattr} needs: a directory, or a file of a size written at a
 * time (its Last-Modified) and, when known, the version (ETag) it was seen at. Times are whole
 * seconds, as S3 gives them in a HEAD (a listing gives milliseconds): a path shows the same time
 * whichever request taught the mount about it.
 */
record Node(boolean directory, long size, Instant mtime, String etag) {
    static Node dir(Instant mtime) {
        return new Node(true, 0, mtime.truncatedTo(ChronoUnit.SECONDS), null);
    }

    static Node file(long size, Instant mtime, String etag) {
        return new Node(false, size, mtime.truncatedTo(ChronoUnit.SECONDS), etag);
    }
}
