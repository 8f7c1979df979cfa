package io.s3d.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.sync.SyncPlanner.Action;
import io.s3d.sync.SyncPlanner.Kind;
import io.s3d.sync.SyncPlanner.Plan;
import io.s3d.sync.SyncPlanner.Resolution;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner's table: snapshot × local × remote → action, per direction and conflict policy. */
class SyncPlannerTest {
    private static final long T = 1_700_000_000L;
    private static final LocalEntry L1 = LocalEntry.file(10, T * 1_000_000_000L, 5);
    private static final LocalEntry L2 = LocalEntry.file(11, (T + 100) * 1_000_000_000L, 5);
    private static final RemoteEntry R1 = new RemoteEntry(10, "e1", Instant.ofEpochSecond(T), false);
    private static final RemoteEntry R2 = new RemoteEntry(12, "e2", Instant.ofEpochSecond(T + 50), false);
    private static final StateEntry S1 = new StateEntry(10, T * 1_000_000_000L, 5, "e1", 10);

    private final Map<String, StateEntry> state = new HashMap<>();
    private final Map<String, LocalEntry> local = new HashMap<>();
    private final Map<String, RemoteEntry> remote = new HashMap<>();

    private Plan plan(Direction direction, ConflictPolicy policy) {
        return SyncPlanner.plan(state, local, remote, direction, policy);
    }

    private Action only(Direction direction, ConflictPolicy policy) {
        Plan plan = plan(direction, policy);
        assertThat(plan.refusal()).isEmpty();
        assertThat(plan.actions()).hasSize(1);
        return plan.actions().get(0);
    }

    private Action only(Direction direction, ConflictPolicy policy, String path) {
        Plan plan = plan(direction, policy);
        assertThat(plan.refusal()).isEmpty();
        return plan.actions().stream().filter(a -> a.path().equals(path)).findFirst().orElseThrow();
    }

    private Kind kind(Direction direction) {
        Plan plan = plan(direction, ConflictPolicy.KEEP_BOTH);
        assertThat(plan.refusal()).isEmpty();
        return plan.actions().isEmpty() ? null : plan.actions().get(0).kind();
    }

    /** Another path in sync on both sides, so no side looks empty. */
    private void withAnotherSyncedFile() {
        state.put("other", S1);
        local.put("other", L1);
        remote.put("other", R1);
    }

    @Test
    void inSyncNeedsNothing() {
        state.put("a", S1);
        local.put("a", L1);
        remote.put("a", R1);
        assertThat(plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH).actions()).isEmpty();
    }

    @Test
    void newFilesFlowTheAllowedWayOnly() {
        local.put("a", L1);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.UPLOAD);
        assertThat(kind(Direction.UPLOAD_ONLY)).isEqualTo(Kind.UPLOAD);
        assertThat(kind(Direction.DOWNLOAD_ONLY)).isNull();
        local.clear();
        remote.put("a", R1);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.DOWNLOAD);
        assertThat(kind(Direction.DOWNLOAD_ONLY)).isEqualTo(Kind.DOWNLOAD);
        assertThat(kind(Direction.UPLOAD_ONLY)).isNull();
    }

    @Test
    void aChangeOnOneSideIsCopiedToTheOther() {
        withAnotherSyncedFile();
        state.put("a", S1);
        local.put("a", L2);
        remote.put("a", R1);
        Action up = plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH).actions().get(0);
        assertThat(up.kind()).isEqualTo(Kind.UPLOAD);
        assertThat(up.remote()).as("uploaded only over the version in sync").isEqualTo(R1);
        local.put("a", L1);
        remote.put("a", R2);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.DOWNLOAD);
        assertThat(kind(Direction.UPLOAD_ONLY)).isNull();
    }

    @Test
    void aKeyThatIsALocalDirectoryOrUnderALocalFileIsAClash() {
        local.put("photos/a.jpg", L1); // directory photos/ locally
        remote.put("photos", R1);
        local.put("docs", L1); // file docs locally
        remote.put("docs/x.md", R1);
        remote.put("both", R1); // key both and both/y: both cannot be a file and a directory
        remote.put("both/y", R1);
        Map<String, Kind> kinds = new HashMap<>();
        plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH).actions().forEach(a -> kinds.put(a.path(), a.kind()));
        assertThat(kinds).containsEntry("photos", Kind.CLASH).containsEntry("docs/x.md", Kind.CLASH)
                .containsEntry("both", Kind.CLASH).containsEntry("both/y", Kind.DOWNLOAD)
                .containsEntry("photos/a.jpg", Kind.UPLOAD).containsEntry("docs", Kind.UPLOAD);
    }

    @Test
    void anInodeChangeAloneIsNotALocalChange() {
        // After a remount every inode may differ: same size and time is the same file.
        withAnotherSyncedFile();
        state.put("a", S1);
        local.put("a", LocalEntry.file(10, T * 1_000_000_000L, 6));
        remote.put("a", R1);
        assertThat(kind(Direction.BOTH)).isNull();
        assertThat(local.get("a").inodeMoved(S1)).isTrue();
        // A remote edit made meanwhile is downloaded, not a conflict.
        remote.put("a", R2);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.DOWNLOAD);
    }

    @Test
    void deletionsPropagateOnlyForPathsThatWereInSync() {
        withAnotherSyncedFile();
        state.put("a", S1);
        remote.put("a", R1);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.DELETE_REMOTE);
        assertThat(kind(Direction.DOWNLOAD_ONLY)).as("the target is repaired").isEqualTo(Kind.DOWNLOAD);
        remote.remove("a");
        local.put("a", L1);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.DELETE_LOCAL);
        assertThat(kind(Direction.UPLOAD_ONLY)).as("the target is repaired").isEqualTo(Kind.UPLOAD);
        local.remove("a");
        assertThat(kind(Direction.BOTH)).as("gone on both sides").isEqualTo(Kind.FORGET);
    }

    @Test
    void aOneWayFolderRepairsItsTargetButKeepsEditsThere() {
        withAnotherSyncedFile();
        state.put("a", S1);
        local.put("a", L1); // unchanged source, object deleted from the bucket
        Action up = only(Direction.UPLOAD_ONLY, ConflictPolicy.KEEP_BOTH, "a");
        assertThat(up.kind()).isEqualTo(Kind.UPLOAD);
        assertThat(up.remote()).as("only if the key is still absent").isNull();
        remote.put("a", R2); // an edit in the bucket stays in upload-only
        assertThat(kind(Direction.UPLOAD_ONLY)).isNull();
        local.remove("a");
        remote.put("a", R1); // unchanged object, local file deleted
        Action down = only(Direction.DOWNLOAD_ONLY, ConflictPolicy.KEEP_BOTH, "a");
        assertThat(down.kind()).isEqualTo(Kind.DOWNLOAD);
        assertThat(down.local()).as("only if no file appeared").isNull();
        local.put("a", L2); // a local edit stays in download-only
        assertThat(kind(Direction.DOWNLOAD_ONLY)).isNull();
    }

    @Test
    void aChangedFileBeatsADeletion() {
        withAnotherSyncedFile();
        state.put("a", S1);
        local.put("a", L2);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.UPLOAD);
        local.remove("a");
        remote.put("a", R2);
        assertThat(kind(Direction.BOTH)).isEqualTo(Kind.DOWNLOAD);
        assertThat(kind(Direction.UPLOAD_ONLY)).as("never deleted, never downloaded").isEqualTo(Kind.FORGET);
    }

    @Test
    void withoutASnapshotNothingIsDeletedAndBothSidedPathsAreCompared() {
        // A lost or fresh snapshot: every path on both sides is a conflict the transfer settles by content.
        local.put("a", L1);
        remote.put("a", R1);
        local.put("b", L1);
        remote.put("c", R1);
        Plan plan = plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH);
        assertThat(plan.actions()).extracting(Action::path, Action::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", Kind.CONFLICT), org.assertj.core.groups.Tuple.tuple("b",
                        Kind.UPLOAD), org.assertj.core.groups.Tuple.tuple("c", Kind.DOWNLOAD));
    }

    @Test
    void eachPolicyPicksTheWinnerOfAConflict() {
        withAnotherSyncedFile();
        state.put("a", S1);
        local.put("a", L2); // modified at T+100
        remote.put("a", R2); // modified at T+50
        assertThat(only2(ConflictPolicy.KEEP_BOTH).resolution()).isEqualTo(Resolution.KEEP_BOTH);
        assertThat(only2(ConflictPolicy.LOCAL_WINS).resolution()).isEqualTo(Resolution.LOCAL);
        assertThat(only2(ConflictPolicy.REMOTE_WINS).resolution()).isEqualTo(Resolution.REMOTE);
        assertThat(only2(ConflictPolicy.NEWER_WINS).resolution()).isEqualTo(Resolution.LOCAL);
        remote.put("a", new RemoteEntry(12, "e3", Instant.ofEpochSecond(T + 200), false));
        assertThat(only2(ConflictPolicy.NEWER_WINS).resolution()).isEqualTo(Resolution.REMOTE);
        // Same second: S3 keeps no finer time, so neither is newer and both are kept.
        remote.put("a", new RemoteEntry(12, "e3", Instant.ofEpochSecond(T + 100), false));
        assertThat(only2(ConflictPolicy.NEWER_WINS).resolution()).isEqualTo(Resolution.KEEP_BOTH);
    }

    private Action only2(ConflictPolicy policy) {
        Plan plan = plan(Direction.BOTH, policy);
        Action a = plan.actions().stream().filter(x -> x.path().equals("a")).findFirst().orElseThrow();
        assertThat(a.kind()).isEqualTo(Kind.CONFLICT);
        return a;
    }

    @Test
    void conflictsArePlannedInOneWayModesToo() {
        state.put("a", S1);
        local.put("a", L2);
        remote.put("a", R2);
        assertThat(only(Direction.UPLOAD_ONLY, ConflictPolicy.KEEP_BOTH).kind()).isEqualTo(Kind.CONFLICT);
        assertThat(only(Direction.DOWNLOAD_ONLY, ConflictPolicy.KEEP_BOTH).kind()).isEqualTo(Kind.CONFLICT);
    }

    @Test
    void heldPathsAreNeverReadAsDeletions() {
        withAnotherSyncedFile();
        state.put("big", S1);
        local.put("big", L2.held(LocalEntry.Hold.TOO_LARGE));
        state.put("link", S1);
        local.put("link", L1.held(LocalEntry.Hold.NOT_A_FILE));
        remote.put("link", R2);
        state.put("busy", S1);
        local.put("busy", L2.held(LocalEntry.Hold.UNSETTLED));
        remote.put("busy", R1);
        state.put("huge", S1);
        local.put("huge", L1);
        remote.put("huge", new RemoteEntry(1L << 40, "e9", Instant.ofEpochSecond(T), true));
        Plan plan = plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH);
        assertThat(plan.actions()).extracting(Action::path, Action::kind).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("big", Kind.SKIP),
                org.assertj.core.groups.Tuple.tuple("link", Kind.SKIP),
                org.assertj.core.groups.Tuple.tuple("busy", Kind.DEFER),
                org.assertj.core.groups.Tuple.tuple("huge", Kind.SKIP));
    }

    @Test
    void anEmptyLocalSideRefusesToDeleteTheBucket() {
        state.put("a", S1);
        state.put("b", S1);
        remote.put("a", R1);
        remote.put("b", R1);
        Plan plan = plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH);
        assertThat(plan.refusal()).hasValueSatisfying(r -> assertThat(r).contains("local directory looks empty"));
    }

    @Test
    void anEmptyBucketPrefixRefusesToDeleteLocalFiles() {
        state.put("a", S1);
        local.put("a", L1);
        Plan plan = plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH);
        assertThat(plan.refusal()).hasValueSatisfying(r -> assertThat(r).contains("bucket prefix looks empty"));
        // Upload-only would delete nothing locally: nothing to refuse.
        assertThat(plan(Direction.UPLOAD_ONLY, ConflictPolicy.KEEP_BOTH).refusal()).isEmpty();
    }

    @Test
    void bothSidesEmptyIsNotRefused() {
        state.put("a", S1);
        Plan plan = plan(Direction.BOTH, ConflictPolicy.KEEP_BOTH);
        assertThat(plan.refusal()).isEmpty();
        assertThat(plan.actions()).extracting(Action::kind).containsExactly(Kind.FORGET);
    }
}
