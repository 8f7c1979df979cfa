package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3d.bench.wan.CutMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The write queue across crashes and restarts of the packaged s3d: a {@code kill -9} in the middle
 * of a write storm loses no acknowledged write (the remote ends with each key's last acknowledged
 * state, or the state of the write that was in flight, never an older one, never a torn object),
 * and a queue of 10,000 items is back within seconds of a restart and drains to the remote.
 */
class WriteQueueCrashIT {
    private static RemoteS3 remote;
    private static S3Client direct;

    @TempDir
    Path localDir;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        direct = remote.directClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (direct != null) {
            direct.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @AfterEach
    void healLink() {
        remote.link().restore();
        remote.link().bandwidth(0, 0).latency(Duration.ZERO, Duration.ZERO);
    }

    private static Map<String, String> queueEnv(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_WRITE_QUEUE_MAX_FILES", "20000");
        env.putAll(extra);
        return env;
    }

    /** Version {@code v} of a key: recognisable as a whole, 12 to 60 KB so a torn copy would show. */
    private static String content(String key, int version) {
        return (key + "@" + version + ";").repeat(1000 + version % 5 * 1000);
    }

    /** Every fourth write of a key is a delete. */
    private static boolean isDelete(int version) {
        return version % 4 == 0;
    }

    @Test
    void acknowledgedWritesReachTheRemoteAfterKillDashNine() throws Exception {
        String bucket = "crash-storm";
        direct.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = queueEnv(Map.of());
        int writersCount = 8;
        int keysPerWriter = 4;
        // Per key: the last acknowledged version (a delete or a put), and the version in flight at the kill.
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        Map<String, Integer> inFlight = new ConcurrentHashMap<>();
        List<Throwable> unexpected = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        long queuedAtKill;

        // A slow link keeps the pushers behind the writers, so the kill finds a full queue.
        remote.link().latency(Duration.ofMillis(30), Duration.ofMillis(30)).bandwidth(512 * 1024, 0);
        ServiceProcess first = ServiceProcess.start(localDir, env);
        try {
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < writersCount; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    try (S3Client s3 = S3dAdmin.client(first.endpoint())) {
                        for (int version = 1; ; version++) {
                            for (int k = 0; k < keysPerWriter; k++) {
                                String key = "w" + writer + "/key-" + k;
                                int v = version;
                                inFlight.put(key, v);
                                try {
                                    if (isDelete(v)) {
                                        s3.deleteObject(b -> b.bucket(bucket).key(key));
                                    } else {
                                        s3.putObject(b -> b.bucket(bucket).key(key),
                                                RequestBody.fromString(content(key, v)));
                                    }
                                } catch (SdkClientException gone) {
                                    if (!killed.get()) {
                                        synchronized (unexpected) {
                                            unexpected.add(gone);
                                        }
                                    }
                                    return; // the daemon is gone; this write stays in flight
                                } catch (RuntimeException e) {
                                    synchronized (unexpected) {
                                        unexpected.add(e);
                                    }
                                    return;
                                }
                                acknowledged.put(key, v);
                                inFlight.remove(key);
                            }
                        }
                    }
                }));
            }
            S3dAdmin admin = new S3dAdmin(first.endpoint());
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.status().getLong("writeQueue.items") >= 200);
            Thread.sleep(ThreadLocalRandom.current().nextLong(0, 2000));
            queuedAtKill = admin.status().getLong("writeQueue.items");
            killed.set(true);
            first.kill();
            for (Thread writer : writers) {
                writer.join(30_000);
            }
        } finally {
            first.kill();
        }
        System.out.printf("killed with %d queued item(s); %d key(s) had a write in flight%n", queuedAtKill,
                inFlight.size());
        assertThat(unexpected).as("writes failed before the kill").isEmpty();
        assertThat(queuedAtKill).as("items queued when s3d was killed").isPositive();
        assertThat(acknowledged).hasSize(writersCount * keysPerWriter);

        remote.link().bandwidth(0, 0).latency(Duration.ZERO, Duration.ZERO);
        try (ServiceProcess second = ServiceProcess.start(localDir, env)) {
            new S3dAdmin(second.endpoint()).flushed(bucket, Duration.ofSeconds(120));
        }

        Set<String> onRemote = new HashSet<>();
        for (S3Object o : direct.listObjectsV2(b -> b.bucket(bucket)).contents()) {
            onRemote.add(o.key());
        }
        for (int w = 0; w < writersCount; w++) {
            for (int k = 0; k < keysPerWriter; k++) {
                String key = "w" + w + "/key-" + k;
                int last = acknowledged.get(key);
                Integer flying = inFlight.get(key);
                String stored = remoteContent(bucket, key);
                // What the remote holds, named: "absent", "v12", or what makes it no whole version.
                List<String> allowed = new ArrayList<>();
                allowed.add(stateAfter(last));
                if (flying != null) {
                    allowed.add(stateAfter(flying));
                }
                assertThat(allowed).as("%s: last acknowledged %s (v%d)%s", key, isDelete(last) ? "DELETE" : "PUT", last,
                        flying == null ? "" : ", in flight " + (isDelete(flying) ? "DELETE" : "PUT") + " (v" + flying
                                + ")").contains(describe(key, stored));
                assertThat(onRemote.contains(key)).isEqualTo(stored != null);
                onRemote.remove(key);
            }
        }
        assertThat(onRemote).as("keys nobody wrote").isEmpty();
    }

    @Test
    void multipartUploadsLeftOpenOnTheRemoteByAKillOrALinkResetAreAborted() throws Exception {
        String bucket = "crash-multipart";
        direct.createBucket(b -> b.bucket(bucket));
        // 5 MiB parts over a 2 MiB/s link: a 30 MiB push takes 15 s, time to kill it half-way.
        Map<String, String> env = queueEnv(Map.of("S3D_REMOTE_MULTIPART_THRESHOLD", "5M", "S3D_REMOTE_PART_SIZE",
                "5M"));
        byte[] killed = new byte[30 * 1024 * 1024];
        new java.util.Random(1).nextBytes(killed);
        remote.link().bandwidth(2 * 1024 * 1024, 0);
        ServiceProcess first = ServiceProcess.start(localDir, env);
        try (S3Client s3 = S3dAdmin.client(first.endpoint())) {
            s3.putObject(b -> b.bucket(bucket).key("killed.bin"), RequestBody.fromBytes(killed));
            await().atMost(Duration.ofSeconds(30)).until(() -> openUploads(bucket) > 0);
            Thread.sleep(2000); // some parts on the remote
        } finally {
            first.kill();
        }
        assertThat(openUploads(bucket)).as("the killed push's upload is open on the remote").isEqualTo(1);

        remote.link().bandwidth(0, 0);
        try (ServiceProcess second = ServiceProcess.start(localDir, env);
             S3Client s3 = S3dAdmin.client(second.endpoint())) {
            S3dAdmin admin = new S3dAdmin(second.endpoint());
            admin.flushed(bucket, Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(30)).until(() -> openUploads(bucket) == 0);
            assertThat(second.log()).contains("aborted the incomplete multipart upload of " + bucket + "/killed.bin");

            // A link reset mid-push: the failed push cannot abort its upload (no link); once the link
            // is back, the retried push succeeds and the left-over upload is aborted.
            byte[] reset = new byte[30 * 1024 * 1024];
            new java.util.Random(2).nextBytes(reset);
            remote.link().bandwidth(2 * 1024 * 1024, 0);
            s3.putObject(b -> b.bucket(bucket).key("reset.bin"), RequestBody.fromBytes(reset));
            await().atMost(Duration.ofSeconds(30)).until(() -> openUploads(bucket) > 0);
            Thread.sleep(2000);
            remote.link().cut(CutMode.RESET);
            Thread.sleep(2000);
            remote.link().bandwidth(0, 0);
            remote.link().restore();
            admin.flushed(bucket, Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(30)).until(() -> openUploads(bucket) == 0);
            assertThat(sha(direct.getObjectAsBytes(b -> b.bucket(bucket).key("reset.bin")).asByteArray()))
                    .isEqualTo(sha(reset));
        }
        assertThat(sha(direct.getObjectAsBytes(b -> b.bucket(bucket).key("killed.bin")).asByteArray()))
                .isEqualTo(sha(killed));
    }

    private static int openUploads(String bucket) {
        return direct.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    private static String sha(byte[] data) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String remoteContent(String bucket, String key) {
        try {
            return direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** The remote's state after write {@code version} of a key. */
    private static String stateAfter(int version) {
        return isDelete(version) ? "absent" : "v" + version;
    }

    /** Which version a remote object is, or why it is none of them (torn, foreign). */
    private static String describe(String key, String stored) {
        if (stored == null) {
            return "absent";
        }
        Matcher first = Pattern.compile(Pattern.quote(key) + "@(\\d+);").matcher(stored);
        if (!first.lookingAt()) {
            return "unrecognisable content of " + stored.length() + " bytes";
        }
        int version = Integer.parseInt(first.group(1));
        return stored.equals(content(key, version)) ? "v" + version
                : "a torn copy of v" + version + " (" + stored.length() + " bytes)";
    }

    @Test
    void aRestartWithTenThousandQueuedWritesIsQuickAndLosesNone() throws Exception {
        String bucket = "crash-restart";
        direct.createBucket(b -> b.bucket(bucket));
        int count = 10_000;
        // Nothing can be pushed at shutdown with the link cut: do not wait the default 10 s for it.
        Map<String, String> env = queueEnv(Map.of("S3D_WRITE_QUEUE_SHUTDOWN_GRACE", "1s"));
        remote.link().cut(CutMode.RESET);
        long writing = System.nanoTime();
        try (ServiceProcess first = ServiceProcess.start(localDir, env)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<S3Client> clients = new ArrayList<>();
            try {
                List<Future<?>> writes = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    S3Client s3 = S3dAdmin.client(first.endpoint());
                    clients.add(s3);
                    int thread = t;
                    writes.add(pool.submit(() -> {
                        for (int i = thread; i < count; i += 8) {
                            String key = tinyKey(i);
                            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(tiny(i)));
                        }
                        return null;
                    }));
                }
                for (Future<?> write : writes) {
                    write.get(3, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
                clients.forEach(S3Client::close);
            }
            assertThat(new S3dAdmin(first.endpoint()).status().getLong("writeQueue.items")).isEqualTo(count);
        }
        System.out.printf("wrote %d queued objects in %d ms%n", count,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - writing));

        long starting = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.start(localDir, env)) {
            Duration startup = Duration.ofNanos(System.nanoTime() - starting);
            System.out.printf("s3d with %d queued items ready in %d ms%n", count, startup.toMillis());
            // Not a speed measurement (that is bench/'s job): a guard against a replay that grows with the
            // square of the queue or re-reads every body, which would take minutes here. A start on a
            // loaded 2-core CI machine takes a few seconds; 30 s leaves room for that load.
            assertThat(startup).as("time to readiness with %d queued items", count)
                    .isLessThan(Duration.ofSeconds(30));
            S3dAdmin admin = new S3dAdmin(second.endpoint());
            assertThat(admin.status().getLong("writeQueue.items")).isEqualTo(count);
            try (S3Client s3 = S3dAdmin.client(second.endpoint())) {
                for (int i : new int[] {0, 4321, count - 1}) {
                    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(tinyKey(i))).asUtf8String())
                            .isEqualTo(tiny(i));
                }
            }
            assertThat(direct.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();

            remote.link().restore();
            admin.flushed(bucket, Duration.ofMinutes(5));
        }
        int listed = 0;
        String token = null;
        do {
            String page = token;
            ListObjectsV2Response listing = direct.listObjectsV2(b -> b.bucket(bucket).continuationToken(page));
            listed += listing.keyCount();
            token = listing.nextContinuationToken();
        } while (token != null);
        assertThat(listed).isEqualTo(count);
        for (int i = 0; i < count; i += 97) {
            int n = i;
            assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key(tinyKey(n))).asUtf8String())
                    .isEqualTo(tiny(n));
        }
    }

    private static String tinyKey(int i) {
        return "tiny/" + String.format("%05d", i);
    }

    private static String tiny(int i) {
        return ("object " + i + "\n").repeat(1 + i % 5);
    }
}
