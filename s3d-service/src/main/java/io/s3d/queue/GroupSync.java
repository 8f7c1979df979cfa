package io.s3d.queue;

import io.s3d.store.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Group commit of a directory's fsync: writers that renamed a file into the directory call
 * {@link #sync()} and return once an fsync that began after their rename has finished. Concurrent
 * writers share one fsync instead of queueing for one each.
 */
final class GroupSync {
    private final Path dir;
    private long requested;
    private long durable;
    private boolean syncing;

    GroupSync(Path dir) {
        this.dir = dir;
    }

    void sync() throws IOException {
        long mine;
        synchronized (this) {
            mine = ++requested;
            while (durable < mine) {
                if (!syncing) {
                    break;
                }
                waitQuietly();
            }
            if (durable >= mine) {
                return;
            }
            syncing = true;
        }
        long covers;
        synchronized (this) {
            // Every rename requested so far happened before this fsync starts.
            covers = requested;
        }
        boolean done = false;
        try {
            DurableFiles.syncDirectory(dir);
            done = true;
        } finally {
            synchronized (this) {
                syncing = false;
                if (done) {
                    durable = Math.max(durable, covers);
                }
                notifyAll();
            }
        }
    }

    private void waitQuietly() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a directory fsync", e);
        }
    }
}
