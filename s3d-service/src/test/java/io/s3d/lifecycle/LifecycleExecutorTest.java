package io.s3d.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.s3d.backend.MultipartBackend.UploadSpec;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle executor on a real local store, with time moved forward by passing a later
 * instant: what each rule removes, and what it leaves.
 */
class LifecycleExecutorTest {
    @TempDir
    Path dir;
    LocalStore store;
    SimpleMeterRegistry registry;
    LifecycleExecutor executor;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        store.createBucket("bkt");
        registry = new SimpleMeterRegistry();
        executor = new LifecycleExecutor(store, registry);
    }

    private ObjectMeta put(String key, String content, Map<String, String> tags) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return store.putObject(new PutRequest("bkt", key, new ByteArrayInputStream(bytes), bytes.length,
                Optional.empty(), Map.of(), Map.of(), tags, Map::of, WriteCondition.NONE));
    }

    private ObjectMeta put(String key, String content) {
        return put(key, content, Map.of());
    }

    private void rules(String rules) {
        store.putBucketLifecycle("bkt", LifecycleXml.render(LifecycleXml.parse(("<LifecycleConfiguration>" + rules
                + "</LifecycleConfiguration>").getBytes(StandardCharsets.UTF_8))));
    }

    private static Instant inDays(int days) {
        return Instant.now().plus(Duration.ofDays(days));
    }

    private boolean exists(String key) {
        try {
            store.headObject("bkt", key);
            return true;
        } catch (S3Exception e) {
            return false;
        }
    }

    /** The key's versions, newest first: the version id, or {@code marker:<id>} for a delete marker. */
    private List<String> versions(String key) {
        List<String> out = new ArrayList<>();
        for (ObjectVersions.Version v : store.listObjectVersions("bkt", new ObjectVersions.ListRequest(key, null,
                null, null, 1000)).versions()) {
            if (v.key().equals(key)) {
                out.add(v.deleteMarker() ? "marker:" + v.versionId() : v.versionId());
            }
        }
        return out;
    }

    private double counted(String action) {
        return registry.counter("s3d.lifecycle.actions", "action", action).count();
    }

    @Test
    void expiresUnversionedObjectsAtTheMidnightAfterTheirDays() {
        put("logs/a", "a");
        put("keep/b", "b");
        rules("<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>");
        assertThat(executor.run(Instant.now())).isZero();
        assertThat(executor.run(inDays(1).minus(Duration.ofDays(1)).plus(Duration.ofHours(23)))).as("not yet due")
                .isZero();
        assertThat(exists("logs/a")).isTrue();
        assertThat(executor.run(inDays(2))).isEqualTo(1);
        assertThat(exists("logs/a")).isFalse();
        assertThat(exists("keep/b")).as("outside the prefix").isTrue();
        assertThat(counted("expire")).isEqualTo(1);
        assertThat(executor.run(inDays(3))).as("nothing left to do").isZero();
    }

    @Test
    void aDateRuleExpiresEveryMatchingObjectOnceThatDayCame() {
        put("a", "a");
        rules("<Rule><ID>d</ID><Filter/><Status>Enabled</Status><Expiration><Date>2000-01-01T00:00:00Z</Date>"
                + "</Expiration></Rule>");
        assertThat(executor.run(Instant.now())).isEqualTo(1);
        assertThat(exists("a")).isFalse();
    }

    @Test
    void disabledRulesAndOtherBucketsAreLeftAlone() {
        store.createBucket("other");
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        store.putObject(new PutRequest("other", "a", new ByteArrayInputStream(bytes), 1, Optional.empty(), Map.of(),
                Map.of(), Map.of(), Map::of, WriteCondition.NONE));
        put("a", "a");
        rules("<Rule><ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>");
        assertThat(executor.run(inDays(30))).isZero();
        assertThat(exists("a")).isTrue();
        assertThat(store.headObject("other", "a").size()).isEqualTo(1);
    }

    @Test
    void filtersByTagsAndSize() {
        put("small", "x");
        put("big", "x".repeat(100));
        put("tagged", "x".repeat(100), Map.of("tmp", "yes"));
        put("retagged", "x".repeat(100));
        store.putObjectTags("bkt", "retagged", Map.of("tmp", "yes"));
        put("wrong-value", "x".repeat(100), Map.of("tmp", "no"));
        rules("<Rule><ID>t</ID><Filter><And><Tag><Key>tmp</Key><Value>yes</Value></Tag><ObjectSizeGreaterThan>50"
                + "</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days>"
                + "</Expiration></Rule>"
                + "<Rule><ID>s</ID><Filter><ObjectSizeLessThan>2</ObjectSizeLessThan></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>");
        assertThat(executor.run(inDays(2))).isEqualTo(3);
        assertThat(exists("small")).isFalse();
        assertThat(exists("tagged")).isFalse();
        assertThat(exists("retagged")).as("tags changed after the write count").isFalse();
        assertThat(exists("big")).isTrue();
        assertThat(exists("wrong-value")).isTrue();
    }

    @Test
    void inAVersionedBucketExpiryAddsADeleteMarkerAndNoncurrentVersionsGoLater() {
        store.putBucketVersioning("bkt", ObjectVersions.Status.ENABLED);
        String v1 = put("k", "one").versionId().get();
        rules("<Rule><ID>r</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>3</NoncurrentDays></NoncurrentVersionExpiration></Rule>");
        assertThat(executor.run(inDays(2))).isEqualTo(1);
        assertThat(exists("k")).isFalse();
        List<String> history = versions("k");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).startsWith("marker:");
        assertThat(history.get(1)).isEqualTo(v1);
        // v1 became noncurrent when the marker was added (now, in real time): 3 days later, plus the midnight rounding.
        assertThat(executor.run(inDays(3))).as("noncurrent for less than 3 days").isZero();
        assertThat(executor.run(inDays(5))).as("v1 removed, then the marker left alone is removed").isEqualTo(2);
        assertThat(versions("k")).isEmpty();
        assertThat(counted("expire-noncurrent")).isEqualTo(1);
        assertThat(counted("remove-expired-delete-marker")).isEqualTo(1);
    }

    @Test
    void noncurrentDaysCountFromTheSuccessorAndNewerNoncurrentVersionsAreKept() {
        store.putBucketVersioning("bkt", ObjectVersions.Status.ENABLED);
        String v1 = put("k", "1").versionId().get();
        String v2 = put("k", "2").versionId().get();
        String v3 = put("k", "3").versionId().get();
        String v4 = put("k", "4").versionId().get();
        rules("<Rule><ID>n</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>2"
                + "</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
                + "</Rule>");
        assertThat(executor.run(inDays(1))).isZero();
        assertThat(executor.run(inDays(3))).as("v1 and v2 go; v3, the newest noncurrent, stays").isEqualTo(2);
        assertThat(versions("k")).containsExactly(v4, v3);
        assertThat(store.headObject("bkt", "k").versionId()).contains(v4);
        assertThat(v1).isNotEqualTo(v2);
    }

    @Test
    void expiredDeleteMarkersGoOnlyWhenTheyAreTheLastVersion() {
        store.putBucketVersioning("bkt", ObjectVersions.Status.ENABLED);
        String kept = put("kept", "x").versionId().get();
        store.deleteObjectVersion("bkt", "kept", null);
        String lone = put("lone", "x").versionId().get();
        store.deleteObjectVersion("bkt", "lone", null);
        store.deleteObjectVersion("bkt", "lone", lone);
        assertThat(versions("lone")).hasSize(1);
        rules("<Rule><ID>m</ID><Filter/><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true"
                + "</ExpiredObjectDeleteMarker></Expiration></Rule>");
        assertThat(executor.run(Instant.now())).isEqualTo(1);
        assertThat(versions("lone")).isEmpty();
        assertThat(versions("kept")).hasSize(2).contains(kept);
    }

    @Test
    void abandonedUploadsAreAbortedAfterTheirDays() {
        String old = store.createMultipartUpload(new UploadSpec("bkt", "tmp/a", Map.of(), Map.of(), Map.of(),
                Optional.empty(), Optional.empty()));
        String elsewhere = store.createMultipartUpload(new UploadSpec("bkt", "data/a", Map.of(), Map.of(), Map.of(),
                Optional.empty(), Optional.empty()));
        rules("<Rule><ID>u</ID><Filter><Prefix>tmp/</Prefix></Filter><Status>Enabled</Status>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation>"
                + "</AbortIncompleteMultipartUpload></Rule>");
        assertThat(executor.run(inDays(1))).isZero();
        assertThat(executor.run(inDays(3))).isEqualTo(1);
        assertThat(store.hasUpload("bkt", "tmp/a", old)).isFalse();
        assertThat(store.hasUpload("bkt", "data/a", elsewhere)).isTrue();
        assertThat(counted("abort-upload")).isEqualTo(1);
        assertThatThrownBy(() -> store.listParts("bkt", "tmp/a", old, 0, 10)).isInstanceOf(S3Exception.class);
    }

    @Test
    void walksBucketsLargerThanOnePage() {
        for (int i = 0; i < 1050; i++) {
            put("k" + i, "x");
        }
        put("stay", "x");
        rules("<Rule><ID>k</ID><Filter><Prefix>k</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days>"
                + "</Expiration></Rule>");
        assertThat(executor.run(inDays(2))).isEqualTo(1050);
        assertThat(store.listObjectVersions("bkt", new ObjectVersions.ListRequest("", null, null, null, 1000))
                .versions()).extracting(ObjectVersions.Version::key).containsExactly("stay");
    }
}
