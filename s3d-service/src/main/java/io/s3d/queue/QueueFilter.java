package io.s3d.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which writes go through the queue ({@code s3d.write-queue.filter}): comma-separated
 * {@code bucket} or {@code bucket/key-prefix} patterns where {@code *} matches any characters.
 * {@code logs} queues every key of bucket {@code logs}; {@code photos/raw/} every key under
 * {@code raw/}; {@code *-edge/*.jpg} JPEGs of buckets ending in {@code -edge}. Empty: everything.
 */
public final class QueueFilter {
    private final List<Pattern> patterns;
    private final String text;

    private QueueFilter(List<Pattern> patterns, String text) {
        this.patterns = patterns;
        this.text = text;
    }

    public static QueueFilter parse(String text) {
        List<Pattern> patterns = new ArrayList<>();
        if (text != null) {
            for (String raw : text.split(",")) {
                String entry = raw.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.startsWith("/")) {
                    throw new IllegalArgumentException("s3d.write-queue.filter (S3D_WRITE_QUEUE_FILTER): '" + entry
                            + "' must start with a bucket name or pattern, e.g. 'logs' or 'photos/raw/'");
                }
                // A bare bucket matches all of it; bucket/prefix matches keys starting with prefix.
                String full = entry.contains("/") ? entry : entry + "/";
                patterns.add(Pattern.compile(glob(full) + ".*", Pattern.DOTALL));
            }
        }
        return new QueueFilter(List.copyOf(patterns), text == null ? "" : text.trim());
    }

    private static String glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return regex.toString();
    }

    /** Whether a write to {@code bucket}/{@code key} is queued. */
    public boolean queues(String bucket, String key) {
        if (patterns.isEmpty()) {
            return true;
        }
        String path = bucket + "/" + key;
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean queuesEverything() {
        return patterns.isEmpty();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "(everything)" : text;
    }
}
