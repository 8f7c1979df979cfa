package io.s3d.operator.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Plays the health endpoint of a gateway's s3d pod (the mock API server runs no pods): answers
 * {@code GET /q/health/group/sync} with whatever {@link #answer} holds, and points the operator's
 * {@code s3d.operator.gateway-url} at itself.
 */
public class GatewayHealthServer implements QuarkusTestResourceLifecycleManager {
    private static volatile int status = 503;
    private static volatile String body = "";
    private HttpServer server;

    /** What the next probe gets: an HTTP status and a MicroProfile Health JSON body. */
    public static void answer(int httpStatus, String json) {
        status = httpStatus;
        body = json;
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/q/health/group/sync", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return Map.of("s3d.operator.gateway-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "s3d.operator.sync-progress-interval", "1s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
