package io.s3d.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What a measured run produced. Latencies are recorded in microseconds.
 *
 * @param workload   what ran
 * @param ops        requests that succeeded
 * @param errors     requests that failed, including content mismatches
 * @param firstError the first failure, or null
 * @param bytes      payload bytes moved (sent for PUT, received and checked for GET/RANGE)
 * @param seconds    wall time of the measured part
 * @param latency    per-request latency of successful requests, in microseconds
 * @param cpuSeconds CPU time the load generator's JVM used during the run (all its threads, so an
 *                   in-process server or WAN emulator is included); NaN when the JVM cannot tell
 */
public record Result(Workload workload, long ops, long errors, String firstError, long bytes, double seconds,
                     Histogram latency, double cpuSeconds) {

    /** CPU microseconds the load generator's JVM spent per successful request. */
    public double cpuMicrosPerOp() {
        return ops > 0 ? cpuSeconds * 1e6 / ops : Double.NaN;
    }

    /** Successful requests per second. */
    public double opsPerSecond() {
        return seconds > 0 ? ops / seconds : 0;
    }

    /** Payload megabytes (10^6 bytes) per second. */
    public double mbPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : 0;
    }

    /** A latency percentile in milliseconds. */
    public double percentileMs(double p) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
    }

    /** The slowest request in milliseconds. */
    public double maxMs() {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%-18s %8d ops %6.1f s %10.1f ops/s %9.1f MB/s p50 %8.3f p90 %8.3f p99 %8.3f max %8.3f ms%s",
                workload.label(), ops, seconds, opsPerSecond(), mbPerSecond(), percentileMs(50), percentileMs(90),
                percentileMs(99), maxMs(), errors > 0 ? "  ERRORS " + errors + ": " + firstError : "");
    }
}
