package io.s3d.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver, as a collector is one: {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} in protobuf, decoded with OpenTelemetry's own proto classes.
 */
final class OtlpReceiver implements AutoCloseable {
    /** One received span, ids in lowercase hex as in a {@code traceparent}. */
    record ReceivedSpan(String service, String name, String kind, String traceId, String spanId, String parentSpanId,
            Map<String, String> attributes, List<Link> links, boolean error) {
        String attribute(String key) {
            return attributes.get(key);
        }
    }

    record Link(String traceId, String spanId) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                receiver.contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    body = new GZIPInputStream(body);
                }
                receiver.add(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        return receiver;
    }

    /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    List<String> contentTypes() {
        return List.copyOf(contentTypes);
    }

    private void add(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service = attributes(resourceSpans.getResource()).get("service.name");
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (var span : scopeSpans.getSpansList()) {
                    Map<String, String> attributes = new LinkedHashMap<>();
                    span.getAttributesList().forEach(kv -> attributes.put(kv.getKey(), text(kv.getValue())));
                    List<Link> links = span.getLinksList().stream()
                            .map(l -> new Link(hex.formatHex(l.getTraceId().toByteArray()),
                                    hex.formatHex(l.getSpanId().toByteArray())))
                            .toList();
                    spans.add(new ReceivedSpan(service, span.getName(), span.getKind().name(),
                            hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()), attributes, links,
                            span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR));
                }
            }
        }
    }

    private static Map<String, String> attributes(Resource resource) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : resource.getAttributesList()) {
            out.put(kv.getKey(), text(kv.getValue()));
        }
        return out;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
