package io.s3d.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the daemon's admin endpoints ({@code /_s3d/...}, docs/contract.md, the seam
 * between the CLI and the daemon): answers canned JSON by method and path, and records every
 * request (method, path, query, headers, body) so that tests can check what the CLI sent. A path
 * without an answer gets what the daemon says then: 404 {@code NotFound}.
 */
final class FakeAdmin implements AutoCloseable {

    // ------------------------------------------------ canned answers, as in docs/contract.md

    /** {@code GET /_s3d/status} of a gateway with the write queue on, with every figure. */
    static final String STATUS_GATEWAY = """
            {"version":"0.1.0","uptimeSeconds":3725,"mode":"gateway","localDir":"/root/.s3d",
             "disk":{"totalBytes":107374182400,"freeBytes":53687091200,"usedBytes":1610612736},
             "buckets":3,
             "remote":{"endpoint":"https://minio:9000","reachable":false,"lastError":"connection refused"},
             "writeQueue":{"items":4,"bytes":2097152,"oldestAgeSeconds":75,"parked":0,"pushed":120,
              "bytesPushed":52428800,"failures":2,"retries":1,"pushRatePerSecond":1.5,
              "lastError":"SlowDown: Please reduce your request rate.","maxSize":1073741824,"maxFiles":100,
              "buckets":{"photos":{"items":3,"bytes":1048576,"parked":0},"logs":{"items":1,"bytes":1048576,"parked":0}}},
             "readCache":null}""";

    /** {@code GET /_s3d/queue}: one pending PUT, one parked DELETE. */
    static final String QUEUE = """
            {"items":[{"bucket":"photos","key":"2026/cat.jpg","op":"PUT","size":5347737,"queuedAt":"2026-11-27T00:00:00Z",
              "attempts":0,"state":"pending","error":null},
             {"bucket":"photos","key":"2026/old one.jpg","op":"DELETE","size":0,"queuedAt":"2026-11-27T00:00:05Z",
              "attempts":12,"state":"parked","error":"AccessDenied: Access Denied"}],"truncated":false}""";

    static final String QUEUE_EMPTY = "{\"items\":[],\"truncated\":false}";

    /** 200 of {@code POST /_s3d/queue/flush}. */
    static final String FLUSHED = "{\"flushed\":true,\"waitedMillis\":12,\"remaining\":0,\"parked\":0}";

    /** 409 of {@code POST /_s3d/queue/flush}: matching items are parked. */
    static final String FLUSH_PARKED = "{\"flushed\":false,\"waitedMillis\":40,\"remaining\":3,\"parked\":2}";

    /** 504 of {@code POST /_s3d/queue/flush}: the timeout ran out first. */
    static final String FLUSH_TIMED_OUT = "{\"flushed\":false,\"waitedMillis\":60000,\"remaining\":7,\"parked\":0}";

    /** 200 of {@code POST /_s3d/queue/retry}. */
    static final String RETRIED = "{\"retried\":3}";

    /** 409 of every queue endpoint when the write queue is off. */
    static final String QUEUE_DISABLED = "{\"error\":\"WriteQueueDisabled\",\"message\":\"the write queue is not enabled\"}";

    /** {@code GET /_s3d/cache}, the same object as {@code readCache} in {@code GET /_s3d/status}. */
    static final String CACHE = """
            {"dir":"/root/.s3d/.cache","entries":10,"bytes":5242880,"pinnedEntries":2,"pinnedBytes":524288,
             "maxSize":1073741824,"maxFiles":100,"maxAgeSeconds":3600,"blockSize":4194304,"hits":30,"misses":10,
             "hitRatio":0.75,"bytesFromCache":12582912,"bytesFetched":4194304,"evictions":3,
             "revalidations":{"unchanged":5,"changed":1,"failed":0},"staleServed":2,"bypassed":0,"corruptBlocks":0,
             "localPins":["photos/raw/","models/"]}""";

    /** {@link #STATUS_GATEWAY} with the read cache on as well. */
    static final String STATUS_GATEWAY_CACHE = STATUS_GATEWAY.replace("\"readCache\":null", "\"readCache\":" + CACHE);

    /** 200 of {@code POST /_s3d/cache/prefetch?bucket=photos&prefix=raw/}. */
    static final String PREFETCHED = """
            {"bucket":"photos","prefix":"raw/","pinned":false,"objects":3,"bytes":12582912,"fetchedBytes":4194304,
             "failed":0,"errors":[],"complete":true}""";

    /** 502 of {@code POST /_s3d/cache/prefetch}: some objects could not be fetched. */
    static final String PREFETCH_FAILED = """
            {"bucket":"photos","prefix":"raw/","pinned":false,"objects":3,"bytes":12582912,"fetchedBytes":4194304,
             "failed":2,"errors":["raw/a.jpg: AccessDenied: Access Denied","raw/b c.jpg: InternalError: We encountered an internal error."],
             "complete":true}""";

    /** 504 of {@code POST /_s3d/cache/prefetch?pin=true}: the timeout ran out first. */
    static final String PREFETCH_TIMED_OUT = """
            {"bucket":"photos","prefix":"raw/","pinned":true,"objects":3,"bytes":12582912,"fetchedBytes":4194304,
             "failed":0,"errors":[],"complete":false,"error":"Timeout",
             "message":"the prefetch did not finish within PT10M; run it again to go on"}""";

    /** 200 of {@code POST /_s3d/cache/unpin?bucket=photos&prefix=raw/}. */
    static final String UNPINNED = "{\"bucket\":\"photos\",\"prefix\":\"raw/\",\"unpinned\":true}";

    /** 409 of every cache endpoint when the read cache is off. */
    static final String CACHE_DISABLED = "{\"error\":\"ReadCacheDisabled\",\"message\":\"the read cache is off on this s3d "
            + "(S3D_READ_CACHE=true with a remote S3_ENDPOINT turns it on)\"}";

    // ------------------------------------------------ the server

    record Answer(int status, String body) {
    }

    record Request(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        /** The query parameters, decoded, in the order sent. */
        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            if (rawQuery != null && !rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    q.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
                }
            }
            return q;
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeAdmin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    static FakeAdmin start() {
        try {
            return new FakeAdmin();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers {@code method rawPath} (e.g. {@code POST /_s3d/queue/flush}) with this status and JSON. */
    FakeAdmin answer(String method, String rawPath, int status, String body) {
        answers.put(method + " " + rawPath, new Answer(status, body));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A command line against this fake, with credentials, so that requests are signed. */
    Cli cli() {
        return new Cli().env("S3D_ENDPOINT", url()).env("S3D_ACCESS_KEY_ID", "AKID").env("S3D_SECRET_ACCESS_KEY", "secret");
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        byte[] received = exchange.getRequestBody().readAllBytes();
        requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), received));
        Answer a = answers.getOrDefault(method + " " + path,
                new Answer(404, "{\"error\":\"NotFound\",\"message\":\"no admin endpoint " + path + "\"}"));
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
