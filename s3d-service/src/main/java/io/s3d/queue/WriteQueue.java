package io.s3d.queue;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.store.KeyOrder;
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

    /** The limits that make the queue "full". */
    public record Limits(long maxBytes, long maxItems, Duration maxAge, Duration admissionWait,
            Duration retryInitialDelay, Duration retryMaxDelay) {
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
        long seq;
        lock.lock();
        try {
            seq = nextSeq++;
        } finally {
            lock.unlock();
        }
        QueueItem item = new QueueItem(seq, op, bucket, key, size, etag == null ? "" : etag,
                lastModified == null ? Instant.EPOCH : lastModified, clock.instant(), tags, null);
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
     * holds for the key, which is the last write that was acknowledged. The caller holds the key's lock.
     */
    public QueueItem reserve(QueueItem.Op op, String bucket, String key) {
        long seq;
        lock.lock();
        try {
            seq = nextSeq++;
        } finally {
            lock.unlock();
        }
        QueueItem item = new QueueItem(seq, op, bucket, key, 0, "", Instant.EPOCH, clock.instant(), Map.of(), null);
        journal.write(item);
        return item;
    }

    /** The second half: the object is stored, the write joins the queue (and may be acknowledged). */
    public QueueItem commit(QueueItem reserved, long size, String etag, Instant lastModified) {
        QueueItem item = new QueueItem(reserved.seq(), reserved.op(), reserved.bucket(), reserved.key(), size, etag,
                lastModified, reserved.queuedAt(), reserved.tags(), null);
        lock.lock();
        try {
            index(item);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return item;
    }

    /** A reserved write that failed: its journal entry goes. */
    public void abandon(QueueItem reserved) {
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
                            item.queuedAt(), item.tags(), item.parkedError());
                    items.set(i, described);
                    bySeq.put(item.seq(), described);
                    bytes += size - item.size();
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
        KeyState state = byBucket.computeIfAbsent(item.bucket(), b -> new TreeMap<>(KeyOrder.COMPARATOR))
                .computeIfAbsent(item.key(), x -> new KeyState(k));
        boolean wasReady = state.state == State.READY && !state.items.isEmpty();
        if (wasReady) {
            ready.remove(state);
        }
        state.items.addLast(item);
        bySeq.put(item.seq(), item);
        bytes += item.size();
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
                bytes -= item.size();
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
        List<QueueItem> done = new ArrayList<>();
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            while (!state.items.isEmpty() && state.items.getFirst().seq() <= claim.upToSeq()) {
                done.add(state.items.removeFirst());
            }
        } finally {
            lock.unlock();
        }
        journal.remove(done);
        lock.lock();
        try {
            KeyState state = stateOf(claim.key());
            for (QueueItem item : done) {
                bySeq.remove(item.seq());
                stats.lag(Duration.between(item.queuedAt(), clock.instant()));
                bytes -= item.size();
                if (item.isParked()) {
                    parkedItems--;
                }
            }
            state.attempts = 0;
            state.lastError = null;
            state.notBefore = 0;
            consecutiveUnreachable = 0;
            pauseUntil = 0;
            boolean empty = state.items.isEmpty();
            if (empty) {
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

    /** A transient failure: the key is retried after an exponential, jittered delay. */
    public void retryLater(Claim claim, String error, boolean remoteUnreachable) {
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
        state.notBefore = 0;
    }

    private KeyState stateOf(Key key) {
        KeyState state = byBucket.get(key.bucket()).get(key.key());
        if (state == null) {
            throw new IllegalStateException("no queue state for " + key);
        }
        return state;
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
                b[1] += item.size();
                if (item.isParked()) {
                    b[2]++;
                }
            }
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
