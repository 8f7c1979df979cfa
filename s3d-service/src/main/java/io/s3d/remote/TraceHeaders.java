package io.s3d.remote;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.s3d.telemetry.Traces;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Traces on the way to the remote. The SDK client gets OpenTelemetry's AWS SDK instrumentation (a
 * client span per call, {@code S3.PutObject}, with its X-Ray header) and, after it, the W3C
 * {@code traceparent} of that span, which S3-compatible stores and proxies other than AWS read.
 * Nothing is added while tracing is off.
 */
final class TraceHeaders {
    private TraceHeaders() {
    }

    /** The interceptors a new SDK client gets, in order: none while tracing is off. */
    static ExecutionInterceptor[] forClient() {
        if (!Traces.on()) {
            return new ExecutionInterceptor[0];
        }
        return new ExecutionInterceptor[] {
            AwsSdkTelemetry.create(Traces.openTelemetry()).newExecutionInterceptor(),
            new ExecutionInterceptor() {
                @Override
                public SdkHttpRequest modifyHttpRequest(software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest c,
                        ExecutionAttributes attributes) {
                    return withTraceparent(c.httpRequest());
                }
            }
        };
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
