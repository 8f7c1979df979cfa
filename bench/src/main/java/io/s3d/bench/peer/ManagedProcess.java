package io.s3d.bench.peer;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the suite starts as a child process on loopback: started with its output in a log
 * file, ready once its port answers HTTP, stopped with SIGTERM (then SIGKILL after 10 s). For a
 * JVM started with {@link #gcLogOption(Path)} it also reports the peak heap after the fact.
 */
public class ManagedProcess implements AutoCloseable {

    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private final String name;
    private final Process process;
    private final Path log;
    private final Path gcLog;
    private final RssSampler rss;

    ManagedProcess(String name, Process process, Path log, Path gcLog) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
        this.rss = new RssSampler(process.pid());
    }

    /** Starts {@code command} in {@code dir} with extra environment, output to {@code dir/<name>.log}. */
    static ManagedProcess start(String name, List<String> command, Path dir, Map<String, String> env, Path gcLog)
            throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ManagedProcess(name, pb.start(), log, gcLog);
    }

    /** The JVM option that writes the GC log {@link #peakHeapMiB()} reads. */
    static String gcLogOption(Path gcLog) {
        return "-Xlog:gc:file=" + gcLog.toAbsolutePath();
    }

    /** A free loopback port (racy by nature, good enough on a machine we control). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until {@code url} answers with any HTTP status, or fails with the log's tail. */
    void awaitHttp(URI url, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + tail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                c.getResponseCode();
                c.disconnect();
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        throw new IOException(name + " did not answer on " + url + " within " + timeout + ": " + tail());
    }

    /** The process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether it still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * What its log says went wrong: the innermost "Caused by" line, else the first ERROR line, else
     * the last lines; for error messages.
     */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            String cause = null;
            String error = null;
            for (String l : lines) {
                if (l.startsWith("Caused by:")) {
                    cause = l;
                } else if (error == null && l.contains("ERROR")) {
                    error = l;
                }
            }
            if (cause != null || error != null) {
                return (cause != null ? cause : error).strip() + " (log: " + log + ")";
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private volatile double idleRssMiB = -1;

    /**
     * Waits {@code settle} after start-up and records the resident set then (VmRSS): what the
     * server costs while nobody uses it, before any load.
     */
    void recordIdle(Duration settle) {
        sleep(settle.toMillis());
        idleRssMiB = RssSampler.current(process.pid());
    }

    /** Resident set size once started and settled, before any load, in MiB; -1 when not recorded. */
    public double idleRssMiB() {
        return idleRssMiB;
    }

    /** Peak resident set size of the process so far (VmHWM), in MiB, or -1 once it has exited. */
    public double peakRssMiB() {
        return rss.peakMiB();
    }

    /**
     * Peak Java heap in use, in MiB: the largest "before" figure of any collection in the GC log,
     * which is the most the heap held before it was collected; -1 without a GC log or a collection.
     */
    public double peakHeapMiB() {
        return gcMax(1);
    }

    /**
     * Largest heap left in use after a collection, in MiB: the most live data (plus what the
     * collection chose to keep) the server held; -1 without a GC log or a collection.
     */
    public double peakHeapAfterGcMiB() {
        return gcMax(2);
    }

    private double gcMax(int group) {
        if (gcLog == null || !Files.exists(gcLog)) {
            return -1;
        }
        try {
            long max = -1;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    max = Math.max(max, Long.parseLong(m.group(group)));
                }
            }
            return max;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The name used in logs and the report. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        rss.peakMiB();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads VmHWM of a process and of its children (nginx workers) from /proc. */
    static final class RssSampler {
        private final long pid;
        private double last = -1;

        RssSampler(long pid) {
            this.pid = pid;
        }

        synchronized double peakMiB() {
            double total = hwm(pid);
            if (total < 0) {
                return last;
            }
            for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
                double c = hwm(child.pid());
                if (c > 0) {
                    total += c;
                }
            }
            last = Math.max(last, total);
            return last;
        }

        /** The resident set now (VmRSS) of a process plus its children, in MiB; -1 when it is gone. */
        static double current(long pid) {
            double total = status(pid, "VmRSS:");
            if (total < 0) {
                return -1;
            }
            for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
                total += Math.max(0, status(child.pid(), "VmRSS:"));
            }
            return total;
        }

        private static double hwm(long pid) {
            return status(pid, "VmHWM:");
        }

        private static double status(long pid, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }
    }
}
