package io.s3d.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-key ordering without a lock per key: a fixed set of locks picked by hash. Two writers of one
 * key always meet on the same lock; writers of different keys rarely do.
 */
final class StripedLocks {
    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(String bucket, String key) {
        int hash = (bucket.hashCode() * 31 + key.hashCode()) & 0x7fffffff;
        return locks[hash % locks.length];
    }
}
