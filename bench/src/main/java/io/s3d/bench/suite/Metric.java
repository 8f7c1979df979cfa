package io.s3d.bench.suite;

/** The numbers a table can show; each knows its heading and whether more is better. */
public enum Metric {
    OPS("ops/s", true, "%.0f"),
    MBPS("MB/s", true, "%.1f"),
    P50("p50 ms", false, "%.3f"),
    P90("p90 ms", false, "%.3f"),
    P99("p99 ms", false, "%.3f"),
    MAX("max ms", false, "%.3f"),
    COUNT("requests", true, "%.0f"),
    ERRORS("errors", false, "%.0f"),
    /** CPU the load generator's JVM spent per request (in-process servers included). */
    CLIENT_CPU("client CPU µs/op", false, "%.0f"),
    /** Bytes the remote sent over the emulated link per payload byte served to the client. */
    EGRESS("remote bytes / byte served", false, "%.3f"),
    /** Seconds from the end of a write-queue run until the queue is empty. */
    DRAIN("queue drain s", false, "%.1f"),
    /** Seconds to list a whole bucket. */
    LIST_SECONDS("full listing s", false, "%.2f"),
    /** Keys listed per second. */
    KEYS_PER_SECOND("keys/s listed", true, "%.0f"),
    /** Keys in the bucket. */
    KEYS("keys", true, "%.0f"),
    /** Objects written per second while filling the bucket. */
    FILL_OPS("fill PUT ops/s", true, "%.0f");

    private final String heading;
    private final boolean higherIsBetter;
    private final String format;

    Metric(String heading, boolean higherIsBetter, String format) {
        this.heading = heading;
        this.higherIsBetter = higherIsBetter;
        this.format = format;
    }

    /** Column heading. */
    public String heading() {
        return heading;
    }

    /** Whether a larger value is better. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The value as the report prints it. */
    public String format(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (this == OPS && v < 10) {
            return String.format(java.util.Locale.ROOT, "%.2f", v);
        }
        return String.format(java.util.Locale.ROOT, format, v);
    }
}
