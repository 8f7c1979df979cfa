package io.s3d.bench.wan;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces one direction of the emulated link, shared by all its connections like the bottleneck of a
 * real uplink. Each chunk reserves its bytes and then waits until the bucket has paid for them, so
 * the rate holds across connections and a burst is at most {@code rate / 50} (20 ms of line time).
 */
final class TokenBucket {
    private long bytesPerSecond;
    private double tokens;
    private long last = System.nanoTime();

    TokenBucket(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    synchronized void rate(long newBytesPerSecond) {
        refill();
        bytesPerSecond = newBytesPerSecond;
        tokens = Math.min(tokens, burst());
    }

    synchronized long rate() {
        return bytesPerSecond;
    }

    /** Blocks until {@code n} bytes may pass; returns at once when the rate is unlimited (0). */
    void acquire(int n) throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            if (bytesPerSecond <= 0) {
                return;
            }
            refill();
            tokens -= n;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        long until = System.nanoTime() + waitNanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private double burst() {
        return Math.max(16 * 1024, bytesPerSecond / 50.0);
    }

    private void refill() {
        long now = System.nanoTime();
        if (bytesPerSecond > 0) {
            tokens = Math.min(burst(), tokens + (now - last) * bytesPerSecond / 1e9);
        }
        last = now;
    }
}
