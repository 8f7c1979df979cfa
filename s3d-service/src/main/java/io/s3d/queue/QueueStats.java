package io.s3d.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Counters of the write queue since start, for the status endpoint and the metrics. */
public final class QueueStats {
    private static final long RATE_WINDOW_MILLIS = 60_000;

    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong pushedBytes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();
    private volatile String lastError;
    private volatile Consumer<Duration> lagObserver = lag -> { };

    void pushed(int items, long bytes, long nowMillis) {
        pushed.addAndGet(items);
        pushedBytes.addAndGet(bytes);
        synchronized (recent) {
            recent.addLast(new long[] { nowMillis, items });
            trim(nowMillis);
        }
    }

    void failed(String error, boolean willRetry) {
        failures.incrementAndGet();
        if (willRetry) {
            retries.incrementAndGet();
        } else {
            parked.incrementAndGet();
        }
        lastError = error;
    }

    /** How long a pushed write waited between its acknowledgement and reaching the remote. */
    void lag(Duration lag) {
        lagObserver.accept(lag);
    }

    /** Where push lags go (the metrics' histogram); none until set. */
    public void observeLag(Consumer<Duration> observer) {
        lagObserver = observer;
    }

    void waited() {
        waits.incrementAndGet();
    }

    void rejected() {
        rejections.incrementAndGet();
    }

    private void trim(long nowMillis) {
        while (!recent.isEmpty() && recent.getFirst()[0] < nowMillis - RATE_WINDOW_MILLIS) {
            recent.removeFirst();
        }
    }

    /** Items pushed per second over the last minute. */
    public double pushRate(long nowMillis) {
        synchronized (recent) {
            trim(nowMillis);
            long n = 0;
            for (long[] r : recent) {
                n += r[1];
            }
            return n / (RATE_WINDOW_MILLIS / 1000.0);
        }
    }

    public long pushed() {
        return pushed.get();
    }

    public long pushedBytes() {
        return pushedBytes.get();
    }

    public long failures() {
        return failures.get();
    }

    public long retries() {
        return retries.get();
    }

    public long parkings() {
        return parked.get();
    }

    public long admissionWaits() {
        return waits.get();
    }

    public long rejections() {
        return rejections.get();
    }

    public String lastError() {
        return lastError;
    }
}
