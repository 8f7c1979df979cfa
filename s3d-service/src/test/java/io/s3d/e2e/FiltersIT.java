package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import io.s3d.bench.wan.CutMode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Filters in a running gateway: the packaged s3d with the write queue and the read cache in front
 * of S3Proxy, the queue filter given as S3D_WRITE_QUEUE_FILTER, the cache rules in a filter file
 * (S3D_FILTER_FILE, rewritten while s3d runs), and Open Policy Agent played by a local server that
 * answers OPA's Data API (deny access to {@code secret/}, no caching of {@code opa-nocache/}).
 *
 * <p>S3Proxy has no object tagging: the {@code s3d.upload} tag is tested where it lives, in the
 * queue (a held object never reaches the remote; one whose tags are taken off then does).
 */
class FiltersIT {
    @TempDir
    static Path dir;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client s3;
    private static S3Client direct;
    private static S3dAdmin admin;
    private static HttpServer opa;
    private static Path filterFile;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        opa = fakeOpa();
        filterFile = dir.resolve("policy");
        Files.writeString(filterFile, """
                # the cache carries fc-*/cached/ only
                cache:
                  - fc-*/cached/
                """);
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_READ_CACHE", "true");
        env.put("S3D_WRITE_QUEUE_FILTER", "fq-*/queued/, fq-*/*[hdr:content-type='video/*'], !fq-*/queued/tmp/");
        env.put("S3D_FILTER_FILE", filterFile.toString());
        env.put("S3D_FILTER_RELOAD_INTERVAL", "200ms");
        env.put("S3D_OPA_URL", "http://127.0.0.1:" + opa.getAddress().getPort() + "/v1/data/s3d/allow");
        env.put("S3D_FILTER_OPA_AUTHORIZE", "true");
        // The first decisions of a cold JVM on a busy CI machine take a while; failures are tested in OpaDeciderTest.
        env.put("S3D_FILTER_OPA_TIMEOUT", "5s");
        s3d = ServiceProcess.start(dir.resolve("store"), env);
        s3 = S3dAdmin.client(s3d.endpoint());
        direct = remote.directClient();
        admin = new S3dAdmin(s3d.endpoint());
    }

    /** OPA's Data API: POST {"input": ...}, answered {"result": bool}. */
    private static HttpServer fakeOpa() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/data/s3d/allow", exchange -> {
            JsonObject input = new JsonObject(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)).getJsonObject("input");
            String key = input.getString("key") == null ? "" : input.getString("key");
            boolean allow = switch (input.getString("purpose")) {
                case "access" -> !key.startsWith("secret/");
                case "cache" -> !key.startsWith("opa-nocache/");
                default -> true;
            };
            byte[] out = new JsonObject().put("result", allow).encode().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
            direct.close();
        }
        if (s3d != null) {
            s3d.close();
        }
        if (remote != null) {
            remote.close();
        }
        if (opa != null) {
            opa.stop(0);
        }
    }

    @AfterEach
    void healLink() {
        remote.link().restore();
    }

    @Test
    void theQueueFilterChoosesByNameAndHeaderAndTheRestPassesThrough() {
        String bucket = "fq-names";
        direct.createBucket(b -> b.bucket(bucket));

        remote.link().cut(CutMode.RESET);
        // Selected writes are acknowledged from the queue with the remote out of reach ...
        s3.putObject(b -> b.bucket(bucket).key("queued/a.txt"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket(bucket).key("clips/c.mp4").contentType("video/mp4"), RequestBody.fromString("c"));
        // ... the others go straight to the remote, and fail with it.
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("clips/notes.txt").contentType("text/plain"),
                RequestBody.fromString("n"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isGreaterThanOrEqualTo(500));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("queued/tmp/scratch"),
                RequestBody.fromString("t"))).as("excluded by !fq-*/queued/tmp/")
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isGreaterThanOrEqualTo(500));
        assertThat(admin.queue(bucket, "").getList("items.key", String.class))
                .containsExactlyInAnyOrder("queued/a.txt", "clips/c.mp4");

        remote.link().restore();
        admin.flushed(bucket, Duration.ofSeconds(60));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("clips/c.mp4")).asUtf8String()).isEqualTo("c");
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("queued/a.txt")).asUtf8String()).isEqualTo("a");
    }

    @Test
    void anObjectTaggedUploadFalseIsHeldUntilItsTagsAllowIt() {
        String bucket = "fh-held";
        direct.createBucket(b -> b.bucket(bucket));

        // Not selected by the queue filter: the tag alone keeps it in the queue, local.
        s3.putObject(b -> b.bucket(bucket).key("draft.bin").tagging("s3d.upload=false"), RequestBody.fromString("d"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath q = admin.queue(bucket, "");
            assertThat(q.getString("items[0].state")).isEqualTo("held");
            assertThat(q.getString("items[0].error")).startsWith("Held: tagged s3d.upload=false");
        });
        assertThat(admin.objectStatus(bucket, "draft.bin").getString("state")).isEqualTo("held");
        assertThat(admin.status().getLong("writeQueue.held")).isGreaterThanOrEqualTo(1);
        assertThat(admin.flush(bucket, Duration.ofSeconds(5)).status()).as("a held key is not flushed").isEqualTo(409);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("draft.bin")).asUtf8String()).isEqualTo("d");
        assertThatThrownBy(() -> direct.headObject(b -> b.bucket(bucket).key("draft.bin")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));

        // Its tags changed through s3d: looked at again, and pushed (S3Proxy takes objects without tags).
        s3.putObjectTagging(b -> b.bucket(bucket).key("draft.bin").tagging(t -> t.tagSet(List.<Tag>of())));
        admin.flushed(bucket, Duration.ofSeconds(60));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("draft.bin")).asUtf8String()).isEqualTo("d");
    }

    @Test
    void anObjectRetaggedUploadTrueLeavesTheHold() {
        String bucket = "fh-retag";
        direct.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("a.bin").tagging("s3d.upload=false"), RequestBody.fromString("a"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "held".equals(admin.queue(bucket, "").getString("items[0].state")));

        s3.putObjectTagging(b -> b.bucket(bucket).key("a.bin").tagging(t -> t.tagSet(
                Tag.builder().key("s3d.upload").value("true").build())));

        // Pushed with its tag, which S3Proxy refuses (no object tagging): parked with the remote's error.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath q = admin.queue(bucket, "");
            assertThat(q.getString("items[0].state")).isEqualTo("parked");
            assertThat(q.getString("items[0].error")).contains("NotImplemented");
        });
    }

    @Test
    void theFilterFileChoosesWhatIsCachedAndAReloadChangesIt() throws Exception {
        String bucket = "fc-reload";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("cached/a"), RequestBody.fromString("a"));
        direct.putObject(b -> b.bucket(bucket).key("other/b"), RequestBody.fromString("b"));

        assertThat(cacheOf(bucket, "cached/a")).isEqualTo("miss");
        assertThat(cacheOf(bucket, "cached/a")).isEqualTo("hit");
        assertThat(cacheOf(bucket, "other/b")).isEqualTo("bypass");
        assertThat(cacheOf(bucket, "other/b")).isEqualTo("bypass");

        double ok = reloads("ok");
        Files.writeString(filterFile, "cache: fc-*/other/\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> reloads("ok") > ok);
        assertThat(cacheOf(bucket, "other/b")).isEqualTo("miss");
        assertThat(cacheOf(bucket, "other/b")).isEqualTo("hit");
        assertThat(s3d.log()).contains("filter file " + filterFile + " reloaded");

        double failed = reloads("failed");
        Files.writeString(filterFile, "cache: fc-*/other/[tag:\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> reloads("failed") > failed);
        assertThat(s3d.log()).contains("not reloaded, the rules loaded before stay in force")
                .contains("column 17: expected a tag name");
        direct.putObject(b -> b.bucket(bucket).key("other/c"), RequestBody.fromString("c"));
        assertThat(cacheOf(bucket, "other/c")).as("the old rules still apply").isEqualTo("miss");
        Files.writeString(filterFile, "cache: fc-*/cached/\n");
    }

    @Test
    void openPolicyAgentAuthorizesRequestsAndDecidesCaching() {
        String bucket = "fo-policy";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("secret/plan"), RequestBody.fromString("s"));
        direct.putObject(b -> b.bucket(bucket).key("opa-nocache/x"), RequestBody.fromString("x"));

        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("secret/plan")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("secret/new"), RequestBody.fromString("n")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        assertThat(cacheOf(bucket, "opa-nocache/x")).isEqualTo("bypass");
        assertThat(metric("s3d_opa_decisions_total\\{purpose=\"access\",result=\"deny\"}")).isGreaterThanOrEqualTo(2);
    }

    private static String cacheOf(String bucket, String key) {
        var r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        GetObjectResponse response = r.response();
        return response.sdkHttpResponse().firstMatchingHeader("x-s3d-cache").orElse(null);
    }

    private static double reloads(String result) {
        return metric("s3d_filter_reloads_total\\{result=\"" + result + "\"}");
    }

    private static double metric(String nameAndLabels) {
        String body = admin.get("/q/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + nameAndLabels + " ([0-9.eE+-]+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
