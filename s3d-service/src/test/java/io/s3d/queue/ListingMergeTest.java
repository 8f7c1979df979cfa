package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectMeta;
import io.s3d.queue.QueueItem.Op;
import io.s3d.queue.WriteQueue.Pending;
import io.s3d.store.KeyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ListingMergeTest {
    private static final Instant REMOTE_TIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant QUEUED_TIME = Instant.parse("2026-02-02T00:00:00Z");

    private static ObjectMeta remote(String key) {
        return remote(key, 1, "remote-" + key);
    }

    private static ObjectMeta remote(String key, long size, String etag) {
        return new ObjectMeta(key, size, etag, REMOTE_TIME, Map.of(), Map.of(), Map.of(), Map.of(), 0, etag);
    }

    private static ListPage page(List<ObjectMeta> objects, List<String> prefixes, boolean truncated, String next) {
        return new ListPage(objects, prefixes, truncated, next);
    }

    private static ListPage complete(ObjectMeta... objects) {
        return page(List.of(objects), List.of(), false, null);
    }

    private static Pending put(long size, String etag) {
        return new Pending(Op.PUT, size, etag, QUEUED_TIME, null, false);
    }

    private static Pending put() {
        return put(7, "queued");
    }

    private static Pending delete() {
        return new Pending(Op.DELETE, 0, "", Instant.EPOCH, null, false);
    }

    private static Pending tags() {
        return new Pending(Op.TAGS, 0, "", Instant.EPOCH, Map.of("t", "v"), false);
    }

    /** What WriteQueue.pendingRange hands over: keys in UTF-8 order. */
    private static NavigableMap<String, Pending> queued(Object... keysAndPendings) {
        TreeMap<String, Pending> out = new TreeMap<>(KeyOrder.COMPARATOR);
        for (int i = 0; i < keysAndPendings.length; i += 2) {
            out.put((String) keysAndPendings[i], (Pending) keysAndPendings[i + 1]);
        }
        return out;
    }

    private static ListRequest all(int maxKeys) {
        return new ListRequest("", null, "", maxKeys);
    }

    private static List<String> keys(ListPage page) {
        return page.objects().stream().map(ObjectMeta::key).toList();
    }

    @Test
    void withNothingQueuedTheRemotePageIsReturnedAsIs() {
        ListPage remote = page(List.of(remote("a")), List.of("d/"), true, "d/");
        assertThat(ListingMerge.merge(all(2), remote, queued())).isSameAs(remote);
    }

    @Test
    void queuedPutsAreAddedInKeyOrder() {
        ListPage merged = ListingMerge.merge(all(1000), complete(remote("b"), remote("d")),
                queued("a", put(3, "qa"), "c", put(4, "qc"), "e", put(5, "qe"), "\uD83D\uDE00", put(), "\uE000", put()));

        assertThat(keys(merged)).containsExactly("a", "b", "c", "d", "e", "\uE000", "\uD83D\uDE00");
        assertThat(merged.objects().get(0)).extracting(ObjectMeta::size, ObjectMeta::etag, ObjectMeta::lastModified)
                .containsExactly(3L, "qa", QUEUED_TIME);
        assertThat(merged.objects().get(1).etag()).isEqualTo("remote-b");
        assertThat(merged.truncated()).isFalse();
        assertThat(merged.nextStartAfter()).isNull();
    }

    @Test
    void aQueuedNewerPutReplacesTheRemotesSizeAndEtag() {
        ListPage merged = ListingMerge.merge(all(1000), complete(remote("k", 1, "old-etag")),
                queued("k", put(999, "new-etag")));

        assertThat(merged.objects()).hasSize(1);
        assertThat(merged.objects().getFirst()).extracting(ObjectMeta::key, ObjectMeta::size, ObjectMeta::etag,
                ObjectMeta::lastModified).containsExactly("k", 999L, "new-etag", QUEUED_TIME);
    }

    @Test
    void aQueuedDeleteHidesTheRemoteKey() {
        ListPage merged = ListingMerge.merge(all(1000), complete(remote("a"), remote("b"), remote("c")),
                queued("b", delete(), "never-on-remote", delete()));

        assertThat(keys(merged)).containsExactly("a", "c");
        assertThat(merged.truncated()).isFalse();
    }

    @Test
    void aQueuedTagChangeDoesNotChangeTheListing() {
        ListPage merged = ListingMerge.merge(all(1000), complete(remote("a")), queued("a", tags(), "z", tags()));

        assertThat(keys(merged)).containsExactly("a");
        assertThat(merged.objects().getFirst().etag()).isEqualTo("remote-a");
    }

    @Test
    void withADelimiterAQueuedKeyInANewFolderAddsItsCommonPrefixOnce() {
        ListRequest request = new ListRequest("photos/", "/", "", 1000);
        ListPage remote = page(List.of(remote("photos/top.jpg")), List.of("photos/2025/"), false, null);

        ListPage merged = ListingMerge.merge(request, remote, queued(
                "photos/2025/new.jpg", put(),
                "photos/2026/a.jpg", put(),
                "photos/2026/b.jpg", put(),
                "photos/2026/deeper/c.jpg", put(),
                "photos/gone/x.jpg", delete(),
                "photos/zz.jpg", put()));

        assertThat(merged.commonPrefixes()).containsExactly("photos/2025/", "photos/2026/");
        assertThat(keys(merged)).containsExactly("photos/top.jpg", "photos/zz.jpg");
        assertThat(merged.truncated()).isFalse();
    }

    @Test
    void theMaxKeysCutTruncatesAfterTheLastReturnedEntry() {
        ListPage merged = ListingMerge.merge(all(3), complete(remote("a"), remote("c")),
                queued("b", put(), "d", put()));

        assertThat(keys(merged)).containsExactly("a", "b", "c");
        assertThat(merged.truncated()).isTrue();
        assertThat(merged.nextStartAfter()).isEqualTo("c");

        // The next page (the remote has nothing after "c"; the queue still has "d").
        ListPage next = ListingMerge.merge(new ListRequest("", null, "c", 3), complete(), queued("d", put()));
        assertThat(keys(next)).containsExactly("d");
        assertThat(next.truncated()).isFalse();
    }

    @Test
    void theMaxKeysCutCanEndOnACommonPrefix() {
        ListRequest request = new ListRequest("", "/", "", 2);
        ListPage merged = ListingMerge.merge(request, complete(remote("a.txt")),
                queued("b/1", put(), "c.txt", put()));

        assertThat(keys(merged)).containsExactly("a.txt");
        assertThat(merged.commonPrefixes()).containsExactly("b/");
        assertThat(merged.truncated()).isTrue();
        assertThat(merged.nextStartAfter()).isEqualTo("b/");
    }

    @Test
    void queuedKeysBeyondATruncatedRemotePageWaitForTheNextPage() {
        ListPage remote = page(List.of(remote("a"), remote("c")), List.of(), true, "c");

        ListPage merged = ListingMerge.merge(all(3), remote, queued("b", put(), "d", put(), "e", delete()));

        assertThat(keys(merged)).containsExactly("a", "b", "c");
        assertThat(merged.truncated()).isTrue();
        assertThat(merged.nextStartAfter()).isEqualTo("c");

        // Next page: the remote continues after "c" with "e" (deleted in the queue) and "f".
        ListPage second = ListingMerge.merge(new ListRequest("", null, "c", 3), complete(remote("e"), remote("f")),
                queued("d", put(), "e", delete()));
        assertThat(keys(second)).containsExactly("d", "f");
        assertThat(second.truncated()).isFalse();
    }

    @Test
    void aQueuedFolderBeyondATruncatedRemotePageWaitsForTheNextPage() {
        ListRequest request = new ListRequest("", "/", "", 2);
        ListPage remote = page(List.of(remote("a")), List.of("b/"), true, "b/");

        ListPage merged = ListingMerge.merge(request, remote, queued("b/new", put(), "z/1", put()));

        assertThat(keys(merged)).containsExactly("a");
        assertThat(merged.commonPrefixes()).containsExactly("b/");
        assertThat(merged.truncated()).isTrue();
        assertThat(merged.nextStartAfter()).isEqualTo("b/");
    }

    @Test
    void whenQueuedDeletesHideTheEndOfATruncatedPageItGoesOnAfterWhatTheRemoteCovered() {
        ListPage remote = page(List.of(remote("a"), remote("b"), remote("c")), List.of(), true, "c");

        ListPage merged = ListingMerge.merge(all(3), remote, queued("b", delete(), "c", delete()));

        assertThat(keys(merged)).containsExactly("a");
        assertThat(merged.truncated()).as("the remote has more").isTrue();
        assertThat(merged.nextStartAfter()).as("not 'a': b and c need not be listed again").isEqualTo("c");

        ListPage empty = ListingMerge.merge(all(3), remote, queued("a", delete(), "b", delete(), "c", delete()));
        assertThat(empty.objects()).isEmpty();
        assertThat(empty.truncated()).isTrue();
        assertThat(empty.nextStartAfter()).isEqualTo("c");
    }

    @Test
    void aQueuedKeyUnderTheCommonPrefixThePreviousPageEndedOnIsNotShownAgain() {
        // Page 1 ended on common prefix "dir/"; page 2 starts after it.
        ListRequest request = new ListRequest("", "/", "dir/", 1000);

        ListPage merged = ListingMerge.merge(request, complete(remote("e.txt")),
                queued("dir/new.txt", put(), "dir2/x", put()));

        assertThat(merged.commonPrefixes()).containsExactly("dir2/");
        assertThat(keys(merged)).containsExactly("e.txt");
    }

    /** max-keys=0 answers as without a queue: empty and not truncated (no page to continue from). */
    @Test
    void maxKeysZeroIsTheRemotesEmptyPage() {
        ListPage merged = ListingMerge.merge(all(0), complete(), queued("a", put()));

        assertThat(merged.objects()).isEmpty();
        assertThat(merged.truncated()).isFalse();
        assertThat(merged.nextStartAfter()).isNull();
    }
}
