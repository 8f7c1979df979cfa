package io.s3d.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.config.S3dConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * What s3d records about each finished S3 request: its latency in a histogram and its body bytes
 * in and out, by operation (Prometheus {@code s3d_requests_seconds}, {@code s3d_request_body_bytes_total},
 * {@code s3d_response_body_bytes_total}), and, when {@code s3d.access-log} is on, one access log line.
 */
@ApplicationScoped
public class RequestTelemetry {
    private final MeterRegistry registry;
    private final AccessLog accessLog;
    private final boolean keysInSpans;

    RequestTelemetry(MeterRegistry registry, S3dConfig config) {
        this.registry = registry;
        this.keysInSpans = config.otel().keys();
        this.accessLog = config.accessLog() ? new AccessLog(config.accessLogKeys()) : null;
    }

    /**
     * Called once the response is written (or abandoned); {@code bucket} and {@code key} may be null,
     * {@code bodyLength} is the length of the body the answer meant to send.
     */
    public void completed(HttpServerRequest http, String requestId, String operation, String bucket, String key,
            int status, long bodyLength, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        long bytesIn = http.bytesRead();
        // Vert.x counts the status line and headers in bytesWritten(): it only caps a body cut short.
        long bytesOut = Math.min(bodyLength, http.response().bytesWritten());
        Buckets.requestTimer("s3d.requests").description("S3 requests by operation and HTTP status")
                .tag("operation", operation).tag("status", Integer.toString(status)).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (bytesIn > 0) {
            Counter.builder("s3d.request_body").baseUnit("bytes").description("Request body bytes received by operation")
                    .tag("operation", operation).register(registry).increment(bytesIn);
        }
        if (bytesOut > 0) {
            Counter.builder("s3d.response_body").baseUnit("bytes").description("Response body bytes sent by operation")
                    .tag("operation", operation).register(registry).increment(bytesOut);
        }
        if (accessLog != null) {
            String client = http.remoteAddress() == null ? "-" : http.remoteAddress().hostAddress();
            accessLog.write(new AccessLog.Entry(requestId, client, http.method().name(), operation, bucket, key,
                    status, nanos, bytesIn, bytesOut));
        }
    }

    /**
     * Names the request's server span after its S3 operation and gives it what a user searches
     * traces by; the object key only as its length unless {@code s3d.otel.keys} is on. Called after
     * the answer is sent, before the span ends. {@code cache} is the read cache's verdict (hit, miss,
     * stale, bypass), when it had one.
     */
    public void describe(Traced span, HttpServerRequest http, String requestId, String operation, String bucket,
            String key, int status, String errorCode, long bodyLength, String cache) {
        if (!span.recording()) {
            return;
        }
        span.rename("S3." + operation)
                .set("rpc.system", "aws-api").set("rpc.service", "S3").set("rpc.method", operation)
                .set("http.request.method", http.method().name())
                .set("http.response.status_code", (long) status)
                .set("aws.request_id", requestId)
                .set("aws.s3.bucket", bucket)
                .set("s3d.request.body_bytes", http.bytesRead())
                .set("s3d.response.body_bytes", Math.min(bodyLength, http.response().bytesWritten()))
                .set("s3d.cache", cache);
        if (key != null) {
            span.set("s3d.key_length", (long) key.length());
            if (keysInSpans) {
                span.set("aws.s3.key", key);
            }
        }
        if (errorCode != null) {
            span.set("error.type", errorCode).set("s3d.error_code", errorCode);
        }
        if (status >= 500) {
            span.failed(errorCode == null ? "HTTP " + status : errorCode);
        }
    }
}
