package io.s3d.bench.load;

import java.time.Duration;

/**
 * One measured run: an operation, an object size and a concurrency, bounded by a duration or an
 * operation count (whichever ends first; zero means no bound of that kind).
 *
 * @param op          what each request does
 * @param size        object size in bytes
 * @param concurrency parallel workers, each with its own connection
 * @param duration    how long to measure (zero: bounded by {@code opCount} only)
 * @param opCount     how many requests in total (zero: bounded by {@code duration} only)
 * @param warmup      a run of the same workload before measuring, discarded (zero: none)
 * @param keyCount    how many prepared keys GET/HEAD/RANGE pick from
 * @param sequential  GET keys in order, each once per pass (cold reads), instead of at random
 * @param rangeSize   bytes per RANGE request
 */
public record Workload(Op op, long size, int concurrency, Duration duration, long opCount, Duration warmup,
                       int keyCount, boolean sequential, long rangeSize) {

    /** A workload bounded by time, picking prepared keys at random. */
    public static Workload timed(Op op, long size, int concurrency, Duration duration, Duration warmup, int keyCount) {
        return new Workload(op, size, concurrency, duration, 0, warmup, keyCount, false, 1 << 20);
    }

    /** A workload of exactly {@code ops} requests, each GET on the next prepared key. */
    public static Workload counted(Op op, long size, int concurrency, long ops, int keyCount, boolean sequential) {
        return new Workload(op, size, concurrency, Duration.ZERO, ops, Duration.ZERO, keyCount, sequential, 1 << 20);
    }

    /** The same workload with another range size. */
    public Workload withRangeSize(long bytes) {
        return new Workload(op, size, concurrency, duration, opCount, warmup, keyCount, sequential, bytes);
    }

    /** A short human label, e.g. {@code GET 4 KiB c16}. */
    public String label() {
        return op + " " + Sizes.format(size) + " c" + concurrency;
    }
}
