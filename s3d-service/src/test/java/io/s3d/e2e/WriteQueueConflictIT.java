package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A queued conditional write whose condition no longer holds when it is pushed: the sync folder
 * uploads a new file (If-None-Match: *), s3d acknowledges it into the write queue, the remote keeps
 * refusing the push (a {@link FaultProxy} answers 503) until another client has created the key on
 * the remote directly. The push then made with the condition is refused by the remote (412), and
 * the item is parked with an error that says so; the other client's object is kept.
 */
class WriteQueueConflictIT {
    private static final String BUCKET = "wq-conflict";

    @TempDir
    static Path work;

    private static RemoteS3 remote;
    private static FaultProxy faults;
    private static ServiceProcess s3d;
    private static S3Client direct;
    private static S3dAdmin admin;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        direct = remote.directClient();
        direct.createBucket(b -> b.bucket(BUCKET));
        faults = FaultProxy.start(remote.linkEndpoint());
        // Every push of the file fails until the other client has written the key.
        faults.fail("^PUT /" + BUCKET + "/report\\.txt[ ?]", 503, "SlowDown");

        Path folder = Files.createDirectories(work.resolve("folder"));
        Files.writeString(folder.resolve("report.txt"), "ours");
        Path properties = work.resolve("sync.properties");
        String k = "s3d.sync.folders.\"conflict\".";
        // One pass, at start: the test alone decides what happens afterwards.
        Files.writeString(properties, String.join("\n", k + "local-dir=" + folder, k + "bucket=" + BUCKET,
                k + "direction=upload-only", k + "interval=1h", ""));
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3_ENDPOINT", faults.uri().toString());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_WRITE_QUEUE_MAX_FILES", "1000");
        env.put("S3D_WRITE_QUEUE_MAX_ATTEMPTS", "2");
        env.put("S3D_WRITE_QUEUE_PARK_AFTER", "0s");
        env.put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        s3d = ServiceProcess.start(work.resolve("store"), env);
        admin = new S3dAdmin(s3d.endpoint());
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3d != null) {
            s3d.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (faults != null) {
            faults.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void aConditionalWriteOvertakenOnTheRemoteIsParkedWithAClearErrorAndTheirVersionIsKept() throws Exception {
        // The sync pass's upload is acknowledged into the queue; its pushes fail until parked.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(parked()).singleElement()
                .satisfies(item -> assertThat((String) item.get("error")).startsWith("SlowDown")));
        assertThat(faults.injected()).isGreaterThanOrEqualTo(2);

        // Another client creates the key on the remote meanwhile; then the remote takes pushes again.
        direct.putObject(b -> b.bucket(BUCKET).key("report.txt"), RequestBody.fromString("theirs"));
        faults.clear();
        S3dAdmin.Answer retry = admin.retry(BUCKET);
        assertThat(retry.status()).as(retry.body()).isEqualTo(200);

        // The push carries If-None-Match: * and the remote refuses it: parked, with the reason.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(parked()).singleElement()
                .satisfies(item -> {
                    assertThat(item).containsEntry("key", "report.txt").containsEntry("state", "parked");
                    assertThat((String) item.get("error")).startsWith("PreconditionFailed: the object on the "
                            + "remote changed after s3d acknowledged this conditional write (If-None-Match: *)")
                            .contains("the other writer's version is kept");
                }));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("report.txt")).asUtf8String())
                .isEqualTo("theirs");
        assertThat(s3d.log()).contains("push of " + BUCKET + "/report.txt parked: the remote answered "
                + "PreconditionFailed: the object on the remote changed");

        // Retrying does not change the answer: the other writer's object is never overwritten.
        admin.retry(BUCKET);
        Thread.sleep(3000);
        assertThat(parked()).singleElement().satisfies(item -> assertThat((String) item.get("error"))
                .startsWith("PreconditionFailed"));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(BUCKET).key("report.txt")).asUtf8String())
                .isEqualTo("theirs");
    }

    private static List<Map<String, Object>> parked() {
        return admin.queue(BUCKET, "&state=parked").getList("items");
    }
}
