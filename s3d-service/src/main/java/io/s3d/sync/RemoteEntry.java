package io.s3d.sync;

import java.time.Instant;

/**
 * An object as one listing saw it.
 *
 * @param size bytes
 * @param etag the entity tag, unquoted
 * @param lastModified when it was written
 * @param tooLarge larger than max-file-size: left alone, never read as a deletion
 */
record RemoteEntry(long size, String etag, Instant lastModified, boolean tooLarge) {

    boolean matches(StateEntry state) {
        return etag.equals(state.etag()) && size == state.remoteSize();
    }
}
