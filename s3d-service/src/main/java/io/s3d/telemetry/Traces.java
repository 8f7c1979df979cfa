package io.s3d.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Where s3d's code starts its spans. The storage chain (store, queue, cache, remote, FUSE, sync) is
 * built by hand, not by CDI, so the tracer lives here, set once at start-up by {@link Tracing}
 * when tracing is on. Off (the default), every call returns {@link Traced#NONE} after one read of a
 * field: no span, no context switch, no allocation.
 */
public final class Traces {
    /** The instrumentation scope of s3d's own spans. */
    public static final String SCOPE = "io.s3d";

    private static volatile OpenTelemetry openTelemetry;
    private static volatile Tracer tracer;

    private Traces() {
    }

    /** Turns tracing on with this SDK (null turns it off again: tests). */
    public static void use(OpenTelemetry sdk) {
        openTelemetry = sdk;
        tracer = sdk == null ? null : sdk.getTracer(SCOPE);
    }

    public static boolean on() {
        return tracer != null;
    }

    /** The SDK in use, when on (the remote client's instrumentation needs it). */
    public static OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** {@code work}, run on another thread as part of the current span (unchanged when tracing is off). */
    public static <T> Callable<T> carried(Callable<T> work) {
        return tracer == null ? work : Context.current().wrap(work);
    }

    /** A span of work done on behalf of the current one (its child), current until closed. */
    public static Traced span(String name) {
        Tracer t = tracer;
        return t == null ? Traced.NONE : Traced.start(t.spanBuilder(name).setSpanKind(SpanKind.INTERNAL));
    }

    /** Adds an attribute to the current span (the innermost one open on this thread), when tracing. */
    public static void annotate(String attribute, String value) {
        if (tracer != null && value != null) {
            Span.current().setAttribute(attribute, value);
        }
    }

    /** A span that calls out of s3d (the remote, OPA), child of the current one. */
    public static Traced client(String name) {
        Tracer t = tracer;
        return t == null ? Traced.NONE : Traced.start(t.spanBuilder(name).setSpanKind(SpanKind.CLIENT));
    }

    /**
     * The server span of one request: child of the caller's span when its headers carry one
     * ({@code traceparent}, through the configured propagators), else a new trace.
     */
    public static <C> Traced server(String name, C carrier, Function<String, String> header) {
        Tracer t = tracer;
        if (t == null) {
            return Traced.NONE;
        }
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), carrier,
                getter(header));
        return Traced.start(t.spanBuilder(name).setSpanKind(SpanKind.SERVER).setParent(parent));
    }

    /**
     * The server span of an HTTP request that is not an S3 one (the admin API, a health probe):
     * named {@code METHOD route} as HTTP spans are, with {@code url.path} set from the start so that
     * Quarkus's sampler can drop what {@code quarkus.otel.traces.suppress-*-uris} lists.
     */
    public static <C> Traced httpServer(String method, String route, C carrier, Function<String, String> header) {
        Tracer t = tracer;
        if (t == null) {
            return Traced.NONE;
        }
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), carrier,
                getter(header));
        return Traced.start(t.spanBuilder(method + " " + route).setSpanKind(SpanKind.SERVER).setParent(parent)
                .setAttribute("http.request.method", method).setAttribute("http.route", route)
                .setAttribute("url.path", route));
    }

    private static <C> TextMapGetter<C> getter(Function<String, String> header) {
        return new TextMapGetter<C>() {
            @Override
            public Iterable<String> keys(C c) {
                return List.of();
            }

            @Override
            public String get(C c, String key) {
                return header.apply(key);
            }
        };
    }

    /** Work s3d starts on its own (a sync pass, a FUSE call): a new trace. */
    public static Traced root(String name) {
        Tracer t = tracer;
        return t == null ? Traced.NONE : Traced.start(t.spanBuilder(name).setSpanKind(SpanKind.INTERNAL).setNoParent());
    }

    /**
     * Background work done for earlier requests (a queued write's push): a new trace, linked to the
     * spans of the requests it serves ({@code traceparent} values as {@link #currentTraceparent()} gave them).
     */
    public static Traced background(String name, Collection<String> linkedTraceparents) {
        Tracer t = tracer;
        if (t == null) {
            return Traced.NONE;
        }
        SpanBuilder builder = t.spanBuilder(name).setSpanKind(SpanKind.CONSUMER).setNoParent();
        for (String traceparent : linkedTraceparents) {
            SpanContext linked = parseTraceparent(traceparent);
            if (linked != null) {
                builder.addLink(linked);
            }
        }
        return Traced.start(builder);
    }

    /**
     * The current span as a W3C {@code traceparent} value, to be stored with work that outlives the
     * request (a journal entry), or null when tracing is off or nothing is being traced.
     */
    public static String currentTraceparent() {
        if (tracer == null) {
            return null;
        }
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** A stored {@code traceparent} back as a (remote) span context; null when it is not one. */
    public static SpanContext parseTraceparent(String value) {
        if (value == null || value.length() != 55 || value.charAt(2) != '-' || value.charAt(35) != '-'
                || value.charAt(52) != '-') {
            return null;
        }
        try {
            SpanContext context = SpanContext.createFromRemoteParent(value.substring(3, 35), value.substring(36, 52),
                    TraceFlags.fromHex(value, 53), TraceState.getDefault());
            return context.isValid() ? context : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
