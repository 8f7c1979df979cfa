package io.s3d.bench.fuse;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How much the FUSE bench writes and reads. The full run is the default of bench/run.sh; every size
 * can be set on the command line (bench/fuse.sh passes its environment) for a shorter run.
 *
 * @param sequentialBytes size of the one large file written and read sequentially (full: 1 GiB)
 * @param smallFiles      number of small files created, written, closed and read back (full: 1,000)
 * @param smallFileBytes  size of each small file (4 KiB)
 * @param randomReads     4 KiB reads at random aligned offsets of the large file (full: 5,000)
 * @param directorySteps  directory sizes at which create and stat are measured (full: 0, 1,000, 5,000, 10,000);
 *                        the last one is also the directory listed and stat'ed whole
 * @param probes          files created, then stat'ed, at each step (full: 300)
 */
public record FuseSizes(long sequentialBytes, int smallFiles, int smallFileBytes, int randomReads,
                        List<Integer> directorySteps, int probes) {

    /** The full run. */
    public static final FuseSizes FULL = new FuseSizes(1L << 30, 1_000, 4096, 5_000, List.of(0, 1_000, 5_000, 10_000),
            300);

    /** The suite's {@code --quick} run. */
    public static final FuseSizes QUICK = new FuseSizes(64L << 20, 200, 4096, 1_000, List.of(0, 250, 500, 1_000), 100);

    /**
     * The full run with what the flags change: {@code --seq-mib N}, {@code --small-files N},
     * {@code --random-reads N}, {@code --dir-steps 0,1000,5000,10000}, {@code --probes N}.
     */
    public static FuseSizes parse(List<String> args) {
        FuseSizes s = FULL;
        long seq = Long.parseLong(value(args, "--seq-mib", Long.toString(s.sequentialBytes >> 20))) << 20;
        int small = Integer.parseInt(value(args, "--small-files", Integer.toString(s.smallFiles)));
        int random = Integer.parseInt(value(args, "--random-reads", Integer.toString(s.randomReads)));
        String stepsText = value(args, "--dir-steps", null);
        List<Integer> steps = stepsText == null ? s.directorySteps
                : Arrays.stream(stepsText.split(",")).map(String::trim).map(Integer::parseInt).sorted().toList();
        int probes = Integer.parseInt(value(args, "--probes", Integer.toString(s.probes)));
        if (seq < 4096 || small < 1 || random < 1 || probes < 1 || steps.isEmpty() || steps.get(0) < 0) {
            throw new IllegalArgumentException("FUSE bench sizes must be positive (--seq-mib at least 1, --dir-steps"
                    + " not empty): " + new FuseSizes(seq, small, s.smallFileBytes, random, steps, probes));
        }
        return new FuseSizes(seq, small, s.smallFileBytes, random, steps, probes);
    }

    /** Entries in the directory after the last step (its probes included). */
    public int largestDirectory() {
        return directorySteps.get(directorySteps.size() - 1) + probes;
    }

    /** Whether this run is smaller than the full run anywhere. */
    public boolean reduced() {
        return sequentialBytes < FULL.sequentialBytes || smallFiles < FULL.smallFiles || randomReads < FULL.randomReads
                || directorySteps.get(directorySteps.size() - 1) < 10_000 || probes < FULL.probes;
    }

    /** The sizes in words, for the page. */
    public String describe() {
        return String.format(Locale.ROOT, "sequential file %s, %,d small files of %s, %,d random 4 KiB reads,"
                        + " directory steps %s with %,d probes each",
                bytes(sequentialBytes), smallFiles, bytes(smallFileBytes), randomReads,
                directorySteps.stream().map(i -> String.format(Locale.ROOT, "%,d", i)).toList(), probes);
    }

    static String bytes(long n) {
        if (n >= 1L << 30 && n % (1L << 30) == 0) {
            return (n >> 30) + " GiB";
        }
        return n >= 1L << 20 ? (n >> 20) + " MiB" : (n >> 10) + " KiB";
    }

    private static String value(List<String> args, String flag, String def) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : def;
    }
}
