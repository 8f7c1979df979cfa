package io.s3d.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code BUCKET[/PREFIX]} that {@code flush} and {@code queue} narrow to (optional there) and
 * that {@code prefetch} and {@code unpin} work on: the
 * {@code bucket} and {@code prefix} query parameters of the admin endpoints, and the words for
 * messages and hints. An {@code s3://} prefix is accepted, as everywhere.
 */
record QueueScope(String bucket, String prefix) {

    /** Everything when {@code text} is null or empty. */
    static QueueScope parse(String text) {
        if (text == null || text.isEmpty()) {
            return new QueueScope(null, "");
        }
        S3Location loc = S3Location.parse(text);
        return new QueueScope(loc.bucket(), loc.key());
    }

    boolean everything() {
        return bucket == null;
    }

    Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        if (bucket != null) {
            q.put("bucket", bucket);
        }
        if (!prefix.isEmpty()) {
            q.put("prefix", prefix);
        }
        return q;
    }

    /** {@code photos/2026/} as the user would type it again; empty for everything. */
    String arg() {
        return bucket == null ? "" : prefix.isEmpty() ? bucket : bucket + "/" + prefix;
    }

    /** {@code " for photos/2026/"}, or nothing for everything. */
    String suffix(String word) {
        return bucket == null ? "" : " " + word + " " + arg();
    }

    /** A command line to suggest, e.g. {@code s3d queue retry photos/2026/}. */
    String command(String command, String... options) {
        StringBuilder sb = new StringBuilder(command);
        if (bucket != null) {
            sb.append(' ').append(arg());
        }
        for (String o : options) {
            sb.append(' ').append(o);
        }
        return sb.toString();
    }

    /** For error lines: {@code s3://photos/2026/}; null for everything. */
    String target() {
        return bucket == null ? null : new S3Location(bucket, prefix).toString();
    }
}
