package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Versioning of the standalone store end to end: the AWS CLI and boto3 (scripts/compat/versioning.sh)
 * against the packaged s3d, and a SIGKILL in the middle of versioned writes and deletes.
 */
class VersioningIT {
    @TempDir
    Path store;

    @Test
    void awsCliAndBoto3SeeS3Versioning() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of())) {
            CompatScript.run(s3d, "versioning.sh", Map.of(), "versioning: 0 failure(s)");
        }
    }

    private static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true)
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    /** Version {@code n} of a key: recognisable, and long enough that a torn write would show. */
    private static String content(String key, int n) {
        return (key + "@" + n + ";").repeat(1000 + n % 5 * 700);
    }

    /** What a client was told: a version (content null for a delete marker), in the order it was told. */
    record Acked(String versionId, String content) {
    }

    @Test
    void acknowledgedVersionsAndDeleteMarkersSurviveKillDashNine() throws Exception {
        Map<String, List<Acked>> added = new ConcurrentHashMap<>();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        // A removal asked for but not answered when s3d died may or may not have happened.
        Set<String> removing = ConcurrentHashMap.newKeySet();
        AtomicInteger acks = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        long seed = System.nanoTime();
        System.out.println("VersioningIT seed " + seed);
        try (ServiceProcess first = ServiceProcess.start(store, Map.of())) {
            try (S3Client s3 = client(first.endpoint())) {
                s3.createBucket(b -> b.bucket("vcrash"));
                s3.putBucketVersioning(b -> b.bucket("vcrash").versioningConfiguration(
                        v -> v.status(BucketVersioningStatus.ENABLED)));
            }
            for (int w = 0; w < 6; w++) {
                int writer = w;
                Random random = new Random(seed + w);
                writers.add(Thread.ofPlatform().start(() -> {
                    try (S3Client s3 = client(first.endpoint())) {
                        for (int n = 1; !stop.get(); n++) {
                            String key = "w" + writer + "/key-" + random.nextInt(3);
                            List<Acked> history = added.computeIfAbsent(key, k -> new ArrayList<>());
                            int op = random.nextInt(10);
                            try {
                                if (op < 6) {
                                    String body = content(key, n);
                                    String id = s3.putObject(b -> b.bucket("vcrash").key(key),
                                            RequestBody.fromString(body)).versionId();
                                    history.add(new Acked(id, body));
                                } else if (op < 8) {
                                    String id = s3.deleteObject(b -> b.bucket("vcrash").key(key)).versionId();
                                    history.add(new Acked(id, null));
                                } else if (history.size() > 2) {
                                    // Removes a noncurrent version for good (never the newest acknowledged one).
                                    Acked old = history.get(random.nextInt(history.size() - 1));
                                    if (!removed.contains(old.versionId())) {
                                        removing.add(old.versionId());
                                        s3.deleteObject(b -> b.bucket("vcrash").key(key).versionId(old.versionId()));
                                        removed.add(old.versionId());
                                    }
                                }
                                acks.incrementAndGet();
                            } catch (RuntimeException e) {
                                return; // the daemon is gone
                            }
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acks.get() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.kill();
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertThat(acks.get()).isGreaterThan(50);
        try (ServiceProcess second = ServiceProcess.start(store, Map.of()); S3Client s3 = client(second.endpoint())) {
            Map<String, List<software.amazon.awssdk.services.s3.model.ObjectVersion>> objects = new HashMap<>();
            Map<String, List<software.amazon.awssdk.services.s3.model.DeleteMarkerEntry>> markers = new HashMap<>();
            for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket("vcrash").maxKeys(7))) {
                page.versions().forEach(v -> objects.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v));
                page.deleteMarkers().forEach(m -> markers.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m));
            }
            int unknown = 0;
            for (Map.Entry<String, List<Acked>> entry : added.entrySet()) {
                String key = entry.getKey();
                Set<String> objectIds = new HashSet<>();
                objects.getOrDefault(key, List.of()).forEach(v -> objectIds.add(v.versionId()));
                Set<String> markerIds = new HashSet<>();
                markers.getOrDefault(key, List.of()).forEach(m -> markerIds.add(m.versionId()));
                Set<String> known = new HashSet<>();
                for (Acked acked : entry.getValue()) {
                    known.add(acked.versionId());
                    if (removed.contains(acked.versionId())) {
                        assertThat(objectIds).as("%s: removed version %s", key, acked.versionId())
                                .doesNotContain(acked.versionId());
                        continue;
                    }
                    boolean maybeRemoved = removing.contains(acked.versionId());
                    if (acked.content() == null) {
                        if (maybeRemoved && !markerIds.contains(acked.versionId())) {
                            continue;
                        }
                        assertThat(markerIds).as("%s: acknowledged delete marker", key).contains(acked.versionId());
                    } else {
                        if (maybeRemoved && !objectIds.contains(acked.versionId())) {
                            continue;
                        }
                        assertThat(objectIds).as("%s: acknowledged version", key).contains(acked.versionId());
                        assertThat(s3.getObjectAsBytes(b -> b.bucket("vcrash").key(key).versionId(acked.versionId()))
                                .asUtf8String()).as("%s@%s whole", key, acked.versionId()).isEqualTo(acked.content());
                    }
                }
                // At most the one write in flight when s3d died is not acknowledged; it is whole or absent.
                for (String id : objectIds) {
                    if (!known.contains(id)) {
                        unknown++;
                        String body = s3.getObjectAsBytes(b -> b.bucket("vcrash").key(key).versionId(id))
                                .asUtf8String();
                        int n = Integer.parseInt(body.substring(body.indexOf('@') + 1, body.indexOf(';')));
                        assertThat(body).as("in-flight version of %s whole", key).isEqualTo(content(key, n));
                    }
                }
                for (String id : markerIds) {
                    if (!known.contains(id)) {
                        unknown++;
                    }
                }
                // The current version is the last acknowledged one, or the one in flight after it.
                String latest = Stream.concat(
                        objects.getOrDefault(key, List.of()).stream().filter(v -> v.isLatest()).map(v -> v.versionId()),
                        markers.getOrDefault(key, List.of()).stream().filter(m -> m.isLatest()).map(m -> m.versionId()))
                        .findFirst().orElse(null);
                List<Acked> adds = entry.getValue();
                if (!adds.isEmpty()) {
                    Acked last = adds.get(adds.size() - 1);
                    assertThat(latest).as("%s: current version", key)
                            .satisfiesAnyOf(id -> assertThat(id).isEqualTo(last.versionId()),
                                    id -> assertThat(known).doesNotContain(id));
                    boolean markerLatest = markerIds.contains(latest);
                    try {
                        var current = s3.getObjectAsBytes(b -> b.bucket("vcrash").key(key));
                        assertThat(markerLatest).as("%s readable although its latest is a marker", key).isFalse();
                        assertThat(current.response().versionId()).isEqualTo(latest);
                    } catch (NoSuchKeyException e) {
                        assertThat(markerLatest).as("%s missing although its latest is an object", key).isTrue();
                    }
                }
            }
            assertThat(unknown).as("versions no client was told about").isLessThanOrEqualTo(6);
            try {
                s3.getObject(b -> b.bucket("vcrash").key("never-written"));
            } catch (S3Exception e) {
                assertThat(e.statusCode()).isEqualTo(404);
            }
        }
        try (Stream<Path> leftovers = Files.list(store.resolve(".tmp"))) {
            assertThat(leftovers).isEmpty();
        }
        try (Stream<Path> intents = Files.list(store.resolve(".journal"))) {
            assertThat(intents).as("every interrupted change repaired at start-up").isEmpty();
        }
    }
}
