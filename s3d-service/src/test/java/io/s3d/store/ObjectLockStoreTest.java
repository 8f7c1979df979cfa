package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ObjectLock;
import io.s3d.backend.ObjectLock.Mode;
import io.s3d.backend.ObjectLock.Retention;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Object Lock on the local store, judged by a clock the test moves: S3's rules, and what survives a reopen. */
class ObjectLockStoreTest {
    /** The one seam the test owns: the time retentions are judged by. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    @TempDir
    Path dir;
    TestClock clock = new TestClock();
    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0, clock);
        store.createBucket("locked", true);
    }

    private ObjectMeta put(String bucket, String key, Map<String, String> headers) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return store.putObject(new PutRequest(bucket, key, new ByteArrayInputStream(bytes), bytes.length,
                Optional.empty(), headers, Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }

    private Retention retention(Mode mode, Duration from) {
        return new Retention(mode, clock.now.plus(from));
    }

    private static Map<String, String> lockHeaders(Retention retention) {
        return Map.of(ObjectLock.MODE, retention.mode().name(), ObjectLock.RETAIN_UNTIL,
                ObjectLock.format(retention.retainUntil()));
    }

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.code() + ": " + e.getMessage();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aBucketCreatedWithObjectLockIsVersionedForGoodAndHasNoDefaultRetention() {
        assertThat(store.bucketVersioning("locked")).isEqualTo(ObjectVersions.Status.ENABLED);
        assertThat(store.objectLockConfiguration("locked")).contains(ObjectLock.Configuration.ENABLED);
        assertThat(code(() -> store.putBucketVersioning("locked", ObjectVersions.Status.SUSPENDED)))
                .startsWith("InvalidBucketState");
        store.putBucketVersioning("locked", ObjectVersions.Status.ENABLED);
        store.createBucket("plain");
        assertThat(store.objectLockConfiguration("plain")).isEmpty();
    }

    @Test
    void objectLockIsEnabledOnAnExistingBucketOnlyOnceItsVersioningIsEnabled() {
        store.createBucket("later");
        ObjectLock.Configuration thirtyDays = new ObjectLock.Configuration(
                Optional.of(new ObjectLock.DefaultRetention(Mode.GOVERNANCE, 30, 0)));
        assertThat(code(() -> store.putObjectLockConfiguration("later", thirtyDays))).isEqualTo(
                "InvalidBucketState: Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
        store.putBucketVersioning("later", ObjectVersions.Status.ENABLED);
        store.putObjectLockConfiguration("later", thirtyDays);
        assertThat(store.objectLockConfiguration("later")).contains(thirtyDays);
        ObjectMeta meta = put("later", "k", Map.of());
        assertThat(store.objectLockState("later", "k", meta.versionId().get()).retention())
                .contains(new Retention(Mode.GOVERNANCE, clock.now.plus(Duration.ofDays(30))));
    }

    @Test
    void theDefaultRetentionInYearsCountsCalendarYearsFromTheWrite() {
        store.putObjectLockConfiguration("locked", new ObjectLock.Configuration(
                Optional.of(new ObjectLock.DefaultRetention(Mode.COMPLIANCE, 0, 2))));
        ObjectMeta meta = put("locked", "k", Map.of());
        Retention retention = store.objectLockState("locked", "k", null).retention().orElseThrow();
        assertThat(retention.mode()).isEqualTo(Mode.COMPLIANCE);
        assertThat(retention.retainUntil()).isEqualTo(Instant.parse("2032-01-01T00:00:00Z"));
        assertThat(meta.headers()).containsEntry(ObjectLock.RETAIN_UNTIL, "2032-01-01T00:00:00.000Z");
        assertThat(store.headObject("locked", "k").headers()).containsEntry(ObjectLock.MODE, "COMPLIANCE")
                .containsKey(ObjectLock.RETAIN_UNTIL);
    }

    @Test
    void aVersionsOwnRetentionWinsOverTheDefaultAndIsAnsweredWithIt() {
        store.putObjectLockConfiguration("locked", new ObjectLock.Configuration(
                Optional.of(new ObjectLock.DefaultRetention(Mode.COMPLIANCE, 1, 0))));
        Retention own = retention(Mode.GOVERNANCE, Duration.ofHours(3));
        Map<String, String> headers = new java.util.HashMap<>(lockHeaders(own));
        headers.put(ObjectLock.LEGAL_HOLD, "ON");
        ObjectMeta meta = put("locked", "k", headers);
        ObjectLock.State state = store.objectLockState("locked", "k", meta.versionId().get());
        assertThat(state.retention()).contains(own);
        assertThat(state.legalHold()).contains(true);
        assertThat(store.headObjectVersion("locked", "k", meta.versionId().get()).headers())
                .containsEntry(ObjectLock.MODE, "GOVERNANCE").containsEntry(ObjectLock.LEGAL_HOLD, "ON");
    }

    @Test
    void aLockedVersionCannotBeDeletedButTheKeyCanGetADeleteMarker() {
        Retention compliance = retention(Mode.COMPLIANCE, Duration.ofDays(1));
        String id = put("locked", "k", lockHeaders(compliance)).versionId().get();
        assertThat(code(() -> store.deleteObjectVersion("locked", "k", id, true)))
                .isEqualTo("AccessDenied: Access Denied because object protected by object lock.");
        ObjectVersions.Deleted marker = store.deleteObjectVersion("locked", "k", null, false);
        assertThat(marker.deleteMarker()).isTrue();
        store.deleteObjectVersion("locked", "k", marker.versionId(), false); // markers are never locked
        assertThat(store.objectLockState("locked", "k", id).retention()).contains(compliance);
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        store.deleteObjectVersion("locked", "k", id, false);
        assertThat(store.listObjectVersions("locked", new ObjectVersions.ListRequest("", null, null, null, 10))
                .versions()).isEmpty();
    }

    @Test
    void governanceIsLiftedOnlyByABypassAndALegalHoldByNothingButItsRemoval() {
        String id = put("locked", "k", lockHeaders(retention(Mode.GOVERNANCE, Duration.ofDays(1)))).versionId()
                .get();
        assertThat(code(() -> store.deleteObjectVersion("locked", "k", id, false))).startsWith("AccessDenied");
        store.putObjectLegalHold("locked", "k", id, true);
        assertThat(code(() -> store.deleteObjectVersion("locked", "k", id, true))).startsWith("AccessDenied");
        store.putObjectLegalHold("locked", "k", id, false);
        assertThat(store.objectLockState("locked", "k", id).legalHold()).contains(false);
        store.deleteObjectVersion("locked", "k", id, true);
        assertThat(code(() -> store.headObjectVersion("locked", "k", id))).startsWith("NoSuchVersion");
    }

    @Test
    void aComplianceRetentionCannotBeShortenedRemovedOrTurnedIntoGovernanceEvenWithABypass() {
        Retention compliance = retention(Mode.COMPLIANCE, Duration.ofDays(10));
        String id = put("locked", "k", lockHeaders(compliance)).versionId().get();
        for (Optional<Retention> weaker : java.util.List.of(
                Optional.of(retention(Mode.COMPLIANCE, Duration.ofDays(9))),
                Optional.of(retention(Mode.GOVERNANCE, Duration.ofDays(20))), Optional.<Retention>empty())) {
            for (boolean bypass : new boolean[] {false, true}) {
                assertThat(code(() -> store.putObjectRetention("locked", "k", id, weaker, bypass)))
                        .as(weaker + " bypass " + bypass).startsWith("AccessDenied");
            }
        }
        assertThat(store.objectLockState("locked", "k", id).retention()).contains(compliance);
        Retention longer = retention(Mode.COMPLIANCE, Duration.ofDays(20));
        store.putObjectRetention("locked", "k", id, Optional.of(longer), false);
        assertThat(store.objectLockState("locked", "k", id).retention()).contains(longer);
        clock.advance(Duration.ofDays(19));
        assertThat(code(() -> store.deleteObjectVersion("locked", "k", id, true))).startsWith("AccessDenied");
    }

    @Test
    void aGovernanceRetentionIsExtendedFreelyAndWeakenedOnlyWithABypass() {
        String id = put("locked", "k", lockHeaders(retention(Mode.GOVERNANCE, Duration.ofDays(10)))).versionId()
                .get();
        Retention shorter = retention(Mode.GOVERNANCE, Duration.ofDays(1));
        assertThat(code(() -> store.putObjectRetention("locked", "k", id, Optional.of(shorter), false)))
                .startsWith("AccessDenied");
        Retention compliance = retention(Mode.COMPLIANCE, Duration.ofDays(30));
        assertThat(code(() -> store.putObjectRetention("locked", "k", id, Optional.of(compliance), false)))
                .as("a change of mode weakens what a bypass could lift").startsWith("AccessDenied");
        store.putObjectRetention("locked", "k", id, Optional.of(retention(Mode.GOVERNANCE, Duration.ofDays(11))),
                false);
        store.putObjectRetention("locked", "k", id, Optional.of(shorter), true);
        assertThat(store.objectLockState("locked", "k", id).retention()).contains(shorter);
        store.putObjectRetention("locked", "k", id, Optional.empty(), true);
        assertThat(store.objectLockState("locked", "k", id).retention()).isEmpty();
        store.deleteObjectVersion("locked", "k", id, false);
    }

    @Test
    void locksLiveWithTheirVersionAndSurviveAReopen() throws IOException {
        String first = put("locked", "a/k", Map.of()).versionId().get();
        String second = put("locked", "a/k", Map.of()).versionId().get();
        store.putObjectLegalHold("locked", "a/k", first, true);
        Retention compliance = retention(Mode.COMPLIANCE, Duration.ofDays(3));
        store.putObjectRetention("locked", "a/k", null, Optional.of(compliance), false);
        store.putObjectLockConfiguration("locked", new ObjectLock.Configuration(
                Optional.of(new ObjectLock.DefaultRetention(Mode.GOVERNANCE, 5, 0))));

        store = LocalStore.open(dir, "us-east-1", 10_000, 0, clock);
        assertThat(store.objectLockState("locked", "a/k", first)).isEqualTo(
                new ObjectLock.State(Optional.empty(), Optional.of(true)));
        assertThat(store.objectLockState("locked", "a/k", second).retention()).contains(compliance);
        assertThat(store.objectLockConfiguration("locked")).contains(new ObjectLock.Configuration(
                Optional.of(new ObjectLock.DefaultRetention(Mode.GOVERNANCE, 5, 0))));
        assertThat(code(() -> store.putBucketVersioning("locked", ObjectVersions.Status.SUSPENDED)))
                .startsWith("InvalidBucketState");
        assertThat(Files.exists(dir.resolve("locked/a.d/k.v/" + second + ObjectLocks.LOCK_SUFFIX))).isTrue();
    }

    @Test
    void retentionAndLegalHoldNeedABucketWithObjectLockAndAnExistingVersion() {
        store.createBucket("plain");
        put("plain", "k", Map.of());
        assertThat(code(() -> store.objectLockState("plain", "k", null)))
                .isEqualTo("InvalidRequest: Bucket is missing Object Lock Configuration");
        assertThat(code(() -> store.putObjectLegalHold("plain", "k", null, true)))
                .isEqualTo("InvalidRequest: Bucket is missing Object Lock Configuration");
        assertThat(code(() -> put("plain", "k2", Map.of(ObjectLock.LEGAL_HOLD, "ON"))))
                .isEqualTo("InvalidRequest: Bucket is missing ObjectLockConfiguration");
        assertThat(code(() -> store.putObjectLegalHold("locked", "nothing", null, true))).startsWith("NoSuchKey");
        assertThat(code(() -> store.putObjectLegalHold("locked", "nothing", "0123456789abcdef0123456789abcdef",
                true))).startsWith("NoSuchVersion");
        assertThat(store.objectLockState("locked", put("locked", "k", Map.of()).key(), null))
                .isEqualTo(ObjectLock.State.NONE);
    }

    @Test
    void anOverwriteIsANewVersionAndLeavesTheLockedOneAsItWas() throws IOException {
        Retention compliance = retention(Mode.COMPLIANCE, Duration.ofDays(1));
        String locked = put("locked", "k", lockHeaders(compliance)).versionId().get();
        String next = put("locked", "k", Map.of()).versionId().get();
        assertThat(next).isNotEqualTo(locked);
        assertThat(store.objectLockState("locked", "k", null)).isEqualTo(ObjectLock.State.NONE);
        assertThat(store.objectLockState("locked", "k", locked).retention()).contains(compliance);
        store.deleteObjectVersion("locked", "k", next, false);
        assertThat(store.headObject("locked", "k").versionId()).contains(locked);
    }
}
