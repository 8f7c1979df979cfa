package io.s3d.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * One span of s3d's, current on this thread from its start until {@link #close()} ends it; used as
 * {@code try (Traced span = Traces.span("s3d.store.get")) { ... }}. {@link #NONE}, what every
 * {@link Traces} call returns while tracing is off, does nothing at all.
 */
public class Traced implements AutoCloseable {
    /** Tracing is off: no span. */
    public static final Traced NONE = new Traced(null, null);

    private final Span span;
    private final Scope scope;

    private Traced(Span span, Scope scope) {
        this.span = span;
        this.scope = scope;
    }

    static Traced start(SpanBuilder builder) {
        Span span = builder.startSpan();
        return new Traced(span, span.makeCurrent());
    }

    public boolean recording() {
        return span != null && span.isRecording();
    }

    /** The span, for what this class does not offer; {@link Span#getInvalid()} when off. */
    public Span span() {
        return span == null ? Span.getInvalid() : span;
    }

    public Traced set(String attribute, String value) {
        if (span != null && value != null) {
            span.setAttribute(attribute, value);
        }
        return this;
    }

    public Traced set(String attribute, long value) {
        if (span != null) {
            span.setAttribute(attribute, value);
        }
        return this;
    }

    public Traced set(String attribute, boolean value) {
        if (span != null) {
            span.setAttribute(attribute, value);
        }
        return this;
    }

    public Traced rename(String name) {
        if (span != null) {
            span.updateName(name);
        }
        return this;
    }

    /** The work failed: the span is marked as an error, with the exception recorded as an event. */
    public Traced failed(Throwable e) {
        if (span != null) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return this;
    }

    /** The work failed without an exception to show (an S3 error answer, say). */
    public Traced failed(String description) {
        if (span != null) {
            span.setStatus(StatusCode.ERROR, description);
        }
        return this;
    }

    /** Ends the span and makes the one before it current again. */
    @Override
    public void close() {
        if (span != null) {
            scope.close();
            span.end();
        }
    }
}
