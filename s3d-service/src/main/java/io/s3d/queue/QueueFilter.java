package io.s3d.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which writes go through the queue ({@code s3d.write-queue.filter}): comma-separated
 * {@code bucket} or {@code bucket/key} patterns. In the bucket part {@code *} matches any
 * characters of a bucket name; a key part without {@code *} is a key prefix, one with {@code *}
 * (any characters, {@code /} included) must match the whole key. {@code logs} queues every key of
 * bucket {@code logs}; {@code photos/raw/} every key under {@code raw/}; {@code *-edge/*.jpg} keys
 * ending in {@code .jpg} of buckets ending in {@code -edge}. Empty: everything.
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
                int slash = entry.indexOf('/');
                String bucket = slash < 0 ? entry : entry.substring(0, slash);
                String key = slash < 0 ? "" : entry.substring(slash + 1);
                // The bucket part never runs into the key; a key part without * is a prefix, with * a
                // whole-key pattern (*.jpg means keys ending in .jpg).
                String regex = glob(bucket, "[^/]*") + "/" + (key.contains("*") ? glob(key, ".*") : glob(key, "") + ".*");
                patterns.add(Pattern.compile(regex, Pattern.DOTALL));
            }
        }
        return new QueueFilter(List.copyOf(patterns), text == null ? "" : text.trim());
    }

    private static String glob(String pattern, String star) {
        StringBuilder regex = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(star);
            }
            regex.append(Pattern.quote(parts[i]));
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
