package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.bench.wan.CutMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectTaggingResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Power loss, not just {@code kill -9}: s3d runs on {@link PowerLossFileSystem}, a FUSE layer that
 * throws away on a simulated power cut every write and every directory change not made durable
 * with fsync. A kill alone keeps the page cache, so it proves atomic renames; this proves that
 * s3d fsyncs what it acknowledges, in the right order: after the cut and a restart, every object
 * acknowledged before it (single PUT, multipart, copy, tags, delete, versions and delete markers,
 * new buckets; in a storm of them cut at a random moment; through the write queue) is there,
 * whole, with its ETag and metadata, the queue's journal replays to the remote, and the read cache keeps its pins and
 * serves nothing torn (its blocks are not fsynced: a cache may lose them, never corrupt them).
 */
class PowerLossIT {
    @TempDir
    Path dir;

    private PowerLossFileSystem fs;
    private ServiceProcess service;
    private RemoteS3 remote;

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null) {
            service.kill();
        }
        if (fs != null) {
            fs.close();
        }
        FuseMounts.forceUnmount(dir.resolve("mnt"));
        if (remote != null) {
            remote.close();
        }
    }

    private Path mount() throws IOException, InterruptedException {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        fs = PowerLossFileSystem.mount(dir.resolve("fs"), mnt);
        return mnt.resolve("s3d"); // s3d makes its own directory, as it does with ~/.s3d
    }

    /** kill -9, the power goes, the machine boots again and s3d starts on what the disk kept. */
    private void powerCutAndRestart(Path store, Map<String, String> env) throws Exception {
        service.kill();
        fs.powerCut();
        System.out.println("power cut after " + fs.counts());
        fs = fs.remountAfterPowerCut();
        service = ServiceProcess.start(store, env);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String sha256(byte[] data) {
        return FuseMounts.sha256(data);
    }

    /** A key whose first segment is too long for a file name (stored under a hashed name and a .name file). */
    private static final String LONG_SEGMENT = "a-directory-name-longer-than-any-file-name-".repeat(7);

    @Test
    void everyAcknowledgedWriteOfTheLocalStoreSurvivesAPowerCut() throws Exception {
        Path store = mount();
        service = ServiceProcess.start(store, Map.of());
        Map<String, byte[]> expected = new LinkedHashMap<>();
        Map<String, String> etags = new HashMap<>();
        String uploadId;
        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            s3.createBucket(b -> b.bucket("power"));
            expected.put("small.txt", random(4096, 1));
            expected.put("deep/er/one-mib.bin", random(1024 * 1024, 2));
            expected.put(LONG_SEGMENT + "/inside-a-hashed-directory.bin", random(10_000, 3));
            expected.put("overwritten.bin", random(5000, 4));
            expected.put("nine-mib.bin", random(9 * 1024 * 1024, 5));
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                etags.put(e.getKey(), s3.putObject(b -> b.bucket("power").key(e.getKey()).contentType("application/x-power")
                        .metadata(Map.of("written-as", e.getKey().substring(0, 5))), RequestBody.fromBytes(e.getValue()))
                        .eTag());
            }
            byte[] second = random(7000, 6);
            etags.put("overwritten.bin", s3.putObject(b -> b.bucket("power").key("overwritten.bin")
                    .contentType("application/x-power").metadata(Map.of("written-as", "overw")),
                    RequestBody.fromBytes(second)).eTag());
            expected.put("overwritten.bin", second);
            s3.putObject(b -> b.bucket("power").key("deleted.bin"), RequestBody.fromBytes(random(100, 7)));
            s3.deleteObject(b -> b.bucket("power").key("deleted.bin"));
            s3.copyObject(b -> b.sourceBucket("power").sourceKey("small.txt").destinationBucket("power")
                    .destinationKey("copies/small.txt"));
            expected.put("copies/small.txt", expected.get("small.txt"));
            etags.put("copies/small.txt", etags.get("small.txt"));
            s3.putObjectTagging(b -> b.bucket("power").key("small.txt")
                    .tagging(t -> t.tagSet(Tag.builder().key("state").value("tagged").build())));

            // A completed multipart upload, and one still open with a part in it.
            byte[] multipart = random(11 * 1024 * 1024, 8);
            expected.put("multi/part.bin", multipart);
            String done = s3.createMultipartUpload(b -> b.bucket("power").key("multi/part.bin")).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int from = p * 5 * 1024 * 1024;
                int to = Math.min(multipart.length, from + 5 * 1024 * 1024);
                int number = p + 1;
                String etag = s3.uploadPart(b -> b.bucket("power").key("multi/part.bin").uploadId(done)
                        .partNumber(number), RequestBody.fromBytes(java.util.Arrays.copyOfRange(multipart, from, to)))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            etags.put("multi/part.bin", s3.completeMultipartUpload(b -> b.bucket("power").key("multi/part.bin")
                    .uploadId(done).multipartUpload(m -> m.parts(parts))).eTag());
            uploadId = s3.createMultipartUpload(b -> b.bucket("power").key("open/upload.bin")).uploadId();
            s3.uploadPart(b -> b.bucket("power").key("open/upload.bin").uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(random(5 * 1024 * 1024, 9)));
        }

        powerCutAndRestart(store, Map.of());

        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                var stored = s3.getObjectAsBytes(b -> b.bucket("power").key(e.getKey()));
                assertThat(sha256(stored.asByteArray())).as("%s after the power cut", e.getKey())
                        .isEqualTo(sha256(e.getValue()));
                assertThat(stored.response().eTag()).as("%s ETag", e.getKey()).isEqualTo(etags.get(e.getKey()));
                if (!e.getKey().startsWith("multi/")) {
                    assertThat(stored.response().contentType()).as("%s Content-Type", e.getKey())
                            .isEqualTo("application/x-power");
                    assertThat(stored.response().metadata()).as("%s metadata", e.getKey())
                            .containsEntry("written-as", e.getKey().startsWith("copies/") ? "small"
                                    : e.getKey().startsWith("overw") ? "overw" : e.getKey().substring(0, 5));
                }
            }
            assertThat(s3.listObjectsV2(b -> b.bucket("power")).contents()).extracting(o -> o.key())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            GetObjectTaggingResponse tags = s3.getObjectTagging(b -> b.bucket("power").key("small.txt"));
            assertThat(tags.tagSet()).extracting(Tag::value).containsExactly("tagged");
            assertThat(s3.listParts(b -> b.bucket("power").key("open/upload.bin").uploadId(uploadId)).parts())
                    .extracting(p -> p.size()).containsExactly(5L * 1024 * 1024);
        }
        assertNoLeftovers(store);
    }

    @Test
    void aPowerCutInTheMiddleOfAWriteStormKeepsEveryAcknowledgedVersion() throws Exception {
        Path store = mount();
        service = ServiceProcess.start(store, Map.of());
        long seed = System.nanoTime();
        System.out.println("write storm seed " + seed);
        Random random = new Random(seed);
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        Map<String, Integer> inFlight = new ConcurrentHashMap<>();
        AtomicBoolean cut = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        List<Throwable> unexpected = new ArrayList<>();
        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            s3.createBucket(b -> b.bucket("storm"));
        }
        String endpoint = service.endpoint();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(() -> {
                try (S3Client s3 = S3dAdmin.client(endpoint)) {
                    for (int version = 1;; version++) {
                        for (int k = 0; k < 4; k++) {
                            String key = (k == 3 ? LONG_SEGMENT : "w" + writer) + "/key-" + writer + "-" + k;
                            int v = version;
                            inFlight.put(key, v);
                            try {
                                write(s3, key, v);
                            } catch (SdkClientException | software.amazon.awssdk.services.s3.model.S3Exception e) {
                                if (!cut.get()) {
                                    synchronized (unexpected) {
                                        unexpected.add(e);
                                    }
                                }
                                return;
                            }
                            acknowledged.put(key, v);
                            inFlight.remove(key);
                            writes.incrementAndGet();
                        }
                    }
                }
            }));
        }
        // Cut once the storm is well under way (the daemon's first requests are slow), at a random moment.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> writes.get() >= 100
                || !unexpected.isEmpty());
        Thread.sleep(random.nextInt(1500));
        cut.set(true);
        powerCutAndRestart(store, Map.of());
        for (Thread writer : writers) {
            writer.join(30_000);
        }
        assertThat(unexpected).as("writes that failed before the power cut").isEmpty();
        System.out.println(writes.get() + " writes acknowledged before the power cut");
        assertThat(acknowledged).hasSize(24);
        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            for (Map.Entry<String, Integer> e : acknowledged.entrySet()) {
                String key = e.getKey();
                String stored;
                try {
                    stored = s3.getObjectAsBytes(b -> b.bucket("storm").key(key)).asUtf8String();
                } catch (NoSuchKeyException absent) {
                    stored = null;
                }
                List<String> allowed = new ArrayList<>();
                allowed.add(state(key, e.getValue()));
                if (inFlight.containsKey(key)) {
                    allowed.add(state(key, inFlight.get(key)));
                }
                assertThat(allowed).as("%s: acknowledged v%d, in flight %s", key, e.getValue(), inFlight.get(key))
                        .contains(stored == null ? "absent" : stored);
            }
        }
        assertNoLeftovers(store);
    }

    /** What a client was told about one object version: its id, ETag and body. */
    private record Acked(String key, String versionId, String etag, byte[] body) {
    }

    @Test
    void versionsDeleteMarkersBucketsAndTheirSettingsSurviveAPowerCut() throws Exception {
        Path store = mount();
        service = ServiceProcess.start(store, Map.of());
        List<Acked> versions = new ArrayList<>();
        String marker;
        String removedVersion;
        String taggedVersion;
        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            s3.createBucket(b -> b.bucket("versioned"));
            // A version written before versioning was enabled: the null version, kept as history.
            byte[] before = random(3000, 30);
            versions.add(new Acked("doc.txt", "null", s3.putObject(b -> b.bucket("versioned").key("doc.txt"),
                    RequestBody.fromBytes(before)).eTag(), before));
            s3.putBucketVersioning(b -> b.bucket("versioned").versioningConfiguration(
                    v -> v.status(BucketVersioningStatus.ENABLED)));
            for (int i = 1; i <= 3; i++) {
                byte[] body = random(i == 2 ? 6 * 1024 * 1024 : 2000 * i, 30 + i);
                int rev = i;
                PutObjectResponse put = s3.putObject(b -> b.bucket("versioned").key("doc.txt")
                        .contentType("text/x-rev").metadata(Map.of("rev", Integer.toString(rev))),
                        RequestBody.fromBytes(body));
                versions.add(new Acked("doc.txt", put.versionId(), put.eTag(), body));
            }
            byte[] gone = random(500, 40);
            PutObjectResponse gonePut = s3.putObject(b -> b.bucket("versioned").key("dir/gone.txt"),
                    RequestBody.fromBytes(gone));
            versions.add(new Acked("dir/gone.txt", gonePut.versionId(), gonePut.eTag(), gone));
            marker = s3.deleteObject(b -> b.bucket("versioned").key("dir/gone.txt")).versionId();
            byte[] kept = random(800, 41);
            PutObjectResponse keptPut = s3.putObject(b -> b.bucket("versioned").key("dir/kept.txt"),
                    RequestBody.fromBytes(kept));
            versions.add(new Acked("dir/kept.txt", keptPut.versionId(), keptPut.eTag(), kept));
            removedVersion = s3.putObject(b -> b.bucket("versioned").key("dir/kept.txt"),
                    RequestBody.fromBytes(random(900, 42))).versionId();
            s3.deleteObject(b -> b.bucket("versioned").key("dir/kept.txt").versionId(removedVersion));
            taggedVersion = versions.get(1).versionId();
            s3.putObjectTagging(b -> b.bucket("versioned").key("doc.txt").versionId(taggedVersion)
                    .tagging(t -> t.tagSet(Tag.builder().key("rev").value("one").build())));
            // A key nothing touches after its two versions: its history directory is fsynced by its own writes only.
            for (int i = 1; i <= 2; i++) {
                byte[] body = random(1000 + i, 44 + i);
                PutObjectResponse put = s3.putObject(b -> b.bucket("versioned").key("solo.txt"),
                        RequestBody.fromBytes(body));
                versions.add(new Acked("solo.txt", put.versionId(), put.eTag(), body));
            }
            // Buckets made last, one of them empty: acknowledged, so they survive too.
            s3.createBucket(b -> b.bucket("made-last"));
            s3.createBucket(b -> b.bucket("made-last-empty"));
            byte[] last = random(100, 43);
            PutObjectResponse lastPut = s3.putObject(b -> b.bucket("made-last").key("last.bin"),
                    RequestBody.fromBytes(last));
            versions.add(new Acked("made-last/last.bin", null, lastPut.eTag(), last));
        }

        powerCutAndRestart(store, Map.of());

        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name())
                    .contains("versioned", "made-last", "made-last-empty");
            assertThat(s3.getBucketVersioning(b -> b.bucket("versioned")).status())
                    .isEqualTo(BucketVersioningStatus.ENABLED);
            ListObjectVersionsResponse listed = s3.listObjectVersions(b -> b.bucket("versioned"));
            assertThat(listed.versions()).extracting(v -> v.key() + "@" + v.versionId())
                    .containsExactlyInAnyOrderElementsOf(versions.stream().filter(v -> v.versionId() != null)
                            .map(v -> v.key() + "@" + v.versionId()).toList());
            assertThat(listed.deleteMarkers()).extracting(m -> m.key() + "@" + m.versionId())
                    .containsExactly("dir/gone.txt@" + marker);
            for (Acked v : versions) {
                String bucket = v.versionId() == null ? "made-last" : "versioned";
                String key = v.versionId() == null ? "last.bin" : v.key();
                var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(v.versionId()));
                assertThat(sha256(got.asByteArray())).as("%s@%s", v.key(), v.versionId()).isEqualTo(sha256(v.body()));
                assertThat(got.response().eTag()).as("%s@%s ETag", v.key(), v.versionId()).isEqualTo(v.etag());
            }
            Acked newest = versions.get(3);
            HeadObjectResponse head = s3.headObject(b -> b.bucket("versioned").key("doc.txt"));
            assertThat(head.versionId()).isEqualTo(newest.versionId());
            assertThat(head.eTag()).isEqualTo(newest.etag());
            assertThat(head.contentType()).isEqualTo("text/x-rev");
            assertThat(head.metadata()).containsEntry("rev", "3");
            assertThat(s3.headObject(b -> b.bucket("versioned").key("dir/kept.txt")).versionId())
                    .as("the newest version left after its successor was removed").isEqualTo(versions.get(5).versionId());
            assertThat(s3.getObjectTagging(b -> b.bucket("versioned").key("doc.txt").versionId(taggedVersion))
                    .tagSet()).extracting(Tag::value).containsExactly("one");
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("versioned").key("dir/gone.txt")))
                    .as("the delete marker is the current version").isInstanceOf(
                            software.amazon.awssdk.services.s3.model.S3Exception.class);
            assertThat(s3.listObjectsV2(b -> b.bucket("made-last-empty")).keyCount()).isZero();
        }
        assertNoLeftovers(store);
    }

    /**
     * Write {@code v} of a key in the storm: a delete every fourth, else its content by a single
     * PUT, a one-part multipart upload, or a PUT beside it copied over it (CopyObject).
     */
    private static void write(S3Client s3, String key, int v) {
        switch (v % 4) {
            case 0 -> s3.deleteObject(b -> b.bucket("storm").key(key));
            case 2 -> {
                String id = s3.createMultipartUpload(b -> b.bucket("storm").key(key)).uploadId();
                String etag = s3.uploadPart(b -> b.bucket("storm").key(key).uploadId(id).partNumber(1),
                        RequestBody.fromString(content(key, v))).eTag();
                s3.completeMultipartUpload(b -> b.bucket("storm").key(key).uploadId(id)
                        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
            }
            case 3 -> {
                s3.putObject(b -> b.bucket("storm").key(key + ".src"), RequestBody.fromString(content(key, v)));
                s3.copyObject(b -> b.sourceBucket("storm").sourceKey(key + ".src").destinationBucket("storm")
                        .destinationKey(key));
            }
            default -> s3.putObject(b -> b.bucket("storm").key(key), RequestBody.fromString(content(key, v)));
        }
    }

    /** Version {@code v} of a key: recognisable, 10 to 50 KB so that a torn copy would show. */
    private static String content(String key, int version) {
        return (key + "@" + version + ";").repeat(100 + version % 5 * 100);
    }

    private static String state(String key, int version) {
        return version % 4 == 0 ? "absent" : content(key, version);
    }

    @Test
    void writesAcknowledgedByTheQueueReachTheRemoteAfterAPowerCut() throws Exception {
        Path store = mount(); // first: skipped without FUSE before S3Proxy starts
        remote = RemoteS3.start();
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        service = ServiceProcess.start(store, env);
        Map<String, byte[]> expected = new LinkedHashMap<>();
        try (S3Client direct = remote.directClient(); S3Client s3 = S3dAdmin.client(service.endpoint())) {
            direct.createBucket(b -> b.bucket("queued"));
            byte[] first = random(3000, 10);
            s3.putObject(b -> b.bucket("queued").key("before-the-cut.bin"), RequestBody.fromBytes(first));
            expected.put("before-the-cut.bin", first);
            s3.putObject(b -> b.bucket("queued").key("deleted-while-queued.bin"), RequestBody.fromBytes(random(100, 12)));
            new S3dAdmin(service.endpoint()).flushed("queued", Duration.ofSeconds(60));
            remote.link().cut(CutMode.RESET); // everything from here on waits in the queue
            s3.deleteObject(b -> b.bucket("queued").key("deleted-while-queued.bin"));
            s3.putObject(b -> b.bucket("queued").key("overwritten.bin"), RequestBody.fromBytes(random(2000, 13)));
            byte[] newer = random(2500, 14);
            s3.putObject(b -> b.bucket("queued").key("overwritten.bin"), RequestBody.fromBytes(newer));
            expected.put("overwritten.bin", newer);
            for (int i = 0; i < 20; i++) {
                byte[] body = random(i % 3 == 0 ? 300_000 : 4096, 100 + i);
                String key = (i % 2 == 0 ? "flat-" : "deep/dir/") + i + ".bin";
                s3.putObject(b -> b.bucket("queued").key(key), RequestBody.fromBytes(body));
                expected.put(key, body);
            }
            byte[] multipart = random(6 * 1024 * 1024, 11);
            String id = s3.createMultipartUpload(b -> b.bucket("queued").key("multi/queued.bin")).uploadId();
            String e1 = s3.uploadPart(b -> b.bucket("queued").key("multi/queued.bin").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(java.util.Arrays.copyOfRange(multipart, 0, 5 * 1024 * 1024))).eTag();
            String e2 = s3.uploadPart(b -> b.bucket("queued").key("multi/queued.bin").uploadId(id).partNumber(2),
                    RequestBody.fromBytes(java.util.Arrays.copyOfRange(multipart, 5 * 1024 * 1024, multipart.length)))
                    .eTag();
            s3.completeMultipartUpload(b -> b.bucket("queued").key("multi/queued.bin").uploadId(id)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                            CompletedPart.builder().partNumber(2).eTag(e2).build())));
            expected.put("multi/queued.bin", multipart);
            assertThat(new S3dAdmin(service.endpoint()).status().getLong("writeQueue.items")).isPositive();
        }

        powerCutAndRestart(store, env);
        remote.link().restore();
        S3dAdmin admin = new S3dAdmin(service.endpoint());
        admin.flushed("queued", Duration.ofSeconds(120));
        try (S3Client direct = remote.directClient()) {
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                byte[] onRemote = direct.getObjectAsBytes(b -> b.bucket("queued").key(e.getKey())).asByteArray();
                assertThat(sha256(onRemote)).as("%s on the remote", e.getKey()).isEqualTo(sha256(e.getValue()));
            }
            assertThatThrownBy(() -> direct.headObject(b -> b.bucket("queued").key("deleted-while-queued.bin")))
                    .as("a queued delete").isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
                    .satisfies(e -> assertThat(((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode())
                            .isEqualTo(404));
        }
        assertThat(admin.status().getLong("writeQueue.items")).isZero();
        try (Stream<Path> journal = Files.walk(store.resolve(".queue"))) {
            assertThat(journal.map(Path::toString).filter(p -> p.endsWith(".bad")))
                    .as("journal entries set aside as unreadable").isEmpty();
        }
    }

    @Test
    void theReadCacheServesOnlyWholeObjectsAndKeepsItsPinsAfterAPowerCut() throws Exception {
        Path store = mount(); // first: skipped without FUSE before S3Proxy starts
        remote = RemoteS3.start();
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_READ_CACHE", "true");
        env.put("S3D_READ_CACHE_BLOCK_SIZE", "256K");
        service = ServiceProcess.start(store, env);
        Map<String, byte[]> objects = new LinkedHashMap<>();
        objects.put("pinned/one.bin", random(700_000, 20));
        objects.put("pinned/two.bin", random(5000, 21));
        objects.put("plain/three.bin", random(1_100_000, 22));
        S3dAdmin admin = new S3dAdmin(service.endpoint());
        try (S3Client direct = remote.directClient(); S3Client s3 = S3dAdmin.client(service.endpoint())) {
            direct.createBucket(b -> b.bucket("cached"));
            for (Map.Entry<String, byte[]> e : objects.entrySet()) {
                direct.putObject(b -> b.bucket("cached").key(e.getKey()), RequestBody.fromBytes(e.getValue()));
            }
            assertThat(admin.post("/_s3d/cache/prefetch?bucket=cached&prefix=pinned/&pin=true", Duration.ofSeconds(60))
                    .status()).isEqualTo(200);
            for (String key : objects.keySet()) {
                s3.getObjectAsBytes(b -> b.bucket("cached").key(key));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.get("/_s3d/cache").json().getLong("entries") == objects.size());
        }

        powerCutAndRestart(store, env);
        S3dAdmin restarted = new S3dAdmin(service.endpoint());
        assertThat(restarted.get("/_s3d/cache").json().getList("localPins", String.class))
                .as("an acknowledged pin survives").containsExactly("cached/pinned/");
        // With the link cut, what the cache still answers must be whole; what it lost is an error, never wrong bytes.
        remote.link().cut(CutMode.RESET);
        try (S3Client s3 = S3dAdmin.client(service.endpoint())) {
            for (Map.Entry<String, byte[]> e : objects.entrySet()) {
                try {
                    byte[] served = s3.getObjectAsBytes(b -> b.bucket("cached").key(e.getKey())).asByteArray();
                    assertThat(sha256(served)).as("%s served from the cache", e.getKey()).isEqualTo(sha256(e.getValue()));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception lost) {
                    assertThat(lost.statusCode()).as("%s: %s", e.getKey(), lost.getMessage()).isGreaterThanOrEqualTo(500);
                }
            }
            remote.link().restore();
            for (Map.Entry<String, byte[]> e : objects.entrySet()) {
                byte[] served = s3.getObjectAsBytes(b -> b.bucket("cached").key(e.getKey())).asByteArray();
                assertThat(sha256(served)).as("%s once the remote is back", e.getKey()).isEqualTo(sha256(e.getValue()));
            }
        }
        assertThat(restarted.get("/_s3d/cache").json().getLong("corruptBlocks")).isZero();
    }

    /** What a crash left in the store's temporary directory is removed at start-up. */
    private static void assertNoLeftovers(Path store) throws IOException {
        try (Stream<Path> leftovers = Files.list(store.resolve(".tmp"))) {
            assertThat(leftovers).isEmpty();
        }
    }
}
