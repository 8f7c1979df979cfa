package io.s3d.sync;

/**
 * A local file as one scan saw it.
 *
 * @param size bytes
 * @param mtimeNanos last modification, nanoseconds since the epoch
 * @param inode the file's inode number, {@code st_ino} (0 when the file system has none)
 * @param hold why the path must not be acted on in this pass (null when it may)
 */
record LocalEntry(long size, long mtimeNanos, long inode, Hold hold) {

    static LocalEntry file(long size, long mtimeNanos, long inode) {
        return new LocalEntry(size, mtimeNanos, inode, null);
    }

    LocalEntry held(Hold why) {
        return new LocalEntry(size, mtimeNanos, inode, why);
    }

    /**
     * Same size and modification time as the snapshot recorded. The inode alone is not a change: it
     * changes for every file when the volume is mounted again or restored (NFS, overlay, a new
     * container), and a file whose size and time are unchanged is taken as unchanged; the snapshot
     * then just records the new inode (see {@link #inodeMoved}).
     */
    boolean matches(StateEntry state) {
        return size == state.localSize() && mtimeNanos == state.localMtimeNanos();
    }

    /** Unchanged, but under another inode than the snapshot recorded (or the snapshot has none). */
    boolean inodeMoved(StateEntry state) {
        return matches(state) && inode != 0 && inode != state.inode();
    }

    /** Why a present path is left alone in a pass (never read as a deletion). */
    enum Hold {
        /** Written to recently or during the scan: retried once it settles. */
        UNSETTLED,
        /** Larger than max-file-size. */
        TOO_LARGE,
        /** A symbolic link, device, socket or pipe: never followed nor synced. */
        NOT_A_FILE
    }
}
