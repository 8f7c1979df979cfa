package io.s3d.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of a directory's fsync: writers that renamed a file into the directory call
 * {@link #sync()} and return once an fsync that began after their rename has finished. Concurrent
 * writers share one fsync instead of queueing for one each.
 */
public final class GroupSync {
    private final Path dir;
    private long requested;
    private long durable;
    private boolean syncing;
    // A lock, not synchronized: request threads are virtual, and on JDK 21 a virtual thread
    // waiting inside synchronized pins its carrier.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();

    private final Syncer syncer;

    /** How a directory is fsynced (a test counts and holds them). */
    interface Syncer {
        void sync(Path dir) throws IOException;
    }

    public GroupSync(Path dir) {
        this(dir, DurableFiles::syncDirectory);
    }

    GroupSync(Path dir, Syncer syncer) {
        this.dir = dir;
        this.syncer = syncer;
    }

    public void sync() throws IOException {
        long covers;
        lock.lock();
        try {
            long mine = ++requested;
            while (durable < mine && syncing) {
                awaitQuietly();
            }
            if (durable >= mine) {
                return;
            }
            syncing = true;
            // Every rename requested so far happened before this fsync starts.
            covers = requested;
        } finally {
            lock.unlock();
        }
        boolean done = false;
        try {
            syncer.sync(dir);
            done = true;
        } finally {
            lock.lock();
            try {
                syncing = false;
                if (done) {
                    durable = Math.max(durable, covers);
                }
                finished.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void awaitQuietly() throws IOException {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a directory fsync", e);
        }
    }
}
