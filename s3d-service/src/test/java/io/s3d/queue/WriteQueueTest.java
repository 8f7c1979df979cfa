package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.s3d.backend.S3Exception;
import io.s3d.queue.QueueItem.Op;
import io.s3d.queue.WriteQueue.Claim;
import io.s3d.queue.WriteQueue.FlushResult;
import io.s3d.queue.WriteQueue.Key;
import io.s3d.queue.WriteQueue.Limits;
import io.s3d.queue.WriteQueue.Pending;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteQueueTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    /** How long a blocked call is watched to show it stays blocked. */
    private static final long BLOCKED_MS = 50;
    /** Generous upper bound for something that must happen "now" (a loaded CI box is slow). */
    private static final long SOON_MS = 5_000;

    @TempDir(factory = RamTempDir.class)
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<WriteQueue> opened = new ArrayList<>();

    @AfterEach
    void stop() {
        opened.forEach(WriteQueue::close);
        threads.shutdownNow();
    }

    /** A clock that only moves when told to. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

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
            throw new UnsupportedOperationException();
        }
    }

    private static Limits limits() {
        return new Limits(1L << 30, 10_000, Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMillis(50));
    }

    private WriteQueue open(Limits limits) throws IOException {
        WriteQueue q = WriteQueue.open(dir, limits, clock);
        opened.add(q);
        return q;
    }

    private WriteQueue open() throws IOException {
        return open(limits());
    }

    /** Simulates a restart: the old instance stops, a new one replays the same directory. */
    private WriteQueue reopen(WriteQueue old) throws IOException {
        old.close();
        return open(old.limits());
    }

    private static QueueItem put(WriteQueue q, String bucket, String key, long size, String etag) {
        return q.append(Op.PUT, bucket, key, size, etag, T0.minusSeconds(60), Map.of());
    }

    private static QueueItem delete(WriteQueue q, String bucket, String key) {
        return q.append(Op.DELETE, bucket, key, 0, "", null, Map.of());
    }

    private static QueueItem tags(WriteQueue q, String bucket, String key, Map<String, String> tags) {
        return q.append(Op.TAGS, bucket, key, 0, "", null, tags);
    }

    private <T> Future<T> async(Callable<T> call) {
        return threads.submit(call);
    }

    private static <T> T done(Future<T> f) throws Exception {
        return f.get(SOON_MS, TimeUnit.MILLISECONDS);
    }

    private static void assertStillBlocked(Future<?> f) {
        assertThatThrownBy(() -> f.get(BLOCKED_MS, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
    }

    private Claim takeNow(WriteQueue q) throws Exception {
        return done(async(q::take));
    }

    private long journalFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".item")).count();
        }
    }

    // --- the client side: what readers see ---

    @Test
    void pendingShowsTheKeysLatestState() throws IOException {
        WriteQueue q = open();
        assertThat(q.pending("b", "k")).isEmpty();

        put(q, "b", "k", 5, "e1");
        assertThat(q.pending("b", "k")).contains(new Pending(Op.PUT, 5, "e1", T0.minusSeconds(60), null, false));

        put(q, "b", "k", 7, "e2");
        assertThat(q.pending("b", "k").orElseThrow()).extracting(Pending::size, Pending::etag).containsExactly(7L, "e2");

        // Tags after a PUT: still that PUT, now with the new tag set.
        tags(q, "b", "k", Map.of("color", "red"));
        assertThat(q.pending("b", "k")).contains(
                new Pending(Op.PUT, 7, "e2", T0.minusSeconds(60), Map.of("color", "red"), false));

        // A DELETE hides everything before it.
        delete(q, "b", "k");
        assertThat(q.pending("b", "k")).contains(new Pending(Op.DELETE, 0, "", Instant.EPOCH, null, false));

        // A PUT after the DELETE brings the key back, without the old tag change.
        put(q, "b", "k", 9, "e3");
        assertThat(q.pending("b", "k")).contains(new Pending(Op.PUT, 9, "e3", T0.minusSeconds(60), null, false));

        // A tag change alone (the object is only on the remote).
        tags(q, "b", "remote-only", Map.of("a", "1"));
        assertThat(q.pending("b", "remote-only")).contains(
                new Pending(Op.TAGS, 0, "", Instant.EPOCH, Map.of("a", "1"), false));

        // Keys are per bucket.
        assertThat(q.pending("other", "k")).isEmpty();
        assertThat(q.hasItems("b")).isTrue();
        assertThat(q.hasItems("other")).isFalse();
    }

    @Test
    void claimReplaysTheLastPutOrDeleteAndOnlyTagsWhenOnlyTagsChanged() throws Exception {
        WriteQueue q = open();
        put(q, "b", "put-then-tags", 3, "e");
        tags(q, "b", "put-then-tags", Map.of("t", "1"));
        put(q, "b", "put-then-delete", 3, "e");
        delete(q, "b", "put-then-delete");
        tags(q, "b", "tags-only", Map.of("t", "2"));

        Claim a = takeNow(q);
        Claim b = takeNow(q);
        Claim c = takeNow(q);

        assertThat(a.key()).isEqualTo(new Key("b", "put-then-tags"));
        assertThat(a.effectiveOp()).isEqualTo(Op.PUT);
        assertThat(a.last().tags()).containsEntry("t", "1");
        assertThat(b.effectiveOp()).isEqualTo(Op.DELETE);
        assertThat(c.effectiveOp()).isEqualTo(Op.TAGS);
    }

    // --- the pusher side ---

    @Test
    void takeHandsOutKeysOldestFirstAndNeverTheSameKeyTwice() throws Exception {
        WriteQueue q = open();
        QueueItem a1 = put(q, "b", "a", 1, "a1");
        put(q, "b", "b", 1, "b1");
        QueueItem a2 = put(q, "b", "a", 2, "a2");
        put(q, "b", "c", 1, "c1");

        Claim first = takeNow(q);
        assertThat(first.key()).isEqualTo(new Key("b", "a"));
        assertThat(first.items()).containsExactly(a1, a2);
        assertThat(first.upToSeq()).isEqualTo(a2.seq());
        assertThat(first.attempt()).isZero();
        assertThat(takeNow(q).key().key()).isEqualTo("b");
        assertThat(takeNow(q).key().key()).isEqualTo("c");

        // Every key is out: a new write to a key being pushed does not hand it out a second time...
        Future<Claim> next = async(q::take);
        put(q, "b", "a", 3, "a3");
        assertStillBlocked(next);
        assertThat(q.entry("b", "a").orElseThrow().state()).isEqualTo("pushing");
        // ...while a write to another key wakes the waiting pusher at once.
        put(q, "b", "d", 1, "d1");
        assertThat(done(next).key()).isEqualTo(new Key("b", "d"));
    }

    @Test
    void pushedRemovesTheClaimedItemsFromMemoryAndDisk() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 10, "e");
        tags(q, "b", "k", Map.of("x", "y"));
        put(q, "b", "other", 5, "o");
        assertThat(journalFiles()).isEqualTo(3);

        Claim claim = takeNow(q);
        assertThat(q.pushed(claim, 10)).as("key has nothing left").isTrue();

        assertThat(q.pending("b", "k")).isEmpty();
        assertThat(q.entry("b", "k")).isEmpty();
        assertThat(journalFiles()).isEqualTo(1);
        assertThat(q.snapshot().items()).isEqualTo(1);
        assertThat(q.snapshot().bytes()).isEqualTo(5);
        assertThat(q.stats().pushed()).isEqualTo(2);
        assertThat(q.stats().pushedBytes()).isEqualTo(10);
    }

    @Test
    void aWriteArrivingDuringAPushStaysQueuedAndIsHandedOutAgain() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 10, "old");
        Claim first = takeNow(q);

        QueueItem during = delete(q, "b", "k");
        assertThat(q.pushed(first, 10)).as("key still has the delete").isFalse();

        assertThat(q.pending("b", "k").orElseThrow().op()).isEqualTo(Op.DELETE);
        assertThat(journalFiles()).isEqualTo(1);
        Claim second = takeNow(q);
        assertThat(second.items()).containsExactly(during);
        assertThat(second.effectiveOp()).isEqualTo(Op.DELETE);
        assertThat(q.pushed(second, 0)).isTrue();
        assertThat(q.pending("b", "k")).isEmpty();
        assertThat(journalFiles()).isZero();
    }

    @Test
    void retryLaterHoldsTheKeyBackUntilItsBackoffHasPassed() throws Exception {
        WriteQueue q = open(); // retry delay 50 ms, on the manual clock
        put(q, "b", "k", 1, "e");
        Claim claim = takeNow(q);

        q.retryLater(claim, "500 InternalError", false);

        WriteQueue.Entry entry = q.entry("b", "k").orElseThrow();
        assertThat(entry.state()).isEqualTo("pending");
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.error()).isEqualTo("500 InternalError");
        // The clock stands still: however long we wait, the key is not due.
        Future<Claim> retried = async(q::take);
        assertStillBlocked(retried);
        // Another key is not held back by this one's backoff.
        put(q, "b", "other", 1, "e");
        Claim other = done(retried);
        assertThat(other.key().key()).isEqualTo("other");

        Future<Claim> again = async(q::take);
        assertStillBlocked(again);
        clock.advance(Duration.ofMillis(50)); // the largest backoff of a first retry
        Claim second = done(again);
        assertThat(second.key().key()).isEqualTo("k");
        assertThat(second.attempt()).isEqualTo(1);
        assertThat(q.stats().retries()).isEqualTo(1);
    }

    @Test
    void aKeyTheRemoteKeepsRefusingIsParkedAfterMaxAttemptsOnceParkAfterHasPassed() throws Exception {
        // Three attempts and one minute; backoff 50 ms on the manual clock.
        WriteQueue q = open(new Limits(1L << 30, 10_000, Duration.ofMinutes(5), Duration.ofMillis(100),
                Duration.ofMillis(50), Duration.ofMillis(50), 3, Duration.ofMinutes(1)));
        put(q, "b", "broken", 1, "e");
        put(q, "b", "fine", 1, "e");
        Claim claim = takeNow(q);
        assertThat(claim.key().key()).isEqualTo("broken");

        // An unreachable remote is an outage, not this key's fault: never counted.
        for (int i = 0; i < 5; i++) {
            assertThat(q.retryLater(claim, "connection refused", true)).isNull();
            clock.advance(Duration.ofMinutes(1));
            claim = takeKey(q, "broken");
        }
        assertThat(q.retryLater(claim, "InternalError: boom", false)).isNull();
        clock.advance(Duration.ofSeconds(1));
        claim = takeKey(q, "broken");
        assertThat(q.retryLater(claim, "InternalError: boom", false)).isNull();
        clock.advance(Duration.ofSeconds(1));
        claim = takeKey(q, "broken");
        // Three attempts, but only two seconds of failing: one more chance.
        assertThat(q.retryLater(claim, "InternalError: boom", false)).isNull();
        clock.advance(Duration.ofMinutes(1));
        claim = takeKey(q, "broken");
        String parked = q.retryLater(claim, "InternalError: boom", false);

        assertThat(parked).startsWith("InternalError: boom").contains("parked after 4 failed attempts");
        assertThat(q.entry("b", "broken").orElseThrow()).extracting(WriteQueue.Entry::state, WriteQueue.Entry::error)
                .containsExactly("parked", parked);
        assertThat(q.stats().parkings()).isEqualTo(1);
        // The rest of the queue flows, and the parked key does not age the queue into SlowDown.
        Claim fine = takeNow(q);
        assertThat(fine.key().key()).isEqualTo("fine");
        q.pushed(fine, 1);
        clock.advance(Duration.ofHours(1));
        q.admit(1);
        // Parked durably; retry gives it a fresh count.
        q = reopen(q);
        assertThat(q.entry("b", "broken").orElseThrow().state()).isEqualTo("parked");
        assertThat(q.retry("b", "broken")).isEqualTo(1);
        claim = takeKey(q, "broken");
        assertThat(q.retryLater(claim, "InternalError: boom", false)).isNull();
    }

    /** Takes claims until {@code key}'s comes (others are put back as pushed elsewhere would be: retried). */
    private Claim takeKey(WriteQueue q, String key) throws Exception {
        Claim c = takeNow(q);
        while (!c.key().key().equals(key)) {
            q.retryLater(c, "not this one", true);
            clock.advance(Duration.ofMillis(50));
            c = takeNow(q);
        }
        return c;
    }

    @Test
    void aConditionalWriteIsPushedWithWhatTheRemoteHeldAtAcknowledgement() throws Exception {
        WriteQueue q = open();
        q.append(Op.PUT, "b", "created", 1, "e1", T0, Map.of(), QueueItem.EXPECT_ABSENT);
        q.append(Op.PUT, "b", "created", 1, "e2", T0, Map.of(), QueueItem.EXPECT_QUEUED);
        q.append(Op.PUT, "b", "replaced", 1, "e3", T0, Map.of(), QueueItem.expectEtag("remote-etag"));
        put(q, "b", "blind", 1, "e4");
        q.append(Op.PUT, "b", "blind", 1, "e5", T0, Map.of(), QueueItem.EXPECT_QUEUED);

        q = reopen(q);
        Claim created = takeNow(q);
        assertThat(created.key().key()).isEqualTo("created");
        assertThat(created.pushExpectation()).as("the chain's first write decides").isEqualTo("absent");
        Claim replaced = takeNow(q);
        assertThat(replaced.pushExpectation()).isEqualTo("etag:remote-etag");
        assertThat(QueueItem.expectedEtag(replaced.pushExpectation())).contains("remote-etag");
        Claim blind = takeNow(q);
        assertThat(blind.pushExpectation()).as("an unconditional write before it: no condition").isNull();
    }

    @Test
    void aConditionalWriteCheckedAgainstAQueuedWriteExpectsWhatThatWritesPushMadeRemote() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 1, "local-1");
        Claim first = takeNow(q);
        // While the first version is being pushed, a conditional write is checked against it (queued).
        q.append(Op.PUT, "b", "k", 1, "local-2", T0, Map.of(), QueueItem.EXPECT_QUEUED);
        assertThat(q.pushed(first, 1, "remote-1")).isFalse();

        Claim second = takeNow(q);
        assertThat(second.pushExpectation()).isEqualTo("etag:remote-1");
        // Durably: a restart keeps the resolved expectation.
        q.retryLater(second, "boom", true);
        q = reopen(q);
        Claim again = takeNow(q);
        assertThat(again.pushExpectation()).isEqualTo("etag:remote-1");

        // After a pushed delete, the next conditional write expects no object.
        WriteQueue q2 = q;
        q2.pushed(again, 1, "remote-2");
        q2.append(Op.DELETE, "b", "d", 0, "", null, Map.of());
        Claim delete = takeNow(q2);
        q2.append(Op.PUT, "b", "d", 1, "local-3", T0, Map.of(), QueueItem.EXPECT_QUEUED);
        q2.pushed(delete, 0, null);
        assertThat(takeNow(q2).pushExpectation()).isEqualTo("absent");
    }

    @Test
    void anUnreachableRemotePausesEveryKeyNotJustTheFailedOne() throws Exception {
        WriteQueue q = open();
        put(q, "b", "a", 1, "e");
        put(q, "b", "b", 1, "e");
        Claim a = takeNow(q);

        q.retryLater(a, "connection refused", true);

        Future<Claim> next = async(q::take);
        assertStillBlocked(next);
        clock.advance(Duration.ofMillis(50));
        Claim b = done(next);
        assertThat(b.key().key()).isEqualTo("b");
    }

    @Test
    void parkKeepsTheItemsDurablyUntilRetried() throws Exception {
        WriteQueue q = open();
        QueueItem item = put(q, "b", "k", 10, "e");
        Claim claim = takeNow(q);

        q.park(claim, "403 AccessDenied");

        assertThat(q.pending("b", "k").orElseThrow().parked()).isTrue();
        assertThat(q.entry("b", "k").orElseThrow()).extracting(WriteQueue.Entry::state, WriteQueue.Entry::error)
                .containsExactly("parked", "403 AccessDenied");
        assertThat(q.snapshot().parked()).isEqualTo(1);
        assertThat(q.snapshot().items()).isEqualTo(1);
        assertThat(q.isDrained()).as("parked items do not keep the queue from draining").isTrue();
        assertThat(q.stats().parkings()).isEqualTo(1);
        assertStillBlocked(async(q::take));

        // A restart keeps it parked, with its error.
        q = reopen(q);
        assertThat(q.pending("b", "k").orElseThrow().parked()).isTrue();
        assertThat(q.entry("b", "k").orElseThrow()).extracting(WriteQueue.Entry::state, WriteQueue.Entry::error)
                .containsExactly("parked", "403 AccessDenied");
        assertThat(q.entries(null, null, true, 10)).extracting(WriteQueue.Entry::key).containsExactly("k");
        assertThat(q.snapshot().parked()).isEqualTo(1);
        Future<Claim> blocked = async(q::take);
        assertStillBlocked(blocked);

        // The flush barrier does not wait for what only an operator can unblock.
        FlushResult flush = q.flush("b", null, Duration.ofSeconds(30));
        assertThat(flush.flushed()).isFalse();
        assertThat(flush.timedOut()).isFalse();
        assertThat(flush.parked()).isEqualTo(1);
        assertThat(flush.remaining()).isEqualTo(1);
        assertThat(flush.waitedMillis()).isLessThan(SOON_MS);

        assertThat(q.retry("b", null)).isEqualTo(1);
        Claim again = done(blocked);
        assertThat(again.key()).isEqualTo(new Key("b", "k"));
        assertThat(again.items()).containsExactly(item);
        assertThat(again.attempt()).isZero();
        assertThat(q.snapshot().parked()).isZero();

        // The un-parking is durable too.
        q = reopen(q);
        assertThat(q.pending("b", "k").orElseThrow().parked()).isFalse();
        assertThat(q.snapshot().parked()).isZero();
        assertThat(q.pushed(takeNow(q), 10)).isTrue();
        assertThat(journalFiles()).isZero();
    }

    @Test
    void aHeldKeyWaitsDurablyWithoutCountingAsAFailureUntilItsTagsChange() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 10, "e");

        q.hold(takeNow(q), UploadHold.REASON);

        assertThat(q.entry("b", "k").orElseThrow()).extracting(WriteQueue.Entry::state, WriteQueue.Entry::error)
                .containsExactly("parked", UploadHold.REASON);
        assertThat(UploadHold.shownState("parked", q.entry("b", "k").orElseThrow().error())).isEqualTo("held");
        assertThat(q.stats().failures()).as("a hold is no failed push").isZero();
        assertThat(q.isDrained()).isTrue();
        Future<Claim> blocked = async(q::take);
        assertStillBlocked(blocked);

        q = reopen(q);
        assertThat(q.entry("b", "k").orElseThrow().error()).isEqualTo(UploadHold.REASON);
        blocked = async(q::take);
        assertStillBlocked(blocked);

        // put-object-tagging on the queued object: a TAGS item, and the pusher looks at the key again.
        QueueItem tags = q.append(QueueItem.Op.TAGS, "b", "k", 0, "", null, java.util.Map.of("s3d.upload", "true"));
        Claim again = done(blocked);
        assertThat(again.last()).isEqualTo(tags);
        assertThat(again.effectiveOp()).isEqualTo(QueueItem.Op.PUT);
        assertThat(again.items()).noneMatch(QueueItem::isParked);
    }

    @Test
    void retryOnlyUnparksTheMatchingKeys() throws Exception {
        WriteQueue q = open();
        put(q, "b", "logs/1", 1, "e");
        put(q, "b", "photos/1", 1, "e");
        put(q, "c", "logs/1", 1, "e");
        for (int i = 0; i < 3; i++) {
            Claim claim = takeNow(q);
            q.park(claim, "403");
        }

        assertThat(q.retry("b", "logs/")).isEqualTo(1);

        assertThat(q.pending("b", "logs/1").orElseThrow().parked()).isFalse();
        assertThat(q.pending("b", "photos/1").orElseThrow().parked()).isTrue();
        assertThat(q.pending("c", "logs/1").orElseThrow().parked()).isTrue();
        assertThat(takeNow(q).key()).isEqualTo(new Key("b", "logs/1"));
    }

    @Test
    void aNewWriteToAParkedKeyGivesItANewChance() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 1, "e1");
        q.park(takeNow(q), "400 InvalidArgument");

        QueueItem fix = put(q, "b", "k", 2, "e2");

        assertThat(q.pending("b", "k").orElseThrow().parked()).isFalse();
        assertThat(q.snapshot().parked()).isZero();
        Claim claim = takeNow(q);
        assertThat(claim.last()).isEqualTo(fix);
        assertThat(claim.items()).noneMatch(QueueItem::isParked);
    }

    @Test
    void parkingAClaimThatANewerWriteFollowedKeepsTheKeyGoing() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 1, "e1");
        Claim claim = takeNow(q);
        QueueItem newer = put(q, "b", "k", 2, "e2");

        q.park(claim, "400 InvalidArgument");

        assertThat(q.entry("b", "k").orElseThrow().state()).isEqualTo("pending");
        assertThat(q.snapshot().parked()).isZero();
        Claim next = takeNow(q);
        assertThat(next.upToSeq()).isEqualTo(newer.seq());
        assertThat(next.items()).noneMatch(QueueItem::isParked);
        // Same after a restart (the journal still records the older item as parked).
        q = reopen(q);
        assertThat(q.entry("b", "k").orElseThrow().state()).isEqualTo("pending");
        assertThat(q.snapshot().parked()).isZero();
        assertThat(takeNow(q).upToSeq()).isEqualTo(newer.seq());
    }

    // --- flush ---

    @Test
    void flushWithNothingQueuedReturnsAtOnce() throws Exception {
        WriteQueue q = open();
        FlushResult r = q.flush(null, null, Duration.ofSeconds(30));
        assertThat(r.flushed()).isTrue();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.remaining()).isZero();
        assertThat(r.waitedMillis()).isLessThan(SOON_MS);
    }

    @Test
    void flushReturnsOnceTheMatchingItemsArePushed() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 1, "e");

        Future<FlushResult> flush = async(() -> q.flush("b", null, Duration.ofSeconds(30)));
        assertStillBlocked(flush);
        q.pushed(takeNow(q), 1);

        FlushResult r = done(flush);
        assertThat(r.flushed()).isTrue();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.remaining()).isZero();
    }

    @Test
    void flushTimesOutWhenAMatchingItemIsNeverPushed() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 1, "e");
        takeNow(q); // being pushed, forever

        long start = System.nanoTime();
        FlushResult r = q.flush("b", "k", Duration.ofMillis(100));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
        assertThat(r.flushed()).isFalse();
        assertThat(r.timedOut()).isTrue();
        assertThat(r.remaining()).isEqualTo(1);
        assertThat(r.parked()).isZero();
        assertThat(r.waitedMillis()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void flushOfABucketOrPrefixIgnoresEverythingElse() throws Exception {
        WriteQueue q = open();
        put(q, "other", "photos/1", 1, "e");
        put(q, "b", "logs/1", 1, "e");
        put(q, "b2", "photos/1", 1, "e");

        assertThat(q.flush("b", "photos/", Duration.ofSeconds(30)).flushed()).isTrue();
        assertThat(q.flush("nothing-here", null, Duration.ofSeconds(30)).flushed()).isTrue();
        // "b" is not a prefix match for bucket "b2".
        FlushResult b = q.flush("b", null, Duration.ofMillis(50));
        assertThat(b.timedOut()).isTrue();
        assertThat(b.remaining()).isEqualTo(1);
        FlushResult all = q.flush(null, "photos/", Duration.ofMillis(50));
        assertThat(all.remaining()).isEqualTo(2);
    }

    // --- admission ---

    @Test
    void aFullQueueRejectsWithSlowDownAfterTheAdmissionWait() throws Exception {
        WriteQueue q = open(new Limits(1L << 30, 2, Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMillis(50)));
        q.admit(1);
        put(q, "b", "one", 1, "e");
        q.admit(1);
        put(q, "b", "two", 1, "e");

        long start = System.nanoTime();
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> q.admit(1));

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo("SlowDown");
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("s3d.write-queue.max-files is 2");
        assertThat(q.stats().rejections()).isEqualTo(1);
        assertThat(q.stats().admissionWaits()).isPositive();
    }

    @Test
    void aWaitingAdmitGoesAheadOnceAPushFreesRoom() throws Exception {
        WriteQueue q = open(new Limits(1L << 30, 2, Duration.ZERO, Duration.ofSeconds(30), Duration.ofMillis(50),
                Duration.ofMillis(50)));
        put(q, "b", "one", 1, "e");
        put(q, "b", "two", 1, "e");

        Future<Boolean> admit = async(() -> {
            q.admit(1);
            return true;
        });
        assertStillBlocked(admit);
        q.pushed(takeNow(q), 1);

        assertThat(done(admit)).isTrue();
        assertThat(q.stats().rejections()).isZero();
    }

    @Test
    void theByteLimitCountsWhatIsOnDiskNotVersionsAlreadyReplaced() throws Exception {
        long mib = 1024 * 1024;
        WriteQueue q = open(new Limits(15 * mib, 10_000, Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(50),
                Duration.ofMillis(50)));
        // Five overwrites of one 10 MiB key leave one 10 MiB object in the queue's store.
        for (int i = 0; i < 5; i++) {
            put(q, "b", "video", 10 * mib, "v" + i);
        }
        put(q, "b", "small", mib, "s");
        assertThat(q.snapshot().bytes()).isEqualTo(11 * mib);
        assertThat(q.snapshot().buckets().get("b")[1]).isEqualTo(11 * mib);
        q.admit(4 * mib);

        // A queued delete removes the queued copy; a tag change keeps it.
        delete(q, "b", "video");
        tags(q, "b", "small", Map.of("k", "v"));
        assertThat(q.snapshot().bytes()).isEqualTo(mib);
        // Pushing a key that still has newer writes keeps its copy; pushing its last one frees it.
        Claim video = takeNow(q);
        put(q, "b", "video", 2 * mib, "v5");
        q.pushed(video, 0);
        assertThat(q.snapshot().bytes()).isEqualTo(3 * mib);
        Claim small = takeNow(q);
        q.pushed(small, mib);
        assertThat(q.snapshot().bytes()).isEqualTo(2 * mib);

        // At a restart the journal says nothing of sizes: the store tells, once per key.
        q = reopen(q);
        q.describe("b", "video", 2 * mib, "v5", T0);
        q.dropUnstoredPuts(java.util.Set.of(new Key("b", "video")));
        assertThat(q.snapshot().bytes()).isEqualTo(2 * mib);
    }

    @Test
    void theByteLimitCountsQueuedBytesButAnEmptyQueueTakesAnySize() throws Exception {
        WriteQueue q = open(new Limits(100, 10_000, Duration.ZERO, Duration.ofMillis(20), Duration.ofMillis(50),
                Duration.ofMillis(50)));
        q.admit(10_000); // one object larger than the whole queue may still be written
        put(q, "b", "big", 60, "e");

        q.admit(40);
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> q.admit(41));
        assertThat(e.code()).isEqualTo("SlowDown");
        assertThat(e.getMessage()).contains("60 bytes").contains("s3d.write-queue.max-size is 100");

        q.pushed(takeNow(q), 60);
        q.admit(10_000);
    }

    @Test
    void anOldPendingItemMakesAdmitSlowDownButParkedItemsDoNotAge() throws Exception {
        WriteQueue q = open(new Limits(1L << 30, 10_000, Duration.ofSeconds(10), Duration.ofMillis(20),
                Duration.ofMillis(50), Duration.ofMillis(50)));
        put(q, "b", "stuck", 1, "e");

        clock.advance(Duration.ofSeconds(10));
        q.admit(1); // exactly max-age old is still fine
        clock.advance(Duration.ofMillis(1));
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> q.admit(1));
        assertThat(e.code()).isEqualTo("SlowDown");
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("s3d.write-queue.max-age");

        // Parked, the old item waits for an operator and no longer blocks clients.
        q.park(takeNow(q), "403 AccessDenied");
        q.admit(1);
        assertThat(q.snapshot().oldest()).isNull();

        // A fresh pending item starts the clock again.
        put(q, "b", "fresh", 1, "e");
        assertThat(q.snapshot().oldest()).isEqualTo(clock.instant());
        q.admit(1);
        clock.advance(Duration.ofSeconds(11));
        assertThatThrownBy(() -> q.admit(1)).isInstanceOf(S3Exception.class).hasMessageContaining("max-age");
    }

    // --- a PUT journaled while its body streams in: reserve, then commit or abandon ---

    @Test
    void aReservedPutCountsOnlyOnceCommitted() throws Exception {
        WriteQueue q = open();
        QueueItem reserved = q.reserve(Op.PUT, "b", "k");
        QueueItem other = put(q, "b", "other", 1, "o");

        assertThat(journalFiles()).as("durable before the body is complete").isEqualTo(2);
        assertThat(q.pending("b", "k")).isEmpty();
        assertThat(q.snapshot().items()).isEqualTo(1);

        QueueItem committed = q.commit(reserved, 42, "etag-k", T0);

        assertThat(committed.seq()).isEqualTo(reserved.seq());
        assertThat(q.pending("b", "k")).contains(new Pending(Op.PUT, 42, "etag-k", T0, null, false));
        assertThat(q.snapshot().bytes()).isEqualTo(43);
        // Its place in the queue is where it was reserved: before the write that committed first.
        assertThat(takeNow(q).items()).containsExactly(committed);
        assertThat(takeNow(q).items()).containsExactly(other);
    }

    @Test
    void aReservationOvertakenByALaterWriteMovesBehindItEvenWhenThatWriteIsPushedAndGone() throws Exception {
        WriteQueue q = open();
        QueueItem slow = q.reserve(Op.PUT, "b", "k"); // its body is still streaming
        QueueItem quick = put(q, "b", "k", 1, "quick");
        Claim pushed = takeNow(q);
        q.pushed(pushed, 1);
        assertThat(q.pending("b", "k")).isEmpty();

        QueueItem moved = q.reorder(slow);
        // After a power cut the pushed write's entry may come back (its removal is not fsynced): the
        // slow write, which took effect after it, must still replay after it.
        assertThat(moved.seq()).isGreaterThan(quick.seq());
        q.commit(moved, 5, "slow", T0);
        assertThat(journalFiles()).isEqualTo(1);
        assertThat(takeNow(q).items()).extracting(QueueItem::seq).containsExactly(moved.seq());

        // A reservation nobody overtook keeps its place.
        QueueItem alone = q.reserve(Op.PUT, "b", "other");
        assertThat(q.reorder(alone)).isEqualTo(alone);
    }

    @Test
    void anAbandonedReservationLeavesNothingBehind() throws Exception {
        WriteQueue q = open();
        q.abandon(q.reserve(Op.PUT, "b", "k"));

        assertThat(journalFiles()).isZero();
        q = reopen(q);
        assertThat(q.pending("b", "k")).isEmpty();
        assertThat(q.snapshot().items()).isZero();
    }

    @Test
    void aReservationACrashCutShortIsReplayedAndDescribedFromTheStore() throws Exception {
        WriteQueue q = open();
        q.reserve(Op.PUT, "b", "k"); // the body never finished: no commit

        q = reopen(q);

        assertThat(q.pending("b", "k")).contains(new Pending(Op.PUT, 0, "", Instant.EPOCH, null, false));
        q.describe("b", "k", 42, "etag-k", T0); // what WriteQueueService reads from the queue's store
        assertThat(q.pending("b", "k")).contains(new Pending(Op.PUT, 42, "etag-k", T0, null, false));
        assertThat(q.snapshot().bytes()).isEqualTo(42);
        q.describe("b", "not-queued", 1, "e", T0); // ignored
        assertThat(q.snapshot().items()).isEqualTo(1);
    }

    /**
     * A PUT whose body was still streaming in at a crash has a journal entry but no stored object;
     * at start-up (after the store scan) it goes, and the key's queued DELETE is its state again.
     */
    @Test
    void anUnfinishedPutAfterAQueuedDeleteIsDroppedAtRestart() throws Exception {
        WriteQueue q = open();
        delete(q, "b", "k");
        q.reserve(Op.PUT, "b", "k"); // crash while the body streams in

        q = reopen(q);
        assertThat(q.dropUnstoredPuts(java.util.Set.of())).isEqualTo(1);

        assertThat(q.pending("b", "k").orElseThrow().op()).isEqualTo(Op.DELETE);
        Claim claim = takeNow(q);
        assertThat(claim.items()).extracting(QueueItem::op).containsExactly(Op.DELETE);
        assertThat(claim.effectiveOp()).isEqualTo(Op.DELETE);
        // ... and the entry is gone from disk: a second restart does not bring it back.
        q = reopen(q);
        assertThat(q.snapshot().items()).isEqualTo(1);
    }

    /** A key whose object is in the store keeps its PUT items, finished or not. */
    @Test
    void putsOfStoredObjectsStayAtRestart() throws Exception {
        WriteQueue q = open();
        put(q, "b", "k", 5, "e1");
        q.reserve(Op.PUT, "b", "k");

        q = reopen(q);
        assertThat(q.dropUnstoredPuts(java.util.Set.of(new WriteQueue.Key("b", "k")))).isZero();

        assertThat(q.snapshot().items()).isEqualTo(2);
        assertThat(q.pending("b", "k").orElseThrow().op()).isEqualTo(Op.PUT);
    }

    // --- restart, snapshot, listing support ---

    @Test
    void aRestartReplaysEveryItemInTheSameOrder() throws Exception {
        WriteQueue q = open();
        QueueItem a1 = put(q, "b", "a", 10, "a1");
        QueueItem b1 = delete(q, "b", "b");
        QueueItem a2 = tags(q, "b", "a", Map.of("k", "v"));
        clock.advance(Duration.ofSeconds(1));
        QueueItem c1 = put(q, "b2", "c", 20, "c1");
        Pending pendingA = q.pending("b", "a").orElseThrow();
        WriteQueue.Snapshot before = q.snapshot();

        q = reopen(q);

        assertThat(q.pending("b", "a")).contains(pendingA);
        assertThat(q.pending("b", "b").orElseThrow().op()).isEqualTo(Op.DELETE);
        WriteQueue.Snapshot after = q.snapshot();
        assertThat(after.items()).isEqualTo(before.items()).isEqualTo(4);
        assertThat(after.bytes()).isEqualTo(before.bytes()).isEqualTo(30);
        assertThat(after.oldest()).isEqualTo(T0);
        Claim first = takeNow(q);
        assertThat(first.items()).containsExactly(a1, a2);
        assertThat(takeNow(q).items()).containsExactly(b1);
        assertThat(takeNow(q).items()).containsExactly(c1);
        // New writes continue above the highest replayed seq.
        assertThat(put(q, "b", "d", 1, "d1").seq()).isEqualTo(c1.seq() + 1);
    }

    @Test
    void seqContinuesAboveTheHighestItemLeftEvenWithHolesBelowIt() throws Exception {
        WriteQueue q = open();
        for (int i = 0; i < 5; i++) {
            put(q, "b", "k" + i, 1, "e");
        }
        // Push all but the newest.
        for (int i = 0; i < 4; i++) {
            q.pushed(takeNow(q), 1);
        }

        q = reopen(q);

        assertThat(q.snapshot().items()).isEqualTo(1);
        assertThat(put(q, "b", "later", 1, "e").seq()).isEqualTo(5);
    }

    @Test
    void snapshotCountsItemsBytesAndParkedPerBucket() throws Exception {
        WriteQueue q = open();
        put(q, "b1", "x", 100, "e");
        clock.advance(Duration.ofSeconds(1));
        put(q, "b1", "y", 50, "e");
        put(q, "b2", "z", 7, "e");
        tags(q, "b2", "z", Map.of("t", "v"));
        // Park b1/x: the oldest pending item is then b1/y.
        q.park(takeNow(q), "403");

        WriteQueue.Snapshot s = q.snapshot();

        assertThat(s.items()).isEqualTo(4);
        assertThat(s.bytes()).isEqualTo(157);
        assertThat(s.parked()).isEqualTo(1);
        assertThat(s.oldest()).isEqualTo(T0.plusSeconds(1));
        assertThat(s.buckets()).containsOnlyKeys("b1", "b2");
        assertThat(s.buckets().get("b1")).containsExactly(2, 150, 1);
        assertThat(s.buckets().get("b2")).containsExactly(2, 7, 0);
    }

    @Test
    void pendingRangeReturnsKeysUnderThePrefixStrictlyAfterStartAfterInUtf8Order() throws Exception {
        WriteQueue q = open();
        // U+E000 is before U+1F600 in UTF-8 (code point) order, after it in Java's UTF-16 order.
        String privateUse = "p/\uE000";
        String emoji = "p/\uD83D\uDE00";
        for (String key : List.of(emoji, "p/b", "o", "p", "p/", "p/a", privateUse, "pz", "p/a/deeper", "q")) {
            put(q, "b", key, 1, "e");
        }
        put(q, "other", "p/c", 1, "e");

        assertThat(q.pendingRange("b", "p/", "").keySet())
                .containsExactly("p/", "p/a", "p/a/deeper", "p/b", privateUse, emoji);
        assertThat(q.pendingRange("b", "p/", "p/a").keySet())
                .containsExactly("p/a/deeper", "p/b", privateUse, emoji);
        assertThat(q.pendingRange("b", "p/", privateUse).keySet()).containsExactly(emoji);
        assertThat(q.pendingRange("b", "p/", emoji)).isEmpty();
        // startAfter before the prefix: the whole prefix, the key equal to the prefix included.
        assertThat(q.pendingRange("b", "p/", "a").keySet()).first().isEqualTo("p/");
        assertThat(q.pendingRange("b", "p/", "p/").keySet()).doesNotContain("p/").contains("p/a");
        assertThat(q.pendingRange("b", "", "p/b").keySet()).containsExactly(privateUse, emoji, "pz", "q");
        assertThat(q.pendingRange("nobody", "", "")).isEmpty();
        assertThat(q.pendingRange("b", "p/", "").get("p/b")).isEqualTo(q.pending("b", "p/b").orElseThrow());
    }

    @Test
    void pendingRangeLeavesOutKeysWhosePushFinished() throws Exception {
        WriteQueue q = open();
        put(q, "b", "a", 1, "e");
        put(q, "b", "b", 1, "e");
        q.pushed(takeNow(q), 1);
        assertThat(q.pendingRange("b", "", "").keySet()).containsExactly("b");
    }

    @Test
    void closeReleasesWaitingPushers() throws Exception {
        WriteQueue q = open();
        Future<Claim> waiting = async(q::take);
        assertStillBlocked(waiting);
        q.close();
        assertThat(done(waiting)).isNull();
    }
}
