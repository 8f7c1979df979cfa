package io.s3d.telemetry;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Histogram buckets for s3d's latency metrics, fixed so that dashboards and alerts can name them
 * ({@code le="0.1"}) and Prometheus series stay few: a handful per decade from a millisecond to
 * minutes for requests and file-system calls, from a second to a day for the write queue's lag.
 */
public final class Buckets {
    private static final Duration[] REQUEST = durations(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1, 2.5, 5, 10, 30, 60, 300);
    private static final Duration[] QUEUE_LAG = durations(1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600);

    private Buckets() {
    }

    /** A timer with the request buckets: S3 requests, FUSE calls. */
    public static Timer.Builder requestTimer(String name) {
        return Timer.builder(name).serviceLevelObjectives(REQUEST);
    }

    /** A timer with the lag buckets: how long acknowledged writes wait for the remote. */
    public static Timer.Builder lagTimer(String name) {
        return Timer.builder(name).serviceLevelObjectives(QUEUE_LAG);
    }

    private static Duration[] durations(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds[i] * 1_000_000_000L));
        }
        return out;
    }
}
