package io.s3d.telemetry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The access log: one line per S3 request on the logger {@code s3d.access}, in logfmt
 * ({@code key=value}), with the same fields in the log context (MDC) so the JSON log format carries
 * them as fields. Object keys only when asked for ({@code s3d.access-log-keys}).
 */
final class AccessLog {
    private static final Logger LOG = Logger.getLogger("s3d.access");

    private final boolean withKeys;

    AccessLog(boolean withKeys) {
        this.withKeys = withKeys;
    }

    record Entry(String requestId, String client, String method, String operation, String bucket, String key,
            int status, long nanos, long bytesIn, long bytesOut) {
    }

    void write(Entry entry) {
        Map<String, String> fields = fields(entry);
        fields.forEach(MDC::put);
        try {
            LOG.info(line(fields));
        } finally {
            fields.keySet().forEach(MDC::remove);
        }
    }

    String line(Entry entry) {
        return line(fields(entry));
    }

    private static String line(Map<String, String> fields) {
        StringBuilder line = new StringBuilder(160);
        fields.forEach((name, value) -> line.append(line.isEmpty() ? "" : " ").append(name).append('=').append(quoted(value)));
        return line.toString();
    }

    Map<String, String> fields(Entry entry) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("request_id", entry.requestId());
        fields.put("client", entry.client());
        fields.put("method", entry.method());
        fields.put("operation", entry.operation());
        fields.put("bucket", entry.bucket() == null ? "-" : entry.bucket());
        if (withKeys) {
            fields.put("key", entry.key() == null ? "-" : entry.key());
        }
        fields.put("status", Integer.toString(entry.status()));
        fields.put("duration_ms", String.format(Locale.ROOT, "%.3f", entry.nanos() / 1e6));
        fields.put("bytes_in", Long.toString(entry.bytesIn()));
        fields.put("bytes_out", Long.toString(entry.bytesOut()));
        return fields;
    }

    /** logfmt quoting: values with spaces, quotes or '=' (object keys can hold anything) are quoted and escaped. */
    private static String quoted(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c < 127);
        if (plain) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c < ' ' ? String.format("\\u%04x", (int) c) : c);
            }
        }
        return out.append('"').toString();
    }
}
