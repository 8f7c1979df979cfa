package io.s3d.bench.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine is around a measurement. The load average trails by minutes (it said "under
 * load" after the bench's own previous scenario), so {@link #settle} reads {@code /proc/stat} over a
 * few seconds instead and waits for the cores to go quiet before a measurement starts.
 */
public final class MachineLoad {
    private static final Path STAT = Path.of("/proc/stat");

    private MachineLoad() {
    }

    /** {@code /proc/loadavg}'s three figures ("1.02 / 0.80 / 0.51"), or "?" where there is none. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Waits (at most {@code maxWaitSeconds}) until fewer than {@code quietCores} cores were busy over a
     * 3-second window, and returns the busy cores of the last window (-1 when {@code /proc/stat} is absent).
     */
    public static double settle(double quietCores, int maxWaitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitSeconds * 1_000_000_000L;
        double busy;
        do {
            busy = busyCores(3_000);
        } while (busy >= quietCores && System.nanoTime() < deadline);
        return busy;
    }

    /** The average number of busy cores over {@code millis} (all non-idle, non-iowait time), or -1. */
    public static double busyCores(long millis) throws InterruptedException {
        long[] before = cpuTimes();
        Thread.sleep(millis);
        long[] after = cpuTimes();
        if (before == null || after == null) {
            return -1;
        }
        long total = after[0] - before[0];
        long idle = after[1] - before[1];
        int cores = Runtime.getRuntime().availableProcessors();
        return total <= 0 ? 0 : cores * (double) (total - idle) / total;
    }

    /** "0.12 of 2 cores busy" for a page. */
    public static String describe(double busyCores) {
        return busyCores < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f of %d cores busy", busyCores,
                Runtime.getRuntime().availableProcessors());
    }

    /** Total and idle (idle + iowait) jiffies of the {@code cpu} line, or null. */
    private static long[] cpuTimes() {
        try {
            String line = Files.readAllLines(STAT).getFirst();
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total, idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
