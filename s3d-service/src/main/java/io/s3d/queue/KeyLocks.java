package io.s3d.queue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per key, held while a client's write to the key is stored and queued and while the
 * pusher settles the key, so the queue's order is the order in which writes took effect. Locks
 * exist only while someone holds or waits for them.
 */
final class KeyLocks {
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentHashMap<WriteQueue.Key, Entry> locks = new ConcurrentHashMap<>();

    <T> T with(WriteQueue.Key key, Supplier<T> action) {
        Entry entry = locks.compute(key, (k, e) -> {
            Entry held = e == null ? new Entry() : e;
            held.users++;
            return held;
        });
        entry.lock.lock();
        try {
            return action.get();
        } finally {
            entry.lock.unlock();
            locks.compute(key, (k, e) -> --e.users == 0 ? null : e);
        }
    }
}
