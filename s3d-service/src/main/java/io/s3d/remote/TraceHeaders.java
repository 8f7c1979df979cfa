package io.s3d.remote;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.s3d.telemetry.Traces;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Traces on the way to the remote. The SDK client has OpenTelemetry's AWS SDK instrumentation, added
 * by the quarkus-amazon-s3 extension ({@code quarkus.s3.telemetry.enabled}: a client span per call,
 * {@code S3.PutObject}, with its X-Ray header) and, after it, the W3C {@code traceparent} of that span,
 * which S3-compatible stores and proxies other than AWS read. Nothing is added while tracing is off.
 */
final class TraceHeaders {
    private TraceHeaders() {
    }

    /** The package of OpenTelemetry's AWS SDK instrumentation, whose interceptor the extension adds. */
    private static final String SDK_INSTRUMENTATION = "io.opentelemetry.instrumentation.awssdk.";

    /** The interceptors s3d adds after the SDK's span, in order: none while tracing is off. */
    static ExecutionInterceptor[] forClient() {
        if (!Traces.on()) {
            return new ExecutionInterceptor[0];
        }
        return new ExecutionInterceptor[] {
            new ExecutionInterceptor() {
                @Override
                public SdkHttpRequest modifyHttpRequest(software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest c,
                        ExecutionAttributes attributes) {
                    return withTraceparent(c.httpRequest());
                }
            }
        };
    }

    /** Whether an interceptor is OpenTelemetry's AWS SDK instrumentation (a span per SDK call). */
    static boolean isSdkInstrumentation(ExecutionInterceptor interceptor) {
        return interceptor.getClass().getName().startsWith(SDK_INSTRUMENTATION);
    }

    /** The request with the current span's {@code traceparent} (signed with the rest), if one is being traced. */
    static SdkHttpRequest withTraceparent(SdkHttpRequest request) {
        if (!Traces.on() || !Span.current().getSpanContext().isValid()) {
            return request;
        }
        SdkHttpRequest.Builder builder = request.toBuilder();
        W3CTraceContextPropagator.getInstance().inject(Context.current(), builder,
                (b, name, value) -> b.putHeader(name, value));
        return builder.build();
    }
}
