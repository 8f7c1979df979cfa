package io.s3d.bench.peer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP receiver on loopback that reads and discards what it is sent: the far end of a traced
 * server's real export path (batching, protobuf encoding, the HTTP post) without a collector's own
 * cost on the shared cores. It answers {@code POST /v1/traces} 200 with an empty
 * {@code ExportTraceServiceResponse} (zero bytes in protobuf) and counts the posts and their bytes.
 */
public final class OtlpSink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final AtomicLong posts = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private OtlpSink(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts on a free loopback port. */
    public static OtlpSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        ExecutorService threads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("otlp-sink", 0)
                .factory());
        OtlpSink sink = new OtlpSink(server, threads);
        server.createContext("/", sink::handle);
        server.setExecutor(threads);
        server.start();
        return sink;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            long n = body.transferTo(java.io.OutputStream.nullOutputStream());
            if (!"POST".equals(exchange.getRequestMethod()) || !exchange.getRequestURI().getPath().equals("/v1/traces")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            posts.incrementAndGet();
            bytes.addAndGet(n);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** The base URL, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Export requests received so far. */
    public long posts() {
        return posts.get();
    }

    /** Bytes of exported spans received so far. */
    public long bytes() {
        return bytes.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
