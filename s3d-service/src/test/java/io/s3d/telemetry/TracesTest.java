package io.s3d.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** s3d's spans as the SDK records them (in-memory exporter): parents, links, the traceparent kept for later. */
class TracesTest {
    private static final String CLIENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    /** Tracing on, with the SDK writing to {@link #exported}. */
    static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterEach
    void off() {
        Traces.use(null);
    }

    @Test
    void offNothingIsRecordedNorKept() {
        Traces.use(null);
        try (Traced request = Traces.server("S3", Map.of("traceparent", CLIENT), Map.of("traceparent", CLIENT)::get);
                Traced child = Traces.span("s3d.store.put")) {
            assertThat(request).isSameAs(Traced.NONE);
            assertThat(child).isSameAs(Traced.NONE);
            assertThat(Traces.currentTraceparent()).isNull();
        }
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void theRequestSpanContinuesTheClientsTraceAndItsWorkIsItsChildren() {
        Traces.use(sdk(exported));
        String kept;
        try (Traced request = Traces.server("S3", Map.of(), Map.of("traceparent", CLIENT)::get)) {
            request.rename("S3.PutObject").set("aws.s3.bucket", "photos");
            try (Traced store = Traces.span("s3d.store.put")) {
                kept = Traces.currentTraceparent();
            }
        }
        List<SpanData> spans = exported.getFinishedSpanItems();
        SpanData store = spans.get(0);
        SpanData request = spans.get(1);
        assertThat(request.getName()).isEqualTo("S3.PutObject");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(request.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(request.getAttributes().asMap()).containsValue("photos");
        assertThat(store.getName()).isEqualTo("s3d.store.put");
        assertThat(store.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(kept).isEqualTo("00-" + store.getTraceId() + "-" + store.getSpanId() + "-01");
    }

    @Test
    void backgroundWorkIsANewTraceLinkedToTheRequestsItServes() {
        Traces.use(sdk(exported));
        String first;
        String second;
        try (Traced a = Traces.server("S3", Map.of(), k -> null)) {
            first = Traces.currentTraceparent();
        }
        try (Traced b = Traces.server("S3", Map.of(), k -> null)) {
            second = Traces.currentTraceparent();
        }
        try (Traced push = Traces.background("s3d.queue.push", List.of(first, second, "not a traceparent"))) {
            assertThat(push.recording()).isTrue();
        }
        SpanData push = exported.getFinishedSpanItems().get(2);
        assertThat(push.getParentSpanContext().isValid()).isFalse();
        assertThat(push.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(push.getLinks()).extracting(l -> "00-" + l.getSpanContext().getTraceId() + "-"
                + l.getSpanContext().getSpanId() + "-01").containsExactly(first, second);
        assertThat(push.getTraceId()).isNotIn(first.substring(3, 35), second.substring(3, 35));
    }

    @Test
    void storedTraceparentsAreReadBackOrRefused() {
        assertThat(Traces.parseTraceparent(CLIENT).getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(Traces.parseTraceparent(CLIENT).isRemote()).isTrue();
        assertThat(Traces.parseTraceparent(null)).isNull();
        assertThat(Traces.parseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
        assertThat(Traces.parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).isNull();
    }
}
