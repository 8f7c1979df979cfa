package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.s3d.bench.wan.CutMode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The write queue when the remote misbehaves in ways a cut link does not show: another client
 * writing a key between s3d's acknowledgement and its push, a remote that answers one key with
 * 500 every time. The remote is S3Proxy behind the WAN emulator and a {@link FaultProxy} that
 * injects the faults per request.
 */
class WriteQueueFaultsIT {
    private static final Duration FLUSH = Duration.ofSeconds(60);

    @TempDir
    static Path localDir;

    private static RemoteS3 remote;
    private static FaultProxy faults;
    private static ServiceProcess s3d;
    private static S3Client s3;
    private static S3Client direct;
    private static S3dAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        faults = FaultProxy.start(remote.linkEndpoint());
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3_ENDPOINT", faults.uri().toString());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_WRITE_QUEUE_MAX_FILES", "1000");
        env.put("S3D_WRITE_QUEUE_MAX_ATTEMPTS", "3");
        env.put("S3D_WRITE_QUEUE_PARK_AFTER", "0s");
        // Short, so a key that never reaches the remote would block every write within the test.
        env.put("S3D_WRITE_QUEUE_MAX_AGE", "5s");
        s3d = ServiceProcess.start(localDir, env);
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
        if (faults != null) {
            faults.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
        remote.link().restore();
    }

    @Test
    void conditionalWritesGoStraightToTheRemoteWhichDecidesThemAgainstOtherWriters() throws Exception {
        // Through the S3 front a conditional write is not queued (backend.StraightThrough): only the
        // remote can decide it against other clients' writes at the moment of the write, so another
        // writer's newer version is never overwritten by a push made later. (Writes that s3d's own
        // sync and FUSE make with a condition are queued and pushed with it: WriteQueueTest.)
        String bucket = "wq-conditional";
        direct.createBucket(b -> b.bucket(bucket));

        // If-None-Match: * — another client created the object first: the remote refuses ours.
        direct.putObject(b -> b.bucket(bucket).key("new.txt"), RequestBody.fromString("theirs"));
        assertS3Error(() -> s3.putObject(b -> b.bucket(bucket).key("new.txt").ifNoneMatch("*"),
                RequestBody.fromString("ours")), 412, "PreconditionFailed");
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("new.txt")).asUtf8String()).isEqualTo("theirs");

        // If-Match: the version our client saw was replaced by another client: refused, theirs kept.
        direct.putObject(b -> b.bucket(bucket).key("doc.txt"), RequestBody.fromString("v1"));
        String v1 = direct.headObject(b -> b.bucket(bucket).key("doc.txt")).eTag();
        direct.putObject(b -> b.bucket(bucket).key("doc.txt"), RequestBody.fromString("theirs v2"));
        assertS3Error(() -> s3.putObject(b -> b.bucket(bucket).key("doc.txt").ifMatch(v1),
                RequestBody.fromString("ours v2")), 412, "PreconditionFailed");
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("doc.txt")).asUtf8String())
                .isEqualTo("theirs v2");

        // Without a competing writer, conditional writes (one checked against the other) land on the
        // remote before they are answered, and nothing of them waits in the queue.
        var first = s3.putObject(b -> b.bucket(bucket).key("chain.txt").ifNoneMatch("*"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket(bucket).key("chain.txt").ifMatch(first.eTag()), RequestBody.fromString("b"));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("chain.txt")).asUtf8String()).isEqualTo("b");
        assertThat(admin.queue(bucket, "").getList("items")).isEmpty();
    }

    @Test
    void writesToABucketTheReachableRemoteDoesNotHaveAnswerNoSuchBucket() throws Exception {
        String bucket = "wq-no-such-bucket";
        assertS3Error(() -> s3.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a")), 404,
                "NoSuchBucket");
        assertS3Error(() -> s3.deleteObject(b -> b.bucket(bucket).key("a.txt")), 404, "NoSuchBucket");
        assertS3Error(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key("big.bin")), 404, "NoSuchBucket");
        assertThat(admin.queue(bucket, "").getList("items")).isEmpty();

        // Another client creates the bucket: s3d asks again and takes writes within seconds.
        direct.createBucket(b -> b.bucket(bucket));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(s3.putObject(
                b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a")).eTag()).isNotNull());
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("a.txt")).asUtf8String()).isEqualTo("a");

        // A bucket created and deleted through s3d is known at once.
        s3.createBucket(b -> b.bucket("wq-made-here"));
        s3.putObject(b -> b.bucket("wq-made-here").key("x"), RequestBody.fromString("x"));
        admin.flushed("wq-made-here", FLUSH);
        s3.deleteObject(b -> b.bucket("wq-made-here").key("x"));
        admin.flushed("wq-made-here", FLUSH);
        s3.deleteBucket(b -> b.bucket("wq-made-here"));
        assertS3Error(() -> s3.putObject(b -> b.bucket("wq-made-here").key("x"), RequestBody.fromString("x")), 404,
                "NoSuchBucket");
    }

    @Test
    void aDeleteInABucketWithAnInvalidNameIsRefusedAsAPutIsEvenWithTheRemoteAway() throws Exception {
        remote.link().cut(CutMode.RESET);
        HttpClient http = HttpClient.newHttpClient();
        for (String method : List.of("DELETE", "PUT")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                    + "/Not_A_Bucket/key.txt")).method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(method + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("<Code>InvalidBucketName</Code>");
        }
        assertThat(admin.queue("Not_A_Bucket", "").getList("items")).isEmpty();
    }

    @Test
    void twoPutsOfOneKeyNeverWaitForEachOthersBodiesAndTheLastToCompleteWins() throws Exception {
        String bucket = "wq-concurrent";
        direct.createBucket(b -> b.bucket(bucket));
        byte[] slow = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(slow);
        byte[] quick = "the quick writer".getBytes(StandardCharsets.UTF_8);
        URI endpoint = URI.create(s3d.endpoint());
        try (Socket first = new Socket(endpoint.getHost(), endpoint.getPort())) {
            first.setSoTimeout(30_000);
            OutputStream out = first.getOutputStream();
            out.write(putHead("/" + bucket + "/shared.bin", slow.length, endpoint));
            out.write(slow, 0, slow.length / 2);
            out.flush();
            Thread.sleep(500); // s3d is now streaming the first body

            // The second PUT starts while the first body streams, and completes before it.
            long started = System.nanoTime();
            try (Socket second = new Socket(endpoint.getHost(), endpoint.getPort())) {
                second.setSoTimeout(10_000);
                second.getOutputStream().write(putHead("/" + bucket + "/shared.bin", quick.length, endpoint));
                second.getOutputStream().write(quick);
                second.getOutputStream().flush();
                assertThat(statusLine(second.getInputStream())).startsWith("HTTP/1.1 200");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("shared.bin")).asByteArray()).isEqualTo(quick);

            out.write(slow, slow.length / 2, slow.length - slow.length / 2);
            out.flush();
            assertThat(statusLine(first.getInputStream())).startsWith("HTTP/1.1 200");
        }
        // The first PUT completed last: it is the object, here and on the remote.
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("shared.bin")).asByteArray()).isEqualTo(slow);
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("shared.bin")).asByteArray()).isEqualTo(slow);
    }

    private static byte[] putHead(String path, long length, URI endpoint) {
        return ("PUT " + path + " HTTP/1.1\r\nHost: " + endpoint.getAuthority() + "\r\nContent-Length: " + length
                + "\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String statusLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    private static void assertS3Error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status,
            String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).as(e.toString()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }

    @Test
    void aKeyTheRemoteAlwaysAnswersWith500IsParkedAfterItsAttemptsAndTheRestFlows() throws Exception {
        String bucket = "wq-always-500";
        direct.createBucket(b -> b.bucket(bucket));
        faults.fail("^PUT /" + bucket + "/broken\\.bin[ ?]", 500, "InternalError");

        s3.putObject(b -> b.bucket(bucket).key("broken.bin"), RequestBody.fromString("the remote never takes this"));
        for (int i = 0; i < 5; i++) {
            String key = "fine-" + i;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Map<String, Object>> parked = admin.queue(bucket, "&state=parked").getList("items");
            assertThat(parked).singleElement().satisfies(item -> {
                assertThat(item).containsEntry("key", "broken.bin").containsEntry("state", "parked");
                assertThat((String) item.get("error")).startsWith("InternalError")
                        .contains("parked after 3 failed attempts");
            });
        });
        assertThat(faults.injected()).isGreaterThanOrEqualTo(3);
        for (int i = 0; i < 5; i++) {
            String key = "fine-" + i;
            await().atMost(FLUSH).untilAsserted(() -> assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket)
                    .key(key)).asUtf8String()).isEqualTo(key));
        }
        // flush answers at once that one item is parked (409), instead of waiting into a 504.
        S3dAdmin.Answer flush = admin.flush(bucket, Duration.ofSeconds(20));
        assertThat(flush.status()).as(flush.body()).isEqualTo(409);
        assertThat(flush.json().getLong("parked")).isEqualTo(1);
        JsonPath status = admin.status();
        assertThat(status.getLong("writeQueue.buckets.'" + bucket + "'.parked")).isEqualTo(1);
        assertThat(s3d.log()).contains("push of " + bucket + "/broken.bin parked");

        // Past max-age (5 s here) the parked item does not make the queue refuse writes.
        Thread.sleep(6000);
        s3.putObject(b -> b.bucket(bucket).key("later.txt"), RequestBody.fromString("still accepted"));

        // Once the remote takes it again, retry pushes it.
        faults.clear();
        S3dAdmin.Answer retry = admin.retry(bucket);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);
        assertThat(retry.json().getInt("retried")).isEqualTo(1);
        admin.flushed(bucket, FLUSH);
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("broken.bin")).asUtf8String())
                .isEqualTo("the remote never takes this");
    }
}
