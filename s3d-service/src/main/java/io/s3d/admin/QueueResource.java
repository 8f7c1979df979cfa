package io.s3d.admin;

import io.s3d.api.connection.LongWait;
import io.s3d.gateway.Gateway;
import io.s3d.queue.WriteQueue;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The write queue's admin endpoints: {@code GET /_s3d/queue} (what is queued),
 * {@code POST /_s3d/queue/flush} (the barrier) and {@code POST /_s3d/queue/retry} (un-park).
 * Shapes are in docs/contract.md and the OpenAPI document.
 */
@Path("queue")
@RunOnVirtualThread
@Tag(name = "queue", description = "The write queue: writes acknowledged locally, pushed to the remote later")
@APIResponse(responseCode = "409", description = "The write queue is off on this s3d (WriteQueueDisabled)",
        content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
@APIResponse(responseCode = "403", description = "The request is not signed by a configured credential",
        content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
public class QueueResource {
    private static final Duration MAX_FLUSH_WAIT = Duration.ofHours(1);

    private final Gateway gateway;

    QueueResource(Gateway gateway) {
        this.gateway = gateway;
    }

    @GET
    @Operation(summary = "List the queued writes",
            description = "Queued writes (PUTs, copies, completed multipart uploads, deletes) not yet on the remote,"
                    + " oldest first.")
    @APIResponse(responseCode = "200", description = "The queued items",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "QueueItems")))
    @APIResponse(responseCode = "400", description = "max-items is not a number",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    public Response list(@QueryParam("bucket") @Parameter(description = "Only this bucket") String bucket,
            @QueryParam("prefix") @Parameter(description = "Only keys with this prefix") String prefix,
            @QueryParam("state") @Parameter(description = "`parked`: only items parked after a permanent remote error")
            String state,
            @QueryParam("max-items") @Parameter(description = "At most this many items (default 1000)") String maxItems) {
        Optional<WriteQueue> queue = queue();
        if (queue.isEmpty()) {
            return disabled();
        }
        int max;
        try {
            max = Optional.ofNullable(blankToNull(maxItems)).map(Integer::parseInt).orElse(1000);
        } catch (NumberFormatException e) {
            return AdminAnswer.error(400, "InvalidArgument", "max-items must be a number");
        }
        List<WriteQueue.Entry> entries = queue.get().entries(blankToNull(bucket), blankToNull(prefix),
                "parked".equals(state), max + 1);
        List<Object> items = new ArrayList<>();
        for (WriteQueue.Entry e : entries.subList(0, Math.min(max, entries.size()))) {
            items.add(entry(e));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("truncated", entries.size() > max);
        return AdminAnswer.ok(out);
    }

    @POST
    @Path("flush")
    @Operation(summary = "Wait until the queue is pushed (a barrier)",
            description = "Returns once every write queued before the call (for the bucket and prefix, if given) is on"
                    + " the remote (200), when the timeout passes first (504 Timeout) or when what is left is parked"
                    + " after permanent remote errors (409 Parked). The operator's preStop hook calls it.")
    @APIResponse(responseCode = "200", description = "Everything asked for is on the remote",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "FlushResult")))
    @APIResponse(responseCode = "504", description = "Not pushed within the timeout (error Timeout)",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "FlushResult")))
    @APIResponse(responseCode = "400", description = "timeout is not a duration",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    @APIResponse(responseCode = "503", description = "s3d is shutting down",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    public Response flush(@QueryParam("bucket") @Parameter(description = "Only this bucket") String bucket,
            @QueryParam("prefix") @Parameter(description = "Only keys with this prefix") String prefix,
            @QueryParam("timeout") @Parameter(description = "How long to wait: 60s (default), 500ms, 5m, 1h (at most),"
                    + " a number of seconds or ISO-8601") String timeoutText,
            @Context RoutingContext http) {
        Optional<WriteQueue> queue = queue();
        if (queue.isEmpty()) {
            return disabled();
        }
        Duration timeout;
        try {
            timeout = Optional.ofNullable(blankToNull(timeoutText)).map(QueueResource::duration)
                    .orElse(Duration.ofSeconds(60));
        } catch (IllegalArgumentException e) {
            return AdminAnswer.error(400, "InvalidArgument", e.getMessage());
        }
        if (timeout.compareTo(MAX_FLUSH_WAIT) > 0) {
            timeout = MAX_FLUSH_WAIT;
        }
        WriteQueue.FlushResult result;
        LongWait.exemptFromIdleTimeout(http.request(), http::addEndHandler);
        try {
            result = queue.get().flush(blankToNull(bucket), blankToNull(prefix), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AdminAnswer.error(503, "ServiceUnavailable", "s3d is shutting down");
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
        return AdminAnswer.json(status, out);
    }

    @POST
    @Path("retry")
    @Operation(summary = "Push parked items again",
            description = "Items parked after a permanent remote error (or held by the s3d.upload=false tag) go back"
                    + " to pending and are pushed again.")
    @APIResponse(responseCode = "200", description = "How many items were un-parked",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Retried")))
    public Response retry(@QueryParam("bucket") @Parameter(description = "Only this bucket") String bucket,
            @QueryParam("prefix") @Parameter(description = "Only keys with this prefix") String prefix) {
        Optional<WriteQueue> queue = queue();
        if (queue.isEmpty()) {
            return disabled();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("retried", queue.get().retry(blankToNull(bucket), blankToNull(prefix)));
        return AdminAnswer.ok(out);
    }

    private Optional<WriteQueue> queue() {
        return gateway.writeQueue().map(io.s3d.queue.WriteQueueService::queue);
    }

    private static Response disabled() {
        return AdminAnswer.error(409, "WriteQueueDisabled",
                "the write queue is off on this s3d (S3D_WRITE_QUEUE=true with a remote S3_ENDPOINT turns it on)");
    }

    static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
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
