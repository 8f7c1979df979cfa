package io.s3d.bench.fuse;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The FUSE bench's rows, run one after the other on one target, one client thread (as one program
 * using the mount). A row that fails says so in its cell and the others still run.
 */
final class FuseWorkloads {
    /** Longer than the mount's metadata TTL (1 s, also the kernel's attribute and entry timeouts). */
    static final long PAST_TTL_MILLIS = 1_500;

    /** Files of each kind made before measuring. */
    static final int WARM_UP = 50;

    private final FuseSizes sizes;
    private final Target t;
    /** Row label to the figure shown. */
    final Map<String, String> rows = new LinkedHashMap<>();
    /** Directory size to {creates/s, stats/s}. */
    final Map<Integer, double[]> growth = new LinkedHashMap<>();

    FuseWorkloads(FuseSizes sizes, Target t) {
        this.sizes = sizes;
        this.t = t;
    }

    /** How the page names the target. */
    String label() {
        return t.label();
    }

    static List<String> rowLabels(FuseSizes s) {
        String seq = FuseSizes.bytes(s.sequentialBytes());
        String small = String.format(Locale.ROOT, "%,d files of %s", s.smallFiles(), FuseSizes.bytes(s.smallFileBytes()));
        String dir = String.format(Locale.ROOT, "%,d entries", s.largestDirectory());
        return List.of(
                "sequential write " + seq + " (one file, 1 MiB writes, stored on close)",
                "sequential read " + seq + ", first open after the write",
                "sequential read " + seq + ", second open",
                "random 4 KiB reads in the " + seq + " file",
                "patch 4 KiB in the middle of the " + seq + " file (open, pwrite, close)",
                "small files: create + write + close, " + small,
                "small files: open + read + close, " + small,
                "create " + dir + " (empty files) in one directory",
                "stat each of " + dir,
                "readdir of " + dir);
    }

    void run() throws Exception {
        warmUp();
        List<String> label = rowLabels(sizes);
        long seq = sizes.sequentialBytes();
        row(label.get(0), () -> mbps(seq, time(() -> t.write("seq", seq))));
        row(label.get(1), () -> mbps(seq, time(() -> t.read("seq", seq))));
        row(label.get(2), () -> mbps(seq, time(() -> t.read("seq", seq))));
        row(label.get(3), this::randomReads);
        patchRow(label.get(4));
        row(label.get(5), () -> {
            t.mkdir("small");
            return perSecond(sizes.smallFiles(), time(() -> {
                for (int i = 0; i < sizes.smallFiles(); i++) {
                    t.write("small/f" + i, sizes.smallFileBytes());
                }
            }), "files/s");
        });
        row(label.get(6), () -> perSecond(sizes.smallFiles(), time(() -> {
            for (int i = 0; i < sizes.smallFiles(); i++) {
                t.read("small/f" + i, sizes.smallFileBytes());
            }
        }), "files/s"));
        directory(label.get(7), label.get(8), label.get(9));
    }

    /** Untimed: the first requests of a fresh daemon (connections, JIT) would otherwise land in the first row. */
    private void warmUp() throws Exception {
        t.mkdir("warmup");
        for (int i = 0; i < WARM_UP; i++) {
            t.create("warmup/e" + i);
            t.stat("warmup/e" + i);
            t.write("warmup/f" + i, sizes.smallFileBytes());
            t.read("warmup/f" + i, sizes.smallFileBytes());
        }
        t.list("warmup");
    }

    private String randomReads() throws Exception {
        t.openForRandomReads("seq");
        byte[] b = new byte[4096];
        long blocks = sizes.sequentialBytes() / 4096;
        SplittableRandom rnd = new SplittableRandom(20);
        long[] nanos = new long[sizes.randomReads()];
        long t0 = System.nanoTime();
        for (int i = 0; i < nanos.length; i++) {
            long s = System.nanoTime();
            t.readAt(rnd.nextLong(blocks) * 4096, b);
            nanos[i] = System.nanoTime() - s;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Arrays.sort(nanos);
        return String.format(Locale.ROOT, "%.0f reads/s, p50 %.3f ms", nanos.length / secs,
                nanos[nanos.length / 2] / 1e6);
    }

    /**
     * Writes 4 KiB in the middle of the sequential file in place, the bytes it already holds (so it
     * still reads as its content): what it costs to store a small change of a large file. Skipped
     * (no row) on a target without in-place writes.
     */
    private void patchRow(String label) {
        long offset = sizes.sequentialBytes() / 2 / 4096 * 4096;
        byte[] same = io.s3d.bench.load.Content.range("seq", offset, 4096);
        boolean[] patched = {false};
        String cell;
        try {
            double secs = time(() -> patched[0] = t.patch("seq", offset, same));
            if (!patched[0]) {
                return;
            }
            t.read("seq", sizes.sequentialBytes());
            cell = secs < 1 ? String.format(Locale.ROOT, "%.1f ms", secs * 1e3)
                    : String.format(Locale.ROOT, "%.2f s", secs);
        } catch (Exception e) {
            cell = failed(e);
        }
        rows.put(label, cell);
        System.out.println("  " + t.label() + ": " + label + ": " + cell);
    }

    /**
     * Fills one directory step by step; at each step creates {@code probes} more files (timed), waits
     * past the metadata TTL so nothing is answered from a cache the create filled, and stats them
     * (timed). Then stats every entry and lists the directory.
     */
    private void directory(String createLabel, String statLabel, String listLabel) throws InterruptedException {
        int[] count = {0};
        double[] fillSeconds = {0};
        try {
            t.mkdir("many");
            for (int step : sizes.directorySteps()) {
                fillSeconds[0] += time(() -> {
                    while (count[0] < step) {
                        t.create("many/e" + count[0]++);
                    }
                });
                int first = count[0];
                double create = time(() -> {
                    for (int i = 0; i < sizes.probes(); i++) {
                        t.create("many/e" + count[0]++);
                    }
                });
                fillSeconds[0] += create;
                Thread.sleep(PAST_TTL_MILLIS);
                double stat = time(() -> {
                    for (int i = first; i < first + sizes.probes(); i++) {
                        t.stat("many/e" + i);
                    }
                });
                growth.put(step, new double[] {sizes.probes() / create, sizes.probes() / stat});
                System.out.printf(Locale.ROOT, "  %s: %,d entries: %.0f creates/s, %.0f stats/s%n", t.label(), step,
                        sizes.probes() / create, sizes.probes() / stat);
            }
            rows.put(createLabel, perSecond(count[0], fillSeconds[0], "files/s"));
        } catch (Exception e) {
            rows.put(createLabel, failed(e));
            return;
        }
        Thread.sleep(PAST_TTL_MILLIS);
        int n = count[0];
        row(statLabel, () -> perSecond(n, time(() -> {
            for (int i = 0; i < n; i++) {
                t.stat("many/e" + i);
            }
        }), "stats/s"));
        row(listLabel, () -> {
            long[] seen = {0};
            double secs = time(() -> seen[0] = t.list("many"));
            if (seen[0] != n) {
                throw new IllegalStateException("listed " + seen[0] + " entries, " + n + " were created");
            }
            return String.format(Locale.ROOT, "%.2f s (%.0f entries/s)", secs, n / secs);
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    private interface Row {
        String run() throws Exception;
    }

    private void row(String label, Row r) {
        String cell;
        try {
            cell = r.run();
        } catch (Exception e) {
            cell = failed(e);
        }
        rows.put(label, cell);
        System.out.println("  " + t.label() + ": " + label + ": " + cell);
    }

    private static String failed(Exception e) {
        String m = String.valueOf(e.getMessage()).strip().replace('\n', ' ').replace('|', '/');
        return "failed: " + e.getClass().getSimpleName() + " " + (m.length() > 120 ? m.substring(0, 120) + "…" : m);
    }

    private static double time(Body b) throws Exception {
        long t0 = System.nanoTime();
        b.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String mbps(long bytes, double secs) {
        return String.format(Locale.ROOT, "%.1f MB/s", bytes / 1e6 / secs);
    }

    private static String perSecond(long n, double secs, String unit) {
        return String.format(Locale.ROOT, "%.0f %s", n / secs, unit);
    }
}
