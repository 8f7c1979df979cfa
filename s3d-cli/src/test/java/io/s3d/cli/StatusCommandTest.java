package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code s3d status} against a small HTTP server answering the admin JSON of docs/contract.md
 * (the seam between the CLI and the daemon), and against S3Proxy (not a daemon).
 */
class StatusCommandTest {
    static HttpServer server;
    static String url;
    static final Map<String, String> bodies = new ConcurrentHashMap<>();
    static final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();

    static final String DAEMON = """
            {"version":"0.1.0","uptimeSeconds":3725,"mode":"gateway","localDir":"/root/.s3d",
             "disk":{"totalBytes":107374182400,"freeBytes":53687091200,"usedBytes":1610612736},
             "buckets":3,
             "remote":{"endpoint":"https://s3.amazonaws.com","reachable":true},
             "writeQueue":{"items":4,"bytes":2097152,"oldestAgeSeconds":12,"parked":1,"lastError":null},
             "readCache":{"entries":10,"bytes":1048576,"hits":30,"misses":10}}""";

    @BeforeAll
    static void start() throws IOException {
        bodies.put("/_s3d/status", DAEMON);
        bodies.put("/_s3d/status/photos", "{\"bucket\":\"photos\",\"exists\":true,\"objects\":12,\"bytes\":2048}");
        bodies.put("/_s3d/status/photos/2024/cat%20one.jpg", "{\"bucket\":\"photos\",\"key\":\"2024/cat one.jpg\",\"exists\":true,"
                + "\"size\":5,\"etag\":\"\\\"abc\\\"\",\"lastModified\":\"2026-11-27T00:00:00Z\",\"state\":\"pending\"}");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(Map.copyOf(exchange.getRequestHeaders()));
            String path = exchange.getRequestURI().getRawPath();
            String body = bodies.get(path);
            int status = 200;
            if (body == null) {
                status = 404;
                body = path.split("/").length > 4
                        ? "{\"error\":\"NoSuchKey\",\"message\":\"The specified key does not exist.\"}"
                        : "{\"error\":\"NoSuchBucket\",\"message\":\"The specified bucket does not exist\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static Cli cli() {
        return new Cli().env("S3D_ENDPOINT", url).env("S3D_ACCESS_KEY_ID", "AKID").env("S3D_SECRET_ACCESS_KEY", "secret");
    }

    @Test
    void daemon() {
        Cli.Result r = cli().run("status");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("""
                daemon        s3d 0.1.0 at %s, up 1h 2m
                mode          gateway
                local store   /root/.s3d  used 1.5 GiB, free 50.0 GiB of 100 GiB
                buckets       3
                remote        https://s3.amazonaws.com  reachable
                write queue   4 items, 2.0 MiB, oldest 12s, parked 1
                read cache    10 entries, 1.0 MiB, 30 hits, 10 misses (75%% hits)
                """.formatted(url), r.out());
        assertEquals("", r.err());
    }

    @Test
    void requestsAreSigned() {
        requests.clear();
        cli().env("S3D_REGION", "eu-west-1").run("status");
        Map<String, List<String>> h = requests.get(0);
        String auth = h.get("Authorization").get(0);
        assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=AKID/"), auth);
        assertTrue(auth.contains("/eu-west-1/s3/aws4_request"), auth);
        assertTrue(h.containsKey("X-amz-date"), h.toString());
        requests.clear();
        new Cli().env("S3D_ENDPOINT", url).run("status");
        assertTrue(!requests.get(0).containsKey("Authorization"), "no credentials, no signature");
    }

    @Test
    void standaloneDaemonShowsFeaturesOff() {
        bodies.put("/_s3d/status", "{\"version\":\"0.1.0\",\"uptimeSeconds\":12,\"mode\":\"standalone\",\"localDir\":\"/d\","
                + "\"disk\":{\"totalBytes\":1024,\"freeBytes\":512,\"usedBytes\":512},\"buckets\":0,"
                + "\"remote\":null,\"writeQueue\":null,\"readCache\":null}");
        try {
            Cli.Result r = cli().run("status");
            assertTrue(r.out().contains("remote        none (standalone)\n"), r.out());
            assertTrue(r.out().contains("write queue   off\n"), r.out());
            assertTrue(r.out().contains("read cache    off\n"), r.out());
        } finally {
            bodies.put("/_s3d/status", DAEMON);
        }
    }

    @Test
    void json() throws Exception {
        Cli.Result r = cli().run("status", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(new ObjectMapper().readTree(DAEMON), json);
    }

    @Test
    void bucketAndObject() throws Exception {
        Cli.Result r = cli().run("status", "photos");
        assertEquals("bucket        s3://photos\nexists        yes\nobjects       12\nsize          2.0 KiB (2048 bytes)\n", r.out());
        r = cli().run("status", "photos/2024/cat one.jpg");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("state         pending\n"), r.out());
        assertTrue(r.out().contains("etag          \"abc\"\n"), r.out());
        r = cli().run("status", "photos/2024/cat one.jpg", "--json");
        assertEquals("pending", new ObjectMapper().readTree(r.out()).get("state").asText());
    }

    @Test
    void unknownBucketAndKey() {
        Cli.Result r = cli().run("status", "nope");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertEquals("s3d status: s3://nope: NoSuchBucket: The specified bucket does not exist (hint: list the buckets with 's3d ls')",
                r.err().strip());
        r = cli().run("status", "photos/a/b");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("NoSuchKey"), r.toString());
    }

    @Test
    void notADaemon() {
        // S3Proxy checks the signature first: a 404 here (not 403) also proves the signing is right
        Cli.Result r = Cli.s3proxy().run("status");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains(" is not an s3d daemon: /_s3d/status answered HTTP 404"), r.toString());
        r = Cli.s3proxy().env("S3D_SECRET_ACCESS_KEY", "wrong").run("status");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("denied (HTTP 403)"), r.toString());
        r = cli().run("status", "--endpoint", "http://127.0.0.1:1");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("is the daemon running? start it with ./s3d run"), r.toString());
    }
}
