package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.s3d.bench.wan.CutMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Gateway mode with the write queue: the packaged s3d in front of a real S3 server (S3Proxy) across
 * an emulated link that the tests cut, slow down and restore. A write is acknowledged once it is in
 * the queue on local disk, reads see it at once, and the remote ends up with exactly what clients
 * wrote last (checked with a client talking to the remote directly, not through s3d). Every test
 * works in a bucket of its own and flushes only that bucket.
 *
 * <p>S3Proxy has no object tagging (it answers 501 NotImplemented to {@code x-amz-tagging} and
 * {@code ?tagging}), so tags cannot be checked on the remote here: objects that must arrive carry
 * none, and {@link #aRemoteWithoutTaggingParksTaggedWrites} covers what s3d does with tags the
 * remote refuses.
 */
class WriteQueueIT {
    private static final int MIB = 1024 * 1024;
    private static final Duration FLUSH = Duration.ofSeconds(120);

    @TempDir
    static Path localDir;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client s3;
    private static S3Client direct;
    private static S3dAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        s3d = ServiceProcess.start(localDir, queueEnv(Map.of("S3D_WRITE_QUEUE_MAX_FILES", "1000")));
        s3 = S3dAdmin.client(s3d.endpoint());
        direct = remote.directClient();
        admin = new S3dAdmin(s3d.endpoint());
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
    }

    /** A test that fails half-way must not leave the next one a cut or slow link. */
    @AfterEach
    void healLink() {
        remote.link().restore();
        remote.link().bandwidth(0, 0).latency(Duration.ZERO, Duration.ZERO);
    }

    private static Map<String, String> queueEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.putAll(extra);
        return env;
    }

    @Test
    void readsSeeQueuedWritesBeforeTheyReachTheRemote() throws Exception {
        String bucket = "wq-read-your-writes";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("old/gone.txt"), RequestBody.fromString("only on the remote"));
        byte[] body = random(512 * 1024, 1);

        remote.link().cut(CutMode.RESET);
        // No tags: S3Proxy, the remote here, has no object tagging (see aRemoteWithoutTaggingParksTaggedWrites).
        var put = s3.putObject(b -> b.bucket(bucket).key("docs/report.bin").contentType("application/x-report")
                .metadata(Map.of("author", "ada", "rev", "7")), RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo(quotedMd5(body));
        s3.deleteObject(b -> b.bucket(bucket).key("old/gone.txt"));

        // With the remote out of reach, the queued state is what GET and HEAD answer.
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("docs/report.bin"));
        assertThat(got.asByteArray()).isEqualTo(body);
        assertThat(got.response().contentType()).isEqualTo("application/x-report");
        assertThat(got.response().metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("author", "ada", "rev", "7"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("docs/report.bin"));
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.contentType()).isEqualTo("application/x-report");
        assertThat(head.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("author", "ada", "rev", "7"));
        assertS3Error(() -> s3.getObject(b -> b.bucket(bucket).key("old/gone.txt")), 404, "NoSuchKey");
        assertS3Error(() -> s3.headObject(b -> b.bucket(bucket).key("old/gone.txt")), 404, null);
        JsonPath status = admin.objectStatus(bucket, "docs/report.bin");
        assertThat(status.getString("state")).isEqualTo("pending");
        assertThat(status.getBoolean("exists")).isTrue();
        assertThat(status.getLong("size")).isEqualTo(body.length);
        assertThat(admin.objectStatus(bucket, "old/gone.txt").getString("state")).isEqualTo("pending");
        // A listing is the remote's page merged with the queue: without the remote there is no page
        // to merge, so LIST answers 503 (the client retries) rather than a listing that could miss keys.
        assertS3Error(() -> s3.listObjectsV2(b -> b.bucket(bucket)), 503, null);

        // The link comes back so slow that the 512 KiB push takes ~16 s: LIST now gets the remote's
        // page, which does not have the object yet, and must still show the queued state.
        remote.link().bandwidth(32 * 1024, 0);
        remote.link().restore();
        ListObjectsV2Response list = s3.listObjectsV2(b -> b.bucket(bucket));
        assertThat(list.contents()).extracting(S3Object::key).containsExactly("docs/report.bin");
        assertThat(list.contents().getFirst().size()).isEqualTo(body.length);
        assertThat(list.contents().getFirst().eTag()).isEqualTo(put.eTag());
        assertS3Error(() -> direct.headObject(b -> b.bucket(bucket).key("docs/report.bin")), 404, null);

        remote.link().bandwidth(0, 0);
        admin.flushed(bucket, FLUSH);
        ResponseBytes<GetObjectResponse> onRemote = direct.getObjectAsBytes(b -> b.bucket(bucket)
                .key("docs/report.bin"));
        assertThat(onRemote.asByteArray()).isEqualTo(body);
        assertThat(onRemote.response().eTag()).isEqualTo(put.eTag());
        assertThat(onRemote.response().contentType()).isEqualTo("application/x-report");
        assertThat(onRemote.response().metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("author", "ada", "rev", "7"));
        assertS3Error(() -> direct.headObject(b -> b.bucket(bucket).key("old/gone.txt")), 404, null);
        assertThat(admin.objectStatus(bucket, "docs/report.bin").getString("state")).isEqualTo("pushed");
        assertThat(admin.objectStatus(bucket, "old/gone.txt").getString("state")).isEqualTo("absent");
    }

    @Test
    void everyWriteAcknowledgedDuringAThirtySecondOutageArrivesIntact() throws Exception {
        String bucket = "wq-outage";
        direct.createBucket(b -> b.bucket(bucket));
        int count = 500;
        Map<String, String> sha = new ConcurrentHashMap<>();
        long cutAt = System.nanoTime();
        remote.link().cut(CutMode.RESET);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                writes.add(writers.submit(() -> {
                    String key = "batch/" + String.format("%04d", n);
                    byte[] data = random(outageSize(n), 1000 + n);
                    var put = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
                    assertThat(put.eTag()).isEqualTo(quotedMd5(data));
                    sha.put(key, sha256(data));
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
        assertThat(remote.link().isCut()).as("all writes were acknowledged while the remote was cut off").isTrue();
        assertThat(sha).hasSize(count);

        JsonPath status = admin.status();
        assertThat(status.getLong("writeQueue.buckets.'wq-outage'.items")).isEqualTo(count);
        assertThat(status.getBoolean("remote.reachable")).isFalse();
        for (int n : new int[] {0, 7, 242, 442, 499}) {
            String key = "batch/" + String.format("%04d", n);
            assertThat(sha256(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()))
                    .isEqualTo(sha.get(key));
        }
        // The outage lasts 30 s; all along the queue keeps every write and the pushers keep trying.
        Duration rest = Duration.ofSeconds(30).minusNanos(System.nanoTime() - cutAt);
        if (rest.isPositive()) {
            await().pollInterval(Duration.ofSeconds(1)).during(rest).atMost(rest.plusSeconds(10))
                    .until(() -> admin.queue(bucket, "").getList("items").size() == count);
        }
        assertThat(admin.status().getLong("writeQueue.failures")).as("pushes failed during the outage").isPositive();
        assertThat(direct.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();

        remote.link().restore();
        admin.flushed(bucket, FLUSH);
        Map<String, String> arrived = new HashMap<>();
        String token = null;
        do {
            String page = token;
            ListObjectsV2Response listing = direct.listObjectsV2(b -> b.bucket(bucket).continuationToken(page));
            for (S3Object o : listing.contents()) {
                arrived.put(o.key(), sha256(direct.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray()));
            }
            token = listing.nextContinuationToken();
        } while (token != null);
        assertThat(arrived).isEqualTo(sha);
        assertThat(admin.queue(bucket, "").getList("items")).isEmpty();
    }

    /** Small objects of many sizes (some empty), and five of 1 to 5 MiB. */
    private static int outageSize(int n) {
        if (n % 100 == 42) {
            return (1 + n / 100) * MIB + n;
        }
        return n % 50 == 0 ? 0 : new Random(n).nextInt(64 * 1024);
    }

    @Test
    void theRemoteGetsEachKeysLastWrite() throws Exception {
        String bucket = "wq-last-write";
        direct.createBucket(b -> b.bucket(bucket));
        for (String key : List.of("lww-0", "gone-0", "gone-1", "gone-2")) {
            direct.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("original on the remote"));
        }
        remote.link().cut(CutMode.RESET);
        Map<String, byte[]> v3 = new HashMap<>();
        for (int k = 0; k < 4; k++) {
            String key = "lww-" + k;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key + " v1"));
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(random(70_000 + k, 20 + k)));
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            byte[] last = random(1000 * (k + 1), 30 + k);
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/v3"), RequestBody.fromBytes(last));
            v3.put(key, last);
        }
        for (int d = 0; d < 5; d++) {
            String key = "gone-" + d;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key + " written through s3d"));
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
        for (var e : v3.entrySet()) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey())).asByteArray()).isEqualTo(e.getValue());
        }
        for (int d = 0; d < 5; d++) {
            String key = "gone-" + d;
            assertS3Error(() -> s3.getObject(b -> b.bucket(bucket).key(key)), 404, "NoSuchKey");
        }

        remote.link().restore();
        admin.flushed(bucket, FLUSH);
        for (var e : v3.entrySet()) {
            ResponseBytes<GetObjectResponse> onRemote = direct.getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey()));
            assertThat(onRemote.asByteArray()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(onRemote.response().contentType()).isEqualTo("text/v3");
        }
        assertThat(direct.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactlyInAnyOrder("lww-0", "lww-1", "lww-2", "lww-3");

        // Writing the bytes a key already had is a write like any other: it reaches the remote again.
        byte[] same = "the same bytes, twice".getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(bucket).key("again"), RequestBody.fromBytes(same));
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("again")).asByteArray()).isEqualTo(same);
        direct.deleteObject(b -> b.bucket(bucket).key("again"));
        assertS3Error(() -> s3.getObject(b -> b.bucket(bucket).key("again")), 404, "NoSuchKey");
        s3.putObject(b -> b.bucket(bucket).key("again"), RequestBody.fromBytes(same));
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("again")).asByteArray()).isEqualTo(same);
    }

    @Test
    void aFailedPutLeavesThePreviousObject() throws Exception {
        String bucket = "wq-failed-put";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] pushed = random(200 * 1024, 41);
        s3.putObject(b -> b.bucket(bucket).key("pushed.bin"), RequestBody.fromBytes(pushed));
        admin.flushed(bucket, FLUSH);
        // One key whose previous version is on the remote, failed writes with the link up ...
        failedPuts(bucket, "pushed.bin");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("pushed.bin")).asByteArray()).isEqualTo(pushed));
        assertThat(admin.objectStatus(bucket, "pushed.bin").getString("state")).isEqualTo("pushed");

        // ... and one whose previous version is still queued, failed writes with the link cut.
        remote.link().cut(CutMode.RESET);
        byte[] queued = random(300 * 1024, 42);
        assertThat(rawPut("/" + bucket + "/queued.bin", queued, queued.length)).startsWith("HTTP/1.1 200");
        failedPuts(bucket, "queued.bin");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("queued.bin")).asByteArray()).isEqualTo(queued));
        assertThat(admin.queue(bucket, "").getList("items")).hasSize(1);

        remote.link().restore();
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("pushed.bin")).asByteArray()).isEqualTo(pushed);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("queued.bin")).asByteArray()).isEqualTo(queued);
        assertThat(direct.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isEqualTo(2);
        assertThat(admin.queue(bucket, "").getList("items")).isEmpty();
    }

    /** A PUT with a wrong Content-MD5, and one whose client goes away after 100 KiB of a 1 MiB body. */
    private static void failedPuts(String bucket, String key) throws IOException {
        byte[] other = random(64 * 1024, 43);
        String wrongMd5 = Base64.getEncoder().encodeToString(md5(random(10, 44)));
        assertS3Error(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentMD5(wrongMd5),
                RequestBody.fromBytes(other)), 400, "BadDigest");
        assertThat(rawPut("/" + bucket + "/" + key, random(100 * 1024, 45), MIB)).isNull();
    }

    @Test
    void aFullQueueMakesWritesWaitThenAnswersSlowDown() throws Exception {
        String quick = "wq-full-quick";
        String patient = "wq-full-patient";
        direct.createBucket(b -> b.bucket(quick));
        direct.createBucket(b -> b.bucket(patient));
        Map<String, String> limits = Map.of("S3D_WRITE_QUEUE_MAX_SIZE", "1M");
        byte[] quarter = random(256 * 1024, 50);
        try (ServiceProcess shortWait = ServiceProcess.start(localDir.resolve("quick"),
                queueEnv(with(limits, "S3D_WRITE_QUEUE_ADMISSION_WAIT", "2s")));
             ServiceProcess longWait = ServiceProcess.start(localDir.resolve("patient"),
                     queueEnv(with(limits, "S3D_WRITE_QUEUE_ADMISSION_WAIT", "20s")));
             S3Client quickClient = S3dAdmin.client(shortWait.endpoint());
             S3Client patientClient = S3dAdmin.client(longWait.endpoint())) {
            remote.link().cut(CutMode.RESET);
            for (int i = 0; i < 4; i++) {
                String key = "q" + i;
                quickClient.putObject(b -> b.bucket(quick).key(key), RequestBody.fromBytes(quarter));
                patientClient.putObject(b -> b.bucket(patient).key(key), RequestBody.fromBytes(quarter));
            }
            // 1 MiB queued: one more byte does not fit. The write waits 2 s for room, then gives up.
            long started = System.nanoTime();
            assertS3Error(() -> quickClient.putObject(b -> b.bucket(quick).key("q4"), RequestBody.fromBytes(quarter)),
                    503, "SlowDown");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1500));
            S3dAdmin quickAdmin = new S3dAdmin(shortWait.endpoint());
            assertThat(quickAdmin.status().getLong("writeQueue.rejected")).isEqualTo(1);
            assertThat(quickAdmin.queue(quick, "").getList("items.key")).containsExactly("q0", "q1", "q2", "q3");

            // Here the write may wait 20 s: the link comes back after 2 s, the queue drains, the write is taken.
            long waitStarted = System.nanoTime();
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> patientClient.putObject(
                    b -> b.bucket(patient).key("q4"), RequestBody.fromBytes(quarter)).eTag());
            Thread.sleep(2000);
            assertThat(waiting).as("a write to a full queue waits").isNotDone();
            remote.link().restore();
            assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo(quotedMd5(quarter));
            assertThat(Duration.ofNanos(System.nanoTime() - waitStarted)).isGreaterThan(Duration.ofSeconds(2));

            quickAdmin.flushed(quick, FLUSH);
            new S3dAdmin(longWait.endpoint()).flushed(patient, FLUSH);
        }
        assertThat(direct.listObjectsV2(b -> b.bucket(quick)).contents()).extracting(S3Object::key)
                .containsExactly("q0", "q1", "q2", "q3");
        assertThat(direct.listObjectsV2(b -> b.bucket(patient)).contents()).extracting(S3Object::key)
                .containsExactly("q0", "q1", "q2", "q3", "q4");
        assertThat(direct.getObjectAsBytes(b -> b.bucket(patient).key("q4")).asByteArray()).isEqualTo(quarter);
    }

    @Test
    void aFlushOutwaitsTheIdleTimeout() throws Exception {
        String bucket = "wq-long-flush";
        direct.createBucket(b -> b.bucket(bucket));
        try (ServiceProcess shortIdle = ServiceProcess.start(localDir.resolve("short-idle"),
                queueEnv(Map.of("S3D_CONNECTIONS_IDLE_TIMEOUT", "2s")));
             S3Client client = S3dAdmin.client(shortIdle.endpoint())) {
            S3dAdmin shortIdleAdmin = new S3dAdmin(shortIdle.endpoint());
            remote.link().cut(CutMode.RESET);
            client.putObject(b -> b.bucket(bucket).key("late.txt"), RequestBody.fromString("arrives after the wait"));
            // `s3d flush --timeout 10m` and the operator's preStop hook wait silently for the remote:
            // the idle timeout (2 s here) must not cut that wait.
            CompletableFuture<JsonPath> flush = CompletableFuture.supplyAsync(
                    () -> shortIdleAdmin.flushed(bucket, Duration.ofSeconds(60)));
            Thread.sleep(5000);
            assertThat(flush).as("the flush waits for the remote").isNotDone();
            remote.link().restore();
            assertThat(flush.get(60, TimeUnit.SECONDS).getLong("remaining")).isZero();
        }
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("late.txt")).asUtf8String())
                .isEqualTo("arrives after the wait");
    }

    @Test
    void aPermanentRemoteErrorParksTheKeyUntilRetried() throws Exception {
        String bucket = "wq-not-yet-on-remote";
        byte[] body = random(10_000, 60);
        // With the remote reachable, s3d answers NoSuchBucket itself (WriteQueueFaultsIT); out of reach,
        // it cannot know, acknowledges, and the remote's answer parks the write.
        remote.link().cut(CutMode.RESET);
        var put = s3.putObject(b -> b.bucket(bucket).key("orphan.bin"), RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo(quotedMd5(body));
        remote.link().restore();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> parked = admin.queue(bucket, "&state=parked").getList("items");
            assertThat(parked).singleElement().satisfies(item -> {
                assertThat(item).containsEntry("key", "orphan.bin").containsEntry("state", "parked")
                        .containsEntry("op", "PUT");
                assertThat((String) item.get("error")).contains("NoSuchBucket");
            });
        });
        JsonPath status = admin.status();
        assertThat(status.getLong("writeQueue.parked")).isGreaterThanOrEqualTo(1);
        assertThat(status.getLong("writeQueue.buckets.'wq-not-yet-on-remote'.parked")).isEqualTo(1);
        assertThat(admin.objectStatus(bucket, "orphan.bin").getString("state")).isEqualTo("parked");
        // Parked is still acknowledged: reads keep answering the queued object.
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("orphan.bin")).asByteArray()).isEqualTo(body);
        S3dAdmin.Answer flush = admin.flush(bucket, Duration.ofSeconds(10));
        assertThat(flush.status()).as(flush.body()).isEqualTo(409);
        assertThat(flush.json().getBoolean("flushed")).isFalse();
        assertThat(flush.json().getLong("parked")).isEqualTo(1);

        direct.createBucket(b -> b.bucket(bucket));
        S3dAdmin.Answer retry = admin.retry(bucket);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().getInt("retried")).isEqualTo(1);
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("orphan.bin")).asByteArray()).isEqualTo(body);
        assertThat(admin.objectStatus(bucket, "orphan.bin").getString("state")).isEqualTo("pushed");
        assertThat(admin.queue(bucket, "&state=parked").getList("items")).isEmpty();
    }

    @Test
    void aRemoteWithoutTaggingParksTaggedWrites() throws Exception {
        // S3Proxy has no object tagging: a push with x-amz-tagging is answered 501 NotImplemented, and
        // will be every time. s3d keeps the tags it acknowledged visible, parks the key with the
        // remote's answer, and a new write to the key gives it a new chance.
        String bucket = "wq-tags-unsupported";
        direct.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("tagged.txt").tagging("team=ops&tier=gold"),
                RequestBody.fromString("tagged v1"));
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("tagged.txt")).tagSet())
                .extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("team", "ops"),
                        org.assertj.core.groups.Tuple.tuple("tier", "gold"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<Map<String, Object>> parked = admin.queue(bucket, "&state=parked").getList("items");
            assertThat(parked).singleElement().satisfies(item -> {
                assertThat(item).containsEntry("key", "tagged.txt");
                assertThat((String) item.get("error")).startsWith("NotImplemented");
            });
        });
        assertThat(admin.flush(bucket, Duration.ofSeconds(10)).status()).isEqualTo(409);

        s3.putObject(b -> b.bucket(bucket).key("tagged.txt"), RequestBody.fromString("untagged v2"));
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("tagged.txt")).asUtf8String())
                .isEqualTo("untagged v2");
        assertThat(admin.queue(bucket, "").getList("items")).isEmpty();
    }

    @Test
    void multipartUploadsAndCopiesGoThroughTheQueue() throws Exception {
        String bucket = "wq-multipart";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] onlyRemote = random(100_000, 70);
        direct.putObject(b -> b.bucket(bucket).key("remote-src.bin").contentType("application/x-src")
                .metadata(Map.of("origin", "remote")), RequestBody.fromBytes(onlyRemote));

        remote.link().cut(CutMode.RESET);
        // 3 parts of 5 MiB: below the 16 MiB multipart threshold, so the pusher sends one PUT.
        byte[] assembled = random(15 * MIB, 71);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("assembled.bin")
                .contentType("application/x-assembled").metadata(Map.of("parts", "3"))).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
            int number = p;
            byte[] part = java.util.Arrays.copyOfRange(assembled, (p - 1) * 5 * MIB, p * 5 * MIB);
            String etag = s3.uploadPart(b -> b.bucket(bucket).key("assembled.bin").uploadId(uploadId)
                    .partNumber(number), RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        String assembledEtag = s3.completeMultipartUpload(b -> b.bucket(bucket).key("assembled.bin")
                .uploadId(uploadId).multipartUpload(m -> m.parts(parts))).eTag();
        // 20 MiB: above the threshold, the pusher uploads it in 8 MiB parts.
        byte[] large = random(20 * MIB, 72);
        s3.putObject(b -> b.bucket(bucket).key("large.bin").contentType("application/x-large")
                .metadata(Map.of("size", "20M")), RequestBody.fromBytes(large));
        // A copy of a queued object, made while the remote is away.
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("assembled.bin").destinationBucket(bucket)
                .destinationKey("copy-of-assembled.bin"));
        assertThat(sha256(s3.getObjectAsBytes(b -> b.bucket(bucket).key("assembled.bin")).asByteArray()))
                .isEqualTo(sha256(assembled));
        assertThat(sha256(s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy-of-assembled.bin")).asByteArray()))
                .isEqualTo(sha256(assembled));

        remote.link().restore();
        // A copy of an object only the remote has, into the queue, with the default tagging directive
        // COPY: s3d asks the remote for the source's tags, which S3Proxy cannot give (501): no tags.
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("remote-src.bin").destinationBucket(bucket)
                .destinationKey("copy-of-remote.bin"));
        admin.flushed(bucket, FLUSH);

        ResponseBytes<GetObjectResponse> a = direct.getObjectAsBytes(b -> b.bucket(bucket).key("assembled.bin"));
        assertThat(sha256(a.asByteArray())).isEqualTo(sha256(assembled));
        assertThat(a.response().contentType()).isEqualTo("application/x-assembled");
        assertThat(a.response().metadata()).containsEntry("parts", "3");
        // The SDK sends a CRC32 with every part: the object is pushed in the same parts with their
        // checksums, so the remote has the multipart ETag (and composite checksum) the client was given.
        assertThat(a.response().eTag()).as("pushed in the client's parts").isEqualTo(assembledEtag)
                .endsWith("-3\"");
        ResponseBytes<GetObjectResponse> c = direct.getObjectAsBytes(b -> b.bucket(bucket).key("copy-of-assembled.bin"));
        assertThat(sha256(c.asByteArray())).isEqualTo(sha256(assembled));
        assertThat(c.response().contentType()).isEqualTo("application/x-assembled");
        assertThat(c.response().metadata()).containsEntry("parts", "3");
        ResponseBytes<GetObjectResponse> l = direct.getObjectAsBytes(b -> b.bucket(bucket).key("large.bin"));
        assertThat(sha256(l.asByteArray())).isEqualTo(sha256(large));
        assertThat(l.response().contentType()).isEqualTo("application/x-large");
        assertThat(l.response().metadata()).containsEntry("size", "20M");
        assertThat(l.response().eTag()).as("pushed by multipart upload, 3 parts").endsWith("-3\"");
        ResponseBytes<GetObjectResponse> r = direct.getObjectAsBytes(b -> b.bucket(bucket).key("copy-of-remote.bin"));
        assertThat(r.asByteArray()).isEqualTo(onlyRemote);
        assertThat(r.response().contentType()).isEqualTo("application/x-src");
        assertThat(r.response().metadata()).containsEntry("origin", "remote");
    }

    // --- helpers ---

    /**
     * Sends a PUT over a raw socket: the whole body (returns the status line), or, when the body is
     * shorter than the declared length, part of it and then goes away (returns null).
     */
    private static String rawPut(String path, byte[] body, long declaredLength) throws IOException {
        URI endpoint = URI.create(s3d.endpoint());
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: " + endpoint.getAuthority() + "\r\nContent-Length: "
                    + declaredLength + "\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (body.length < declaredLength) {
                return null;
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.write(c);
            }
            return line.toString(StandardCharsets.US_ASCII).trim();
        }
    }

    private static void assertS3Error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status,
            String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).as(e.toString()).isEqualTo(status);
            if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            }
        });
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] md5(byte[] data) {
        return digest("MD5", data);
    }

    static String quotedMd5(byte[] data) {
        return "\"" + HexFormat.of().formatHex(md5(data)) + "\"";
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest("SHA-256", data));
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
