package io.s3d.filter.opa;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.s3d.filter.ObjectFacts;
import io.s3d.filter.Purpose;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OPA client against a local server playing OPA's REST Data API
 * ({@code POST /v1/data/<path>} with {@code {"input": ...}}, answered {@code {"result": ...}}, or
 * {@code {}} when the rule is undefined for the input).
 */
class OpaDeciderTest {
    private HttpServer server;
    private final List<JsonObject> asked = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"result\": true}";
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean slow;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/data/s3d/allow", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            asked.add(new JsonObject(body));
            if (slow) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    /** A generous timeout: a cold JVM on a busy machine must not turn a test into a timeout test. */
    private OpaDecider decider(Duration ttl) {
        return decider(ttl, Duration.ofSeconds(3));
    }

    private OpaDecider decider(Duration ttl, Duration timeout) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/data/s3d/allow");
        return new OpaDecider(new OpaClient(url, timeout), EnumSet.of(Purpose.CACHE, Purpose.UPLOAD),
                ttl, 100, registry);
    }

    private static ObjectFacts clip() {
        return ObjectFacts.of("media", "clips/a.mp4").withSize(2048).withHeaders(Map.of("content-type", "video/mp4"))
                .withMetadata(Map.of("camera", "7")).withObjectTags(Map.of("team", "edge"))
                .withBucketTags(() -> Map.of("tier", "hot"));
    }

    private double decisions(String purpose, String result) {
        var c = registry.find("s3d.opa.decisions").tag("purpose", purpose).tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    private double failures(String reason) {
        var c = registry.find("s3d.opa.failures").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theInputDocumentCarriesWhatThePolicyNeeds() {
        assertThat(decider(Duration.ofMinutes(1)).allows(Purpose.UPLOAD, clip())).isTrue();

        assertThat(asked).hasSize(1);
        JsonObject input = asked.get(0).getJsonObject("input");
        assertThat(input.getString("operation")).isEqualTo("PutObject");
        assertThat(input.getString("purpose")).isEqualTo("upload");
        assertThat(input.getString("bucket")).isEqualTo("media");
        assertThat(input.getString("key")).isEqualTo("clips/a.mp4");
        assertThat(input.getLong("size")).isEqualTo(2048);
        assertThat(input.getString("contentType")).isEqualTo("video/mp4");
        assertThat(input.getJsonObject("tags").getMap()).isEqualTo(Map.of("team", "edge"));
        assertThat(input.getJsonObject("bucketTags").getMap()).isEqualTo(Map.of("tier", "hot"));
        assertThat(input.getJsonObject("metadata").getMap()).isEqualTo(Map.of("camera", "7"));
        assertThat(input.containsKey("identity")).isTrue();
    }

    @Test
    void falseDeniesAndAnObjectResultDecidesByAllow() {
        answer = "{\"result\": false}";
        assertThat(decider(Duration.ofMinutes(1)).allows(Purpose.CACHE, clip())).isFalse();
        answer = "{\"result\": {\"allow\": true, \"reason\": \"hot tier\"}}";
        assertThat(decider(Duration.ofMinutes(1)).allows(Purpose.CACHE, clip())).isTrue();
        assertThat(decisions("cache", "deny")).isEqualTo(1);
        assertThat(decisions("cache", "allow")).isEqualTo(1);
    }

    @Test
    void decisionsAreCachedForTheSameInput() {
        OpaDecider opa = decider(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertThat(opa.allows(Purpose.CACHE, clip())).isTrue();
        }
        assertThat(opa.allows(Purpose.CACHE, ObjectFacts.of("media", "other"))).isTrue();
        assertThat(asked).hasSize(2);
    }

    @Test
    void withoutCachingEveryDecisionAsks() {
        OpaDecider opa = decider(Duration.ZERO);
        opa.allows(Purpose.CACHE, clip());
        opa.allows(Purpose.CACHE, clip());
        assertThat(asked).hasSize(2);
    }

    @Test
    void errorsFollowThePurposesFailurePolicy() {
        OpaDecider opa = decider(Duration.ZERO);
        status = 500;
        answer = "{\"code\": \"internal_error\", \"message\": \"boom\"}";
        assertThat(opa.allows(Purpose.CACHE, clip())).as("cache fails open").isTrue();
        assertThat(opa.authorizes("GetObject", "AKIA1", clip())).as("access fails closed").isFalse();
        assertThat(failures("http_error")).isEqualTo(2);

        status = 200;
        answer = "{not json";
        assertThat(opa.allows(Purpose.UPLOAD, clip())).isTrue();
        assertThat(opa.allows(Purpose.SYNC, clip())).as("sync is not in this decider's fail-open list").isFalse();
        assertThat(failures("malformed")).isEqualTo(2);

        answer = "{}";
        assertThat(opa.authorizes("GetObject", "AKIA1", clip())).as("undefined denies access").isFalse();
        assertThat(opa.allows(Purpose.CACHE, clip())).isTrue();
        assertThat(failures("undefined")).isEqualTo(2);

        answer = "{\"result\": \"yes\"}";
        assertThat(opa.authorizes("GetObject", "AKIA1", clip())).isFalse();
        assertThat(failures("malformed")).isEqualTo(3);
        assertThat(decisions("access", "error_deny")).isEqualTo(3);
    }

    @Test
    void aSlowOpaIsATimeout() {
        slow = true;
        OpaDecider opa = decider(Duration.ZERO, Duration.ofMillis(300));
        assertThat(opa.authorizes("PutObject", "AKIA1", clip())).isFalse();
        assertThat(opa.allows(Purpose.CACHE, clip())).isTrue();
        assertThat(failures("timeout")).isEqualTo(2);
        assertThat(decisions("cache", "error_allow")).isEqualTo(1);
    }

    @Test
    void anUnreachableOpaFollowsThePolicyToo() {
        server.stop(0);
        OpaDecider opa = decider(Duration.ZERO);
        assertThat(opa.allows(Purpose.CACHE, clip())).isTrue();
        assertThat(opa.authorizes("GetObject", null, clip())).isFalse();
        assertThat(failures("unreachable") + failures("timeout")).isEqualTo(2);
    }

    @Test
    void authorizationAsksWithTheOperationAndIdentity() {
        assertThat(decider(Duration.ofMinutes(1)).authorizes("DeleteObject", "AKIAEDGE", clip())).isTrue();
        JsonObject input = asked.get(0).getJsonObject("input");
        assertThat(input.getString("operation")).isEqualTo("DeleteObject");
        assertThat(input.getString("identity")).isEqualTo("AKIAEDGE");
        assertThat(input.getString("purpose")).isEqualTo("access");
    }
}
