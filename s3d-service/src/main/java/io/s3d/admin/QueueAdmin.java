package io.s3d.admin;

import io.s3d.api.connection.LongWait;
import io.s3d.queue.WriteQueue;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The write queue's admin endpoints: {@code GET /_s3d/queue} (what is queued),
 * {@code POST /_s3d/queue/flush} (the barrier) and {@code POST /_s3d/queue/retry} (un-park).
 * Shapes are in docs/contract.md.
 */
final class QueueAdmin {
    private static final Duration MAX_FLUSH_WAIT = Duration.ofHours(1);

    record Answer(int status, Object body) {
    }

    private final Optional<WriteQueue> queue;

    QueueAdmin(Optional<WriteQueue> queue) {
        this.queue = queue;
    }

    Answer serve(String method, String path, HttpServerRequest http) {
        if (queue.isEmpty()) {
            return new Answer(409, AdminRoutes.error("WriteQueueDisabled",
                    "the write queue is off on this s3d (S3D_WRITE_QUEUE=true with a remote S3_ENDPOINT turns it on)"));
        }
        WriteQueue q = queue.get();
        String bucket = param(http, "bucket");
        String prefix = param(http, "prefix");
        return switch (path) {
            case "queue" -> method.equals("GET") ? list(q, http, bucket, prefix) : notAllowed("GET");
            case "queue/flush" -> method.equals("POST") ? flush(q, http, bucket, prefix) : notAllowed("POST");
            case "queue/retry" -> method.equals("POST") ? retry(q, bucket, prefix) : notAllowed("POST");
            default -> new Answer(404, AdminRoutes.error("NotFound", "no admin endpoint /_s3d/" + path));
        };
    }

    private static Answer notAllowed(String allowed) {
        return new Answer(405, AdminRoutes.error("MethodNotAllowed", "this admin endpoint answers " + allowed + " only"));
    }

    private static String param(HttpServerRequest http, String name) {
        String value = http.getParam(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Answer list(WriteQueue q, HttpServerRequest http, String bucket, String prefix) {
        boolean parkedOnly = "parked".equals(http.getParam("state"));
        int max;
        try {
            max = Optional.ofNullable(param(http, "max-items")).map(Integer::parseInt).orElse(1000);
        } catch (NumberFormatException e) {
            return new Answer(400, AdminRoutes.error("InvalidArgument", "max-items must be a number"));
        }
        List<WriteQueue.Entry> entries = q.entries(bucket, prefix, parkedOnly, max + 1);
        List<Object> items = new ArrayList<>();
        for (WriteQueue.Entry e : entries.subList(0, Math.min(max, entries.size()))) {
            items.add(entry(e));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("truncated", entries.size() > max);
        return new Answer(200, out);
    }

    static Map<String, Object> entry(WriteQueue.Entry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", e.bucket());
        out.put("key", e.key());
        out.put("op", e.op().name());
        out.put("size", e.size());
        out.put("queuedAt", e.queuedAt().toString());
        out.put("attempts", e.attempts());
        out.put("state", io.s3d.queue.UploadHold.shownState(e.state().equals("ready") ? "pending" : e.state(), e.error()));
        out.put("error", e.error());
        return out;
    }

    private static Answer flush(WriteQueue q, HttpServerRequest http, String bucket, String prefix) {
        Duration timeout;
        try {
            timeout = Optional.ofNullable(param(http, "timeout")).map(QueueAdmin::duration)
                    .orElse(Duration.ofSeconds(60));
        } catch (IllegalArgumentException e) {
            return new Answer(400, AdminRoutes.error("InvalidArgument", e.getMessage()));
        }
        if (timeout.compareTo(MAX_FLUSH_WAIT) > 0) {
            timeout = MAX_FLUSH_WAIT;
        }
        WriteQueue.FlushResult result;
        LongWait.exemptFromIdleTimeout(http);
        try {
            result = q.flush(bucket, prefix, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, AdminRoutes.error("ServiceUnavailable", "s3d is shutting down"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("flushed", result.flushed());
        out.put("waitedMillis", result.waitedMillis());
        out.put("remaining", result.remaining());
        out.put("parked", result.parked());
        int status = result.flushed() ? 200 : result.timedOut() ? 504 : 409;
        if (!result.flushed()) {
            out.put("error", result.timedOut() ? "Timeout" : "Parked");
            out.put("message", result.timedOut()
                    ? result.remaining() + " queued item(s) not pushed within " + timeout
                    : result.parked() + " queued item(s) are parked after a permanent remote error; "
                            + "POST /_s3d/queue/retry pushes them again");
        }
        return new Answer(status, out);
    }

    /** {@code 60s}, {@code 500ms}, {@code 5m}, {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT1M}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            if (t.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.matches("\\d+[smh]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("timeout '" + text + "' is not a duration like 60s, 500ms, 5m or 1h");
        }
    }

    private static Answer retry(WriteQueue q, String bucket, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("retried", q.retry(bucket, prefix));
        return new Answer(200, out);
    }

    /** The {@code writeQueue} object of {@code GET /_s3d/status}. */
    static Map<String, Object> summary(WriteQueue q) {
        WriteQueue.Snapshot s = q.snapshot();
        var stats = q.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", s.items());
        out.put("bytes", s.bytes());
        out.put("oldestAgeSeconds", s.oldest() == null ? 0 : Duration.between(s.oldest(), Instant.now()).toSeconds());
        out.put("parked", s.parked());
        // Held keys (tagged s3d.upload=false) are parked too, not by a remote's refusal.
        out.put("held", s.parked() == 0 ? 0 : q.entries(null, null, true, Integer.MAX_VALUE).stream()
                .filter(e -> io.s3d.queue.UploadHold.isHold(e.error())).count());
        out.put("pushed", stats.pushed());
        out.put("bytesPushed", stats.pushedBytes());
        out.put("failures", stats.failures());
        out.put("retries", stats.retries());
        out.put("rejected", stats.rejections());
        out.put("pushRatePerSecond", Math.round(stats.pushRate(System.currentTimeMillis()) * 100) / 100.0);
        out.put("lastError", stats.lastError());
        out.put("maxSize", q.limits().maxBytes());
        out.put("maxFiles", q.limits().maxItems());
        Map<String, Object> buckets = new LinkedHashMap<>();
        s.buckets().forEach((bucket, v) -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("items", v[0]);
            b.put("bytes", v[1]);
            b.put("parked", v[2]);
            buckets.put(bucket, b);
        });
        out.put("buckets", buckets);
        return out;
    }
}
