package io.s3d.queue;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.store.KeyOrder;
import io.s3d.telemetry.Traces;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The write queue's state: which keys have writes waiting for the remote, in what order, and who
 * pushes what. Items are made durable in the {@link Journal} before they count; per key they are
 * replayed in order and coalesced (the remote gets the key's latest state), so the last write wins
 * and a deleted key never comes back. Everything here is guarded by one lock, held only briefly
 * (never across disk or network I/O).
 */
public final class WriteQueue {

    /**
     * The limits that make the queue "full", and how long a push the remote keeps refusing is
     * retried: a key is parked once {@code maxAttempts} pushes in a row were answered with an error
     * and the first of them is at least {@code parkAfter} old (an unreachable remote does not count).
     */
    public record Limits(long maxBytes, long maxItems, Duration maxAge, Duration admissionWait,
            Duration retryInitialDelay, Duration retryMaxDelay, int maxAttempts, Duration parkAfter) {

        public Limits(long maxBytes, long maxItems, Duration maxAge, Duration admissionWait,
                Duration retryInitialDelay, Duration retryMaxDelay) {
            this(maxBytes, maxItems, maxAge, admissionWait, retryInitialDelay, retryMaxDelay, 10,
                    Duration.ofMinutes(15));
        }
    }

    /** A bucket and key. */
    public record Key(String bucket, String key) {
    }

    /** What a reader must know about a key with queued writes: its latest state. */
    public record Pending(QueueItem.Op op, long size, String etag, Instant lastModified, Map<String, String> tags,
            boolean parked) {
    }

    /** A key handed to a pusher: every item up to {@code upToSeq} is settled by one push. */
    public record Claim(Key key, List<QueueItem> items, long upToSeq, int attempt) {
        /** The op the remote must see: the last PUT/DELETE, or TAGS when only tags changed. */
        public QueueItem.Op effectiveOp() {
            for (int i = items.size() - 1; i >= 0; i--) {
                if (items.get(i).op() != QueueItem.Op.TAGS) {
                    return items.get(i).op();
                }
            }
            return QueueItem.Op.TAGS;
        }

        public QueueItem last() {
            return items.getLast();
        }

        /**
         * For a PUT: what the remote must still hold for the push to go ahead, as the first write of
         * the claim saw it when it was acknowledged (later writes of the claim were checked against
         * the queued state that write built). Null: push unconditionally.
         */
        public String pushExpectation() {
            if (effectiveOp() != QueueItem.Op.PUT) {
                return null;
            }
            for (QueueItem item : items) {
                if (item.op() != QueueItem.Op.TAGS) {
                    // An unresolved "queued" (its predecessor's push result is unknown after a restart)
                    // cannot be turned into a condition: pushed as before, unconditionally.
                    return QueueItem.EXPECT_QUEUED.equals(item.expect()) ? null : item.expect();
                }
            }
            return null;
        }
    }

    /** Result of a flush barrier. */
    public record FlushResult(boolean flushed, long remaining, long parked, long waitedMillis, boolean timedOut) {
    }

    private enum State {
        READY, PUSHING, PARKED
    }

    private static final class KeyState {
        final Key key;
        final ArrayDeque<QueueItem> items = new ArrayDeque<>();
        State state = State.READY;
        int attempts;
        /** Bytes of the key's object in the queue's store: its latest queued PUT, 0 after a queued delete. */
        long storedBytes;
        /** Pushes in a row the remote answered with an error, and when the first of them failed. */
        int refusals;
        long firstRefusal;
        long notBefore;
        String lastError;

        KeyState(Key key) {
            this.key = key;
        }

        long firstSeq() {
            return items.getFirst().seq();
        }
    }

    private static final Comparator<KeyState> READY_ORDER = Comparator.<KeyState>comparingLong(k -> k.notBefore)
            .thenComparingLong(KeyState::firstSeq);

    private final Journal journal;
    private final Limits limits;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, TreeMap<String, KeyState>> byBucket = new HashMap<>();
    private final TreeMap<Long, QueueItem> bySeq = new TreeMap<>();
    private final TreeSet<KeyState> ready = new TreeSet<>(READY_ORDER);
    private final QueueStats stats = new QueueStats();
    /** PUTs whose entry is reserved while their body streams (seq → key), and those a later write overtook. */
    private final Map<Long, Key> reservations = new HashMap<>();
    private final java.util.Set<Long> overtakenReservations = new java.util.HashSet<>();
    private long nextSeq;
    private long bytes;
    private long parkedItems;
    private long pauseUntil;
    private int consecutiveUnreachable;
    private boolean closed;

    private WriteQueue(Journal journal, Limits limits, Clock clock) {
        this.journal = journal;
        this.limits = limits;
        this.clock = clock;
    }

    /** Opens the queue in {@code dir}, replaying every item a previous run left there. */
    public static WriteQueue open(java.nio.file.Path dir, Limits limits, Clock clock) throws IOException {
        WriteQueue queue = new WriteQueue(new Journal(dir.resolve("journal")), limits, clock);
        List<QueueItem> items = queue.journal.load();
        queue.lock.lock();
        try {
            for (QueueItem item : items) {
                queue.index(item);
                queue.nextSeq = Math.max(queue.nextSeq, item.seq() + 1);
            }
        } finally {
            queue.lock.unlock();
        }
        return queue;
    }

    public Limits limits() {
        return limits;
    }

    public QueueStats stats() {
        return stats;
    }

    // --- the client side: admission, appending, reading the pending state ---

    /**
     * Waits until a write of {@code size} bytes fits (up to the admission wait), else answers
     * {@code 503 SlowDown}. A queue holding nothing admits any size, so one object larger than the
     * byte limit can still be written.
     */
    public void admit(long size) {
        long deadline = System.nanoTime() + limits.admissionWait().toNanos();
        lock.lock();
        try {
            if (!fits(size)) {
                stats.waited();
            }
            while (!fits(size)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    stats.rejected();
                    throw new S3Exception(S3ErrorCode.SLOW_DOWN, "The s3d write queue is full ("
                            + fullReason() + "); writes are accepted again as queued items reach the remote.");
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new S3Exception(S3ErrorCode.SLOW_DOWN, "s3d is shutting down.");
        } finally {
            lock.unlock();
        }
    }

    private boolean fits(long size) {
        if (bySeq.isEmpty()) {
            return true;
        }
        return bySeq.size() < limits.maxItems() && bytes + size <= limits.maxBytes() && !tooOld();
    }

    private boolean tooOld() {
        if (limits.maxAge().isZero()) {
            return false;
        }
        Instant oldest = oldestPending();
        return oldest != null && oldest.plus(limits.maxAge()).isBefore(clock.instant());
    }

    private String fullReason() {
        if (bySeq.size() >= limits.maxItems()) {
            return bySeq.size() + " items, s3d.write-queue.max-files is " + limits.maxItems();
        }
        if (tooOld()) {
            return "its oldest item is older than s3d.write-queue.max-age " + limits.maxAge();
        }
        return bytes + " bytes, s3d.write-queue.max-size is " + limits.maxBytes();
    }

    /** Records an acknowledged write durably and queues it; the caller holds the key's lock. */
    public QueueItem append(QueueItem.Op op, String bucket, String key, long size, String etag, Instant lastModified,
            Map<String, String> tags) {
        return append(op, bucket, key, size, etag, lastModified, tags, null);
    }

    /**
     * Records an acknowledged conditional write: {@code expect} is what the remote must still hold
     * when it is pushed (see {@link QueueItem#expect()}). The caller holds the key's lock.
     */
    public QueueItem append(QueueItem.Op op, String bucket, String key, long size, String etag, Instant lastModified,
            Map<String, String> tags, String expect) {
        long seq;
        lock.lock();
        try {
            seq = nextSeq++;
        } finally {
            lock.unlock();
        }
        QueueItem item = new QueueItem(seq, op, bucket, key, size, etag == null ? "" : etag,
                lastModified == null ? Instant.EPOCH : lastModified, clock.instant(), tags, null, expect,
                Traces.currentTraceparent());
        journal.write(item);
        lock.lock();
        try {
            index(item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return item;
    }

    /**
     * The first half of a queued PUT, run while the object is still being stored: allocates the
     * item's place in the queue and makes its journal entry durable. The entry may outlive a write
     * that then fails or never finishes (a crash): replaying it pushes whatever the queue's store
     * holds for the key, which is the last write that was acknowledged. Runs without the key's lock
     * (while the body streams); {@link #reorder} then decides, under it, where the write goes.
     */
    public QueueItem reserve(QueueItem.Op op, String bucket, String key) {
        long seq;
        lock.lock();
        try {
            seq = nextSeq++;
            reservations.put(seq, new Key(bucket, key));
        } finally {
            lock.unlock();
        }
        QueueItem item = new QueueItem(seq, op, bucket, key, 0, "", Instant.EPOCH, clock.instant(), Map.of(), null,
                null, Traces.currentTraceparent());
        journal.write(item);
        return item;
    }

    /**
     * Between the halves, right before the reserved PUT's object is committed (the caller holds the
     * key's lock): PUT bodies stream without the lock, so a write to the key that started later may
     * have taken effect first. Then the reservation moves behind it — a new entry with a new
     * sequence number, made durable, the old one removed — so the queue's order stays the order in
     * which writes took effect, and a push of the earlier state never counts as this write's.
     */
    public QueueItem reorder(QueueItem reserved) {
        boolean overtaken;
        lock.lock();
        try {
            // Overtaken: a later write of the key joined the queue meanwhile (it may even be pushed and
            // gone already; its entry could still come back after a power cut, so it must stay older).
            overtaken = overtakenReservations.remove(reserved.seq());
        } finally {
            lock.unlock();
        }
        if (!overtaken) {
            return reserved;
        }
        QueueItem moved = reserve(reserved.op(), reserved.bucket(), reserved.key());
        forgetReservation(reserved);
        journal.remove(List.of(reserved));
        return moved;
    }

    private void forgetReservation(QueueItem reserved) {
        lock.lock();
        try {
            reservations.remove(reserved.seq());
            overtakenReservations.remove(reserved.seq());
        } finally {
            lock.unlock();
        }
    }

    /** The second half: the object is stored, the write joins the queue (and may be acknowledged). */
    public QueueItem commit(QueueItem reserved, long size, String etag, Instant lastModified) {
        QueueItem item = new QueueItem(reserved.seq(), reserved.op(), reserved.bucket(), reserved.key(), size, etag,
                lastModified, reserved.queuedAt(), reserved.tags(), null, null, reserved.traceparent());
        lock.lock();
        try {
            reservations.remove(reserved.seq());
            overtakenReservations.remove(reserved.seq());
            index(item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return item;
    }

    /** A reserved write that failed: its journal entry goes. */
    public void abandon(QueueItem reserved) {
        forgetReservation(reserved);
        journal.remove(List.of(reserved));
    }

    /**
     * At start-up: the size, ETag and time of a key's queued object, read from the queue's store
     * (journal entries are written before the object is complete, so they do not carry them).
     */
    void describe(String bucket, String key, long size, String etag, Instant lastModified) {
        lock.lock();
        try {
            TreeMap<String, KeyState> keys = byBucket.get(bucket);
            KeyState state = keys == null ? null : keys.get(key);
            if (state == null) {
                return;
            }
            List<QueueItem> items = new ArrayList<>(state.items);
            for (int i = items.size() - 1; i >= 0; i--) {
                QueueItem item = items.get(i);
                if (item.op() == QueueItem.Op.PUT) {
                    QueueItem described = new QueueItem(item.seq(), item.op(), bucket, key, size, etag, lastModified,
                            item.queuedAt(), item.tags(), item.parkedError(), item.expect(), item.traceparent());
                    items.set(i, described);
                    bySeq.put(item.seq(), described);
                    bytes += size - state.storedBytes;
                    state.storedBytes = size;
                    break;
                }
            }
            state.items.clear();
            state.items.addAll(items);
        } finally {
            lock.unlock();
        }
    }

    private void index(QueueItem item) {
        Key k = new Key(item.bucket(), item.key());
        for (Map.Entry<Long, Key> r : reservations.entrySet()) {
            if (r.getKey() < item.seq() && r.getValue().equals(k)) {
                overtakenReservations.add(r.getKey());
            }
        }
        KeyState state = byBucket.computeIfAbsent(item.bucket(), b -> new TreeMap<>(KeyOrder.COMPARATOR))
                .computeIfAbsent(item.key(), x -> new KeyState(k));
        boolean wasReady = state.state == State.READY && !state.items.isEmpty();
        if (wasReady) {
            ready.remove(state);
        }
        state.items.addLast(item);
        bySeq.put(item.seq(), item);
        // What is on disk counts, once per key: an overwrite replaces the queued copy, a delete removes it.
        if (item.op() == QueueItem.Op.PUT) {
            bytes += item.size() - state.storedBytes;
            state.storedBytes = item.size();
        } else if (item.op() == QueueItem.Op.DELETE) {
            bytes -= state.storedBytes;
            state.storedBytes = 0;
        }
        if (item.isParked()) {
            parkedItems++;
            if (state.state != State.PUSHING) {
                state.state = State.PARKED;
                state.lastError = item.parkedError();
            }
        } else if (state.state == State.PARKED) {
            // A new write to a parked key gives it a new chance, with the new state.
            unpark(state);
        }
        if (state.state == State.READY) {
            ready.add(state);
        }
    }

    /**
     * At start-up, after the queue's store was scanned: PUT items of keys whose object is not in the
     * store belong to writes a crash cut short (their entry is written while the body streams in)
     * or whose object a later queued delete removed; the unfinished ones were never acknowledged and
     * go, so the key's state is again its last acknowledged write. Returns how many items went.
     */
    int dropUnstoredPuts(java.util.Set<Key> stored) {
        List<QueueItem> dropped = new ArrayList<>();
        lock.lock();
        try {
            for (TreeMap<String, KeyState> keys : byBucket.values()) {
                for (KeyState state : keys.values()) {
                    if (stored.contains(state.key)) {
                        continue;
                    }
                    bytes -= state.storedBytes;
                    state.storedBytes = 0;
                    // PUTs after the last DELETE (or all, without one) never stored their object.
                    List<QueueItem> items = new ArrayList<>(state.items);
                    int lastDelete = -1;
                    for (int i = 0; i < items.size(); i++) {
                        if (items.get(i).op() == QueueItem.Op.DELETE) {
                            lastDelete = i;
                        }
                    }
                    for (int i = items.size() - 1; i > lastDelete; i--) {
                        if (items.get(i).op() == QueueItem.Op.PUT) {
                            dropped.add(items.remove(i));
                        }
                    }
                    if (items.size() != state.items.size()) {
                        ready.remove(state);
                        state.items.clear();
                        state.items.addAll(items);
                        if (!items.isEmpty() && state.state == State.READY) {
                            ready.add(state);
                        }
                    }
                }
                keys.values().removeIf(state -> state.items.isEmpty());
            }
            byBucket.values().removeIf(TreeMap::isEmpty);
            for (QueueItem item : dropped) {
                bySeq.remove(item.seq());
                if (item.isParked()) {
                    parkedItems--;
                }
            }
        } finally {
            lock.unlock();
        }
        journal.remove(dropped);
        return dropped.size();
    }

    /** The latest queued state of a key, if it has queued writes. */
    public Optional<Pending> pending(String bucket, String key) {
        lock.lock();
        try {
            TreeMap<String, KeyState> keys = byBucket.get(bucket);
            KeyState state = keys == null ? null : keys.get(key);
            return state == null || state.items.isEmpty() ? Optional.empty() : Optional.of(pendingOf(state));
        } finally {
            lock.unlock();
        }
    }

    private static Pending pendingOf(KeyState state) {
        QueueItem.Op op = QueueItem.Op.TAGS;
        QueueItem put = null;
        Map<String, String> tags = null;
        for (QueueItem item : state.items) {
            switch (item.op()) {
                case PUT -> {
                    op = QueueItem.Op.PUT;
                    put = item;
                    tags = null;
                }
                case DELETE -> {
                    op = QueueItem.Op.DELETE;
                    put = null;
                    tags = null;
                }
                case TAGS -> tags = item.tags();
            }
        }
        return new Pending(op, put == null ? 0 : put.size(), put == null ? "" : put.etag(),
                put == null ? Instant.EPOCH : put.lastModified(), tags, state.state == State.PARKED);
    }

    /** Queued keys of a bucket under {@code prefix} and after {@code startAfter}, in key order. */
    public NavigableMap<String, Pending> pendingRange(String bucket, String prefix, String startAfter) {
        TreeMap<String, Pending> out = new TreeMap<>(KeyOrder.COMPARATOR);
        lock.lock();
        try {
            TreeMap<String, KeyState> keys = byBucket.get(bucket);
            if (keys == null) {
                return out;
            }
            String from = KeyOrder.compare(prefix, startAfter) > 0 ? prefix : startAfter;
            for (KeyState state : keys.tailMap(from, false).values()) {
                if (!state.key.key().startsWith(prefix)) {
                    if (KeyOrder.compare(state.key.key(), prefix) > 0) {
                        break;
                    }
                    continue;
                }
                if (!state.items.isEmpty()) {
                    out.put(state.key.key(), pendingOf(state));
                }
            }
            if (KeyOrder.compare(prefix, startAfter) > 0) {
                KeyState exact = keys.get(prefix);
                if (exact != null && !exact.items.isEmpty()) {
                    out.put(prefix, pendingOf(exact));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Whether any write to {@code bucket} is still queued. */
    public boolean hasItems(String bucket) {
        lock.lock();
        try {
            TreeMap<String, KeyState> keys = byBucket.get(bucket);
            return keys != null && !keys.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    // --- the pusher side ---

    /** Blocks until a key is due, then hands it to the caller; null once the queue is closed. */
    public Claim take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                long now = clock.millis();
                long wait = Long.MAX_VALUE;
                if (now < pauseUntil) {
                    wait = pauseUntil - now;
                } else if (!ready.isEmpty()) {
                    KeyState first = ready.first();
                    if (first.notBefore <= now) {
                        ready.pollFirst();
                        first.state = State.PUSHING;
                        return new Claim(first.key, List.copyOf(first.items), first.items.getLast().seq(),
                                first.attempts);
                    }
                    wait = first.notBefore - now;
                }
                if (wait == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.await(Math.max(1, wait), TimeUnit.MILLISECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The claim reached the remote: its items leave the queue (journal first). Returns whether the
     * key has no queued writes left. The caller holds the key's lock.
     */
    public boolean pushed(Claim claim, long pushedBytes) {
        return pushed(claim, pushedBytes, null);
    }

    /**
     * As {@link #pushed(Claim, long)}; {@code remoteEtag} is the ETag the remote gave the pushed
     * object (null when unknown or not a PUT). A conditional write that was checked against the
     * state this push just made remote then expects that ETag (or, after a delete, no object).
     */
    public boolean pushed(Claim claim, long pushedBytes, String remoteEtag) {
        List<QueueItem> done = new ArrayList<>();
        QueueItem resolved = null;
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            while (!state.items.isEmpty() && state.items.getFirst().seq() <= claim.upToSeq()) {
                done.add(state.items.removeFirst());
            }
            resolved = resolveQueuedExpectation(state, claim.effectiveOp(), remoteEtag);
        } finally {
            lock.unlock();
        }
        journal.remove(done);
        if (resolved != null) {
            journal.write(resolved);
        }
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            if (resolved != null) {
                replace(state, resolved);
            }
            for (QueueItem item : done) {
                bySeq.remove(item.seq());
                stats.lag(Duration.between(item.queuedAt(), clock.instant()));
                if (item.isParked()) {
                    parkedItems--;
                }
            }
            state.attempts = 0;
            state.refusals = 0;
            state.lastError = null;
            state.notBefore = 0;
            consecutiveUnreachable = 0;
            pauseUntil = 0;
            boolean empty = state.items.isEmpty();
            if (empty) {
                // Nothing left to push: the caller discards the queued copy.
                bytes -= state.storedBytes;
                state.storedBytes = 0;
                TreeMap<String, KeyState> keys = byBucket.get(claim.key().bucket());
                keys.remove(claim.key().key());
                if (keys.isEmpty()) {
                    byBucket.remove(claim.key().bucket());
                }
            } else {
                state.state = State.READY;
                ready.add(state);
            }
            stats.pushed(done.size(), pushedBytes, clock.millis());
            changed.signalAll();
            return empty;
        } finally {
            lock.unlock();
        }
    }

    /** The first PUT/DELETE left after a push, rewritten to expect what that push made remote, if it expects "queued". */
    private static QueueItem resolveQueuedExpectation(KeyState state, QueueItem.Op pushedOp, String remoteEtag) {
        for (QueueItem item : state.items) {
            if (item.op() == QueueItem.Op.TAGS) {
                continue;
            }
            if (!QueueItem.EXPECT_QUEUED.equals(item.expect())) {
                return null;
            }
            if (pushedOp == QueueItem.Op.DELETE) {
                return item.expecting(QueueItem.EXPECT_ABSENT);
            }
            return pushedOp == QueueItem.Op.PUT && remoteEtag != null ? item.expecting(QueueItem.expectEtag(remoteEtag))
                    : null;
        }
        return null;
    }

    private void replace(KeyState state, QueueItem changed) {
        List<QueueItem> items = new ArrayList<>(state.items);
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).seq() == changed.seq()) {
                items.set(i, changed);
                bySeq.put(changed.seq(), changed);
            }
        }
        state.items.clear();
        state.items.addAll(items);
    }

    /**
     * A transient failure: the key is retried after an exponential, jittered delay, unless the
     * remote has answered this key's pushes with errors for too long ({@link Limits#maxAttempts()},
     * {@link Limits#parkAfter()}): then it is parked with the error, and the queue's other keys flow.
     * Returns the error the key was parked with, or null when it is retried.
     */
    public String retryLater(Claim claim, String error, boolean remoteUnreachable) {
        String parkWith = null;
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            if (!remoteUnreachable) {
                long now = clock.millis();
                if (state.refusals++ == 0) {
                    state.firstRefusal = now;
                }
                if (state.refusals >= limits.maxAttempts() && now - state.firstRefusal >= limits.parkAfter().toMillis()) {
                    parkWith = error + " (parked after " + state.refusals + " failed attempts in "
                            + Duration.ofMillis(now - state.firstRefusal).toSeconds() + " s)";
                }
            }
        } finally {
            lock.unlock();
        }
        if (parkWith != null) {
            park(claim, parkWith);
            return parkWith;
        }
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            state.attempts++;
            state.lastError = error;
            long delay = backoff(state.attempts);
            state.notBefore = clock.millis() + delay;
            state.state = State.READY;
            ready.add(state);
            if (remoteUnreachable) {
                // One unreachable remote stops every pusher, not one key at a time.
                consecutiveUnreachable++;
                pauseUntil = clock.millis() + backoff(consecutiveUnreachable);
            }
            stats.failed(error, true);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return null;
    }

    private long backoff(int attempts) {
        long initial = Math.max(1, limits.retryInitialDelay().toMillis());
        long max = Math.max(initial, limits.retryMaxDelay().toMillis());
        long exp = attempts >= 30 ? max : Math.min(max, initial << Math.max(0, attempts - 1));
        return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
    }

    /** A permanent failure: the key's items are parked (durably) with the error until retried. */
    public void park(Claim claim, String error) {
        List<QueueItem> toPark = new ArrayList<>();
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            for (QueueItem item : state.items) {
                if (item.seq() <= claim.upToSeq() && !item.isParked()) {
                    toPark.add(item.parked(error));
                }
            }
        } finally {
            lock.unlock();
        }
        for (QueueItem item : toPark) {
            journal.write(item);
        }
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            List<QueueItem> replaced = new ArrayList<>(state.items.size());
            for (QueueItem item : state.items) {
                QueueItem parked = item;
                for (QueueItem p : toPark) {
                    if (p.seq() == item.seq()) {
                        parked = p;
                        parkedItems++;
                        bySeq.put(p.seq(), p);
                    }
                }
                replaced.add(parked);
            }
            state.items.clear();
            state.items.addAll(replaced);
            state.lastError = error;
            state.attempts++;
            boolean newer = state.items.getLast().seq() > claim.upToSeq();
            if (newer) {
                // A write arrived during the push: its state gets its own chance.
                unpark(state);
                state.state = State.READY;
                ready.add(state);
            } else {
                state.state = State.PARKED;
            }
            stats.failed(error, false);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void unpark(KeyState state) {
        List<QueueItem> items = new ArrayList<>(state.items);
        state.items.clear();
        for (QueueItem item : items) {
            if (item.isParked()) {
                parkedItems--;
                QueueItem fresh = item.parked(null);
                bySeq.put(fresh.seq(), fresh);
                state.items.add(fresh);
            } else {
                state.items.add(item);
            }
        }
        state.state = State.READY;
        state.attempts = 0;
        state.refusals = 0;
        state.notBefore = 0;
    }

    private KeyState stateOf(Key key) {
        KeyState state = byBucket.get(key.bucket()).get(key.key());
        if (state == null) {
            throw new IllegalStateException("no queue state for " + key);
        }
        return state;
    }

    /**
     * The key's object must stay local ({@link UploadHold}): its items are parked with
     * {@code reason}, durably, without counting as a failed push. A new write or tag change un-parks
     * it (see {@link #index}), and the pusher looks again.
     */
    public void hold(Claim claim, String reason) {
        List<QueueItem> held = new ArrayList<>();
        lock.lock();
        try {
            for (QueueItem item : stateOf(claim.key()).items) {
                if (item.seq() <= claim.upToSeq() && !item.isParked()) {
                    held.add(item.parked(reason));
                }
            }
        } finally {
            lock.unlock();
        }
        for (QueueItem item : held) {
            journal.write(item);
        }
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            List<QueueItem> items = new ArrayList<>(state.items);
            state.items.clear();
            for (QueueItem item : items) {
                QueueItem now = held.stream().filter(h -> h.seq() == item.seq()).findFirst().orElse(item);
                if (now != item) {
                    parkedItems++;
                    bySeq.put(now.seq(), now);
                }
                state.items.add(now);
            }
            state.lastError = reason;
            if (state.items.getLast().seq() > claim.upToSeq()) {
                // A write arrived while the pusher looked: its state gets its own look.
                unpark(state);
                ready.add(state);
            } else {
                state.state = State.PARKED;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // --- administration ---

    /** Un-parks the matching parked keys; they are pushed again. Returns how many items. */
    public int retry(String bucket, String prefix) {
        List<QueueItem> rewritten = new ArrayList<>();
        lock.lock();
        try {
            for (KeyState state : matching(bucket, prefix)) {
                if (state.state == State.PARKED) {
                    for (QueueItem item : state.items) {
                        if (item.isParked()) {
                            rewritten.add(item.parked(null));
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        // The journal first: once a key is back in line a pusher may push it and delete its files,
        // which a late rewrite would bring back.
        for (QueueItem item : rewritten) {
            journal.write(item);
        }
        lock.lock();
        try {
            for (KeyState state : matching(bucket, prefix)) {
                if (state.state == State.PARKED) {
                    unpark(state);
                    ready.add(state);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return rewritten.size();
    }

    /**
     * The barrier: waits until every item queued before the call for {@code bucket}/{@code prefix}
     * has been pushed, or some of them are parked, or the timeout runs out.
     */
    public FlushResult flush(String bucket, String prefix, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        lock.lock();
        try {
            long barrier = nextSeq - 1;
            Predicate<QueueItem> matches = item -> item.seq() <= barrier
                    && (bucket == null || bucket.equals(item.bucket()))
                    && (prefix == null || item.key().startsWith(prefix));
            while (true) {
                long remaining = 0;
                long parked = 0;
                for (QueueItem item : bySeq.headMap(barrier, true).values()) {
                    if (matches.test(item)) {
                        remaining++;
                        if (item.isParked()) {
                            parked++;
                        }
                    }
                }
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (remaining == 0) {
                    return new FlushResult(true, 0, 0, waited, false);
                }
                if (parked > 0 && parked == remaining) {
                    return new FlushResult(false, remaining, parked, waited, false);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new FlushResult(false, remaining, parked, waited, true);
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One queued key as the admin listing shows it. */
    public record Entry(String bucket, String key, QueueItem.Op op, long size, Instant queuedAt, int attempts,
            String state, String error) {
    }

    /** Queued keys, oldest first, optionally only parked ones. */
    public List<Entry> entries(String bucket, String prefix, boolean parkedOnly, int max) {
        List<Entry> out = new ArrayList<>();
        lock.lock();
        try {
            List<KeyState> states = new ArrayList<>(matching(bucket, prefix));
            states.removeIf(s -> s.items.isEmpty() || (parkedOnly && s.state != State.PARKED));
            states.sort(Comparator.comparingLong(KeyState::firstSeq));
            for (KeyState s : states) {
                if (out.size() >= max) {
                    break;
                }
                Pending p = pendingOf(s);
                out.add(new Entry(s.key.bucket(), s.key.key(), p.op(), p.size(), s.items.getFirst().queuedAt(),
                        s.attempts, s.state.name().toLowerCase(java.util.Locale.ROOT), s.lastError));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The state of one key: pending, pushing, parked, or empty when nothing is queued for it. */
    public Optional<Entry> entry(String bucket, String key) {
        lock.lock();
        try {
            TreeMap<String, KeyState> keys = byBucket.get(bucket);
            KeyState s = keys == null ? null : keys.get(key);
            if (s == null || s.items.isEmpty()) {
                return Optional.empty();
            }
            Pending p = pendingOf(s);
            String state = s.state == State.READY ? "pending" : s.state.name().toLowerCase(java.util.Locale.ROOT);
            return Optional.of(new Entry(bucket, key, p.op(), p.size(), s.items.getFirst().queuedAt(), s.attempts,
                    state, s.lastError));
        } finally {
            lock.unlock();
        }
    }

    private List<KeyState> matching(String bucket, String prefix) {
        List<KeyState> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<String, KeyState>> b : byBucket.entrySet()) {
            if (bucket != null && !bucket.equals(b.getKey())) {
                continue;
            }
            for (KeyState s : b.getValue().values()) {
                if (prefix == null || s.key.key().startsWith(prefix)) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** A snapshot for the status endpoint and the metrics. */
    public record Snapshot(long items, long bytes, long parked, Instant oldest, Map<String, long[]> buckets) {
    }

    public Snapshot snapshot() {
        lock.lock();
        try {
            Map<String, long[]> buckets = new LinkedHashMap<>();
            for (QueueItem item : bySeq.values()) {
                long[] b = buckets.computeIfAbsent(item.bucket(), x -> new long[3]);
                b[0]++;
                if (item.isParked()) {
                    b[2]++;
                }
            }
            byBucket.forEach((bucket, keys) -> keys.values().forEach(k -> {
                long[] b = buckets.get(bucket);
                if (b != null) {
                    b[1] += k.storedBytes;
                }
            }));
            return new Snapshot(bySeq.size(), bytes, parkedItems, oldestPending(), buckets);
        } finally {
            lock.unlock();
        }
    }

    private Instant oldestPending() {
        for (QueueItem item : bySeq.values()) {
            if (!item.isParked()) {
                return item.queuedAt();
            }
        }
        return null;
    }

    /** Whether nothing is waiting to be pushed (parked items do not count). */
    public boolean isDrained() {
        lock.lock();
        try {
            return bySeq.size() == parkedItems;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code grace} for the queue to drain. */
    public boolean awaitDrained(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            while (bySeq.size() != parkedItems) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out work; queued items stay on disk for the next start. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
