package io.s3d.fuse;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per path, held while a file open for writing is opened, attached to, truncated,
 * unlinked or stored and closed by its last writer, so those steps happen one at a time per path
 * and an open never copies a version that its last writer is about to replace. Locks exist only
 * while someone holds or waits for them.
 */
final class PathLocks {
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    @FunctionalInterface
    interface Action {
        int run() throws IOException;
    }

    private final ConcurrentHashMap<FusePath, Entry> locks = new ConcurrentHashMap<>();

    int with(FusePath path, Action action) throws IOException {
        Entry entry = locks.compute(path, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        entry.lock.lock();
        try {
            return action.run();
        } finally {
            entry.lock.unlock();
            locks.compute(path, (k, e) -> --e.users == 0 ? null : e);
        }
    }
}
