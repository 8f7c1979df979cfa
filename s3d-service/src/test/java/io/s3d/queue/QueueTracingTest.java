package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queued write remembers the request that acknowledged it: the journal append is a span of the
 * request, and the entry keeps the request span's traceparent through a restart (the queue opened
 * again from disk), where the push links to it (spans recorded by the SDK's in-memory exporter).
 */
class QueueTracingTest {
    @TempDir
    Path dir;

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    @AfterEach
    void off() {
        Traces.use(null);
    }

    private WriteQueue openQueue() throws IOException {
        return WriteQueue.open(dir.resolve("queue"), new WriteQueue.Limits(1L << 30, 10_000, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMillis(50)), Clock.systemUTC());
    }

    @Test
    void theRequestThatAcknowledgedAWriteIsKeptInTheJournalAcrossARestart() throws Exception {
        Traces.use(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build());
        LocalStore remote = LocalStore.open(dir.resolve("remote"), "us-east-1", 1000, 0);
        remote.createBucket("bucket");
        LocalStore staged = LocalStore.open(dir.resolve("queue/objects"), "us-east-1", 1000, 0);
        WriteQueue queue = openQueue();
        QueuedBackend backend = new QueuedBackend(remote, staged, queue, QueueFilter.parse(""), new KeyLocks(),
                new RemoteBuckets(remote, Clock.systemUTC()));
        byte[] body = "acknowledged from local disk".getBytes(StandardCharsets.UTF_8);
        String requestSpan;
        try (Traced request = Traces.server("S3", Map.of(), k -> null)) {
            requestSpan = Traces.currentTraceparent();
            backend.putObject(new PutRequest("bucket", "k", new ByteArrayInputStream(body), body.length,
                    Optional.empty(), Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
        }
        queue.close();

        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData request = spans.stream().filter(s -> s.getName().equals("S3")).findFirst().orElseThrow();
        SpanData journal = spans.stream().filter(s -> s.getName().equals("s3d.queue.journal")).findFirst().orElseThrow();
        assertThat(journal.getParentSpanId()).as("the append runs on a journal thread, as part of the request")
                .isEqualTo(request.getSpanId());
        assertThat(spans).extracting(SpanData::getName).contains("s3d.store.write");
        assertThat(request.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("s3d.write.route")))
                .as("the queue filter's decision").isEqualTo("queue");

        WriteQueue reopened = openQueue();
        try {
            WriteQueue.Claim claim = reopened.take();
            assertThat(claim.items()).extracting(QueueItem::traceparent).containsExactly(requestSpan);
        } finally {
            reopened.close();
        }
    }

    @Test
    void theJournalReadsEntriesWrittenWithoutATrace() {
        QueueItem untraced = new QueueItem(1, QueueItem.Op.DELETE, "b", "k", 0, "", java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, Map.of(), null);
        QueueItem traced = new QueueItem(2, QueueItem.Op.DELETE, "b", "k", 0, "", java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, Map.of(), null, null, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(Journal.decode(new String(Journal.encode(untraced), StandardCharsets.UTF_8))).isEqualTo(untraced);
        assertThat(Journal.decode(new String(Journal.encode(traced), StandardCharsets.UTF_8))).isEqualTo(traced);
    }
}
