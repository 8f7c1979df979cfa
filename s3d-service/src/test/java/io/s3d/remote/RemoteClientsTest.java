package io.s3d.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.s3d.telemetry.Traces;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The interceptors s3d's remote clients get on top of the extension's: with tracing off the AWS SDK
 * instrumentation the extension adds is taken out (no per-call cost), with tracing on it stays first and
 * s3d's {@code traceparent} follows it; the {@code Expect: 100-continue} remover is always last.
 */
class RemoteClientsTest {
    private final ExecutionInterceptor configured = new ExecutionInterceptor() {
    };

    @AfterEach
    void tracingOff() {
        Traces.use(null);
    }

    @Test
    void tracingOffDropsTheSdkInstrumentationAndAddsNoTraceHeader() {
        ExecutionInterceptor sdkSpans = AwsSdkTelemetry.create(OpenTelemetrySdk.builder().build())
                .newExecutionInterceptor();
        List<ExecutionInterceptor> all = RemoteClients.interceptors(List.of(sdkSpans, configured));
        assertThat(all).hasSize(2).doesNotContain(sdkSpans);
        assertThat(all.get(0)).isSameAs(configured);
        assertThat(all.get(1).getClass().getEnclosingClass()).isEqualTo(RemoteClients.class);
    }

    @Test
    void tracingOnKeepsTheSdkSpanFirstThenTheTraceparent() {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build())
                .build();
        Traces.use(sdk);
        ExecutionInterceptor sdkSpans = AwsSdkTelemetry.create(sdk).newExecutionInterceptor();
        List<ExecutionInterceptor> all = RemoteClients.interceptors(List.of(sdkSpans, configured));
        assertThat(all).hasSize(4);
        assertThat(all.get(0)).isSameAs(sdkSpans);
        assertThat(TraceHeaders.isSdkInstrumentation(all.get(0))).isTrue();
        assertThat(all.get(1)).isSameAs(configured);
        assertThat(all.get(2).getClass().getEnclosingClass()).isEqualTo(TraceHeaders.class);
        assertThat(all.get(3).getClass().getEnclosingClass()).isEqualTo(RemoteClients.class);
    }
}
