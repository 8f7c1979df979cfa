package io.s3d.fuse;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a path is, as far as {@code getattr} needs: a directory, or a file (a symbolic link is a
 * file whose {@code posix} mode says so) of a size written at a time (its Last-Modified) and, when
 * known, the version (ETag) it was seen at, with the POSIX attributes its user metadata carries.
 * Last-Modified is kept in whole seconds, as S3 gives it in a HEAD (a listing gives milliseconds):
 * a path shows the same time whichever request taught the mount about it.
 */
record Node(boolean directory, long size, Instant mtime, String etag, PosixAttributes posix) {
    static Node dir(Instant mtime) {
        return dir(mtime, PosixAttributes.NONE);
    }

    static Node dir(Instant mtime, PosixAttributes posix) {
        return new Node(true, 0, mtime.truncatedTo(ChronoUnit.SECONDS), null, posix);
    }

    static Node file(long size, Instant mtime, String etag) {
        return file(size, mtime, etag, PosixAttributes.NONE);
    }

    static Node file(long size, Instant mtime, String etag, PosixAttributes posix) {
        return new Node(false, size, mtime.truncatedTo(ChronoUnit.SECONDS), etag, posix);
    }

    boolean symlink() {
        return !directory && posix.symlink();
    }
}
