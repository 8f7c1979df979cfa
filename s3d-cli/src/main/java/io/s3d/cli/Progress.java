package io.s3d.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar with rate and ETA, redrawn on standard error at most ten times a
 * second. Created only when standard error is a terminal; otherwise {@link #NONE} does nothing.
 */
public class Progress {
    /** Draw the bar only for transfers of at least this many bytes. */
    public static final long THRESHOLD = 4L << 20;

    public static final Progress NONE = new Progress(null, "", -1, 80, 0);

    private final PrintWriter err;
    private final String label;
    private final long total;
    private final int width;
    private final long startNanos;
    private final long startBytes;
    private long done;
    private long lastDraw;
    private boolean drawn;

    private Progress(PrintWriter err, String label, long total, int width, long alreadyDone) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.width = width;
        this.startNanos = System.nanoTime();
        this.done = alreadyDone;
        this.startBytes = alreadyDone;
    }

    /**
     * A bar for a transfer of {@code total} bytes ({@code -1} when unknown), or {@link #NONE}
     * when standard error is not a terminal, the transfer is small, or progress is switched off.
     */
    public static Progress start(Terminal terminal, boolean enabled, PrintWriter err, String label,
            long total, long alreadyDone) {
        if (!enabled || !terminal.stderrIsTerminal() || (total >= 0 && total < THRESHOLD)) {
            return NONE;
        }
        return new Progress(err, label, total, terminal.width(), alreadyDone);
    }

    public void add(long bytes) {
        if (err == null) {
            return;
        }
        done += bytes;
        long now = System.nanoTime();
        if (now - lastDraw >= 100_000_000L && (total >= 0 || done >= THRESHOLD)) {
            lastDraw = now;
            draw(now);
        }
    }

    /** Leaves the final state on its own line. */
    public void finish() {
        if (err == null || !drawn && done < THRESHOLD) {
            return;
        }
        draw(System.nanoTime());
        err.print('\n');
        err.flush();
    }

    /** Removes the bar, for when an error message follows. */
    public void clear() {
        if (err != null && drawn) {
            err.print("\r" + " ".repeat(Math.max(0, width - 1)) + "\r");
            err.flush();
        }
    }

    String line(long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = (done - startBytes) / seconds;
        StringBuilder right = new StringBuilder();
        right.append(Sizes.human(done));
        if (total >= 0) {
            right.append(" / ").append(Sizes.human(total));
            int pct = total == 0 ? 100 : (int) (done * 100 / total);
            right.append(String.format(Locale.ROOT, " %3d%%", pct));
        }
        right.append("  ").append(Sizes.human((long) rate)).append("/s");
        if (total >= 0 && rate > 0) {
            long eta = (long) ((total - done) / rate);
            right.append("  ETA ").append(clock(eta));
        } else {
            right.append("  ").append(clock((long) seconds));
        }
        String name = label;
        int barWidth = width - 1 - name.length() - right.length() - 4;
        StringBuilder sb = new StringBuilder();
        if (barWidth < 10) {
            barWidth = Math.max(0, width - 1 - right.length() - 3);
            name = "";
        } else {
            sb.append(name).append(' ');
        }
        if (total >= 0 && barWidth >= 10) {
            int filled = total == 0 ? barWidth : (int) (barWidth * Math.min(1.0, (double) done / total));
            sb.append('[').append("=".repeat(filled)).append(" ".repeat(barWidth - filled)).append("] ");
        }
        sb.append(right);
        return sb.toString();
    }

    private void draw(long now) {
        String line = line(now);
        if (line.length() > width - 1) {
            line = line.substring(0, width - 1);
        }
        err.print("\r" + line + " ".repeat(Math.max(0, width - 1 - line.length())));
        err.flush();
        drawn = true;
    }

    static String clock(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
