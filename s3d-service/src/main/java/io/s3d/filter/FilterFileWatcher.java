package io.s3d.filter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps {@link Filters} in step with the filter file. The file's content is hashed at every check:
 * a Kubernetes ConfigMap update swaps the {@code ..data} symlink of the mounted directory rather
 * than writing the file, which file-system events on the file itself do not see reliably. A file
 * that does not parse keeps the rules in force and says why; every reload is logged and counted
 * ({@code s3d_filter_reloads_total{result="ok|failed"}}).
 */
public final class FilterFileWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FilterFileWatcher.class);

    private final Path file;
    private final Filters filters;
    private final Counter ok;
    private final Counter failed;
    private byte[] lastHash;
    private ScheduledExecutorService timer;

    /** Starts from the file's current content, which has already been parsed into {@code filters}. */
    public FilterFileWatcher(Path file, byte[] loadedContent, Filters filters, MeterRegistry registry) {
        this.file = file;
        this.filters = filters;
        this.lastHash = hash(loadedContent);
        this.ok = Counter.builder("s3d.filter.reloads").tag("result", "ok")
                .description("Reloads of the filter file (S3D_FILTER_FILE), by result").register(registry);
        this.failed = Counter.builder("s3d.filter.reloads").tag("result", "failed")
                .description("Reloads of the filter file (S3D_FILTER_FILE), by result").register(registry);
    }

    /** Reads and parses the file at start-up; any problem stops start-up naming the key. */
    public static byte[] readAtStartup(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("s3d.filter.file (S3D_FILTER_FILE): cannot read " + file + ": " + e, e);
        }
    }

    public void start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("s3d-filter-reload")
                .factory());
        long ms = Math.max(100, interval.toMillis());
        timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Looks at the file once: reloads it when its content changed. Returns whether rules were replaced. */
    public synchronized boolean check() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            if (lastHash != null) {
                // Logged once per disappearance, not at every check.
                LOG.warnf("filter file %s cannot be read (%s); the rules loaded before stay in force", file, e);
                failed.increment();
                lastHash = null;
            }
            return false;
        }
        byte[] h = hash(content);
        if (Arrays.equals(h, lastHash)) {
            return false;
        }
        lastHash = h;
        try {
            FilterFile parsed = FilterFile.parse(new String(content, StandardCharsets.UTF_8), file.toString());
            filters.replaceFile(parsed);
            ok.increment();
            LOG.infof("filter file %s reloaded: %s", file, describe(parsed));
            return true;
        } catch (IllegalArgumentException e) {
            failed.increment();
            LOG.errorf("filter file %s not reloaded, the rules loaded before stay in force: %s", file, e.getMessage());
            return false;
        }
    }

    static String describe(FilterFile f) {
        if (f.sections().isEmpty()) {
            return "no rules";
        }
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(f.sections()).forEach((name, rules) -> out.append(out.isEmpty() ? "" : "; ")
                .append(name).append(": ").append(rules.rules().size()).append(" rule(s)"));
        return out.toString();
    }

    private static byte[] hash(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
