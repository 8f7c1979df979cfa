package io.s3d.sync;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3Exception;
import io.s3d.sync.SyncPlanner.Action;
import io.s3d.sync.SyncPlanner.Kind;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One folder's sync loop: a pass (local scan, remote listing, plan, transfers, snapshot saved) on
 * every interval, sooner after the watcher sees a local change, and again right away while work is
 * left over. One thread runs the passes, so they never overlap; transfers within a pass run on
 * {@code concurrency} threads.
 */
final class FolderSync {
    private static final Logger LOG = Logger.getLogger(FolderSync.class);
    /** A file modified more recently than this may still be being written: it waits for the next pass. */
    static final Duration SETTLE = Duration.ofSeconds(1);
    /** Local changes are collected this long before a pass starts. */
    private static final Duration DEBOUNCE = Duration.ofMillis(500);

    private final SyncFolder folder;
    private final Clock clock;
    private final LocalScanner scanner;
    private final RemoteLister lister;
    private final Transfer transfer;
    private final SyncStats stats = new SyncStats();
    private final Map<String, StateEntry> state = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final Object lock = new Object();
    private long nextPassAt; // System.nanoTime() of the next pass, guarded by lock
    private volatile boolean stopping;
    private volatile Duration grace = Duration.ofSeconds(10);
    private Thread loop;
    private LocalWatcher watcher;
    /** The last follow-up delay after a pass that left work (null: none pending); only the loop thread. */
    private Duration backoff;
    private volatile Duration followUp;
    /**
     * Paths whose action failed in the current run of back-to-back passes (max-files-per-pass left
     * work over): they go to the end of the next batch, the one that failed longest ago first, so
     * the paths after them get their turn and failing paths take turns. Cleared when a pass leaves
     * nothing over. Only the loop thread.
     */
    private final Map<String, Long> failedInSequence = new java.util.HashMap<>(); // path -> when, in failures
    private long failuresInSequence;
    /** The first follow-up delay when a pass must be retried (a file still changing, no progress). */
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);

    FolderSync(SyncFolder folder, ObjectBackend backend, Clock clock) {
        this(folder, backend, clock, Transfer.StaleCopies.NONE, 0, null);
    }

    /**
     * @param remoteTimeout longest wait for one page of the remote listing (null: the remote
     *        client's own timeouts), so a stalled link fails the pass instead of holding it
     */
    FolderSync(SyncFolder folder, ObjectBackend backend, Clock clock, Transfer.StaleCopies staleCopies,
            long queuePartSize, Duration remoteTimeout) {
        this.folder = folder;
        this.clock = clock;
        this.scanner = new LocalScanner(folder.localDir(), folder.filter(), folder.maxFileSize(), SETTLE,
                reservedInside(folder));
        this.lister = new RemoteLister(backend, folder, scanner, remoteTimeout);
        this.transfer = new Transfer(backend, folder, clock, staleCopies, queuePartSize);
        this.workers = Executors.newFixedThreadPool(folder.concurrency(),
                Thread.ofPlatform().daemon().name("s3d-sync-" + folder.name() + "-", 0).factory());
    }

    /** The state directory's path relative to the folder, when the user put it inside: never synced. */
    private static Optional<String> reservedInside(SyncFolder folder) {
        Path base = folder.stateDir().getParent() == null ? folder.stateDir() : folder.stateDir().getParent();
        for (Path p : List.of(base, folder.stateDir())) {
            if (p.startsWith(folder.localDir()) && !p.equals(folder.localDir())) {
                return Optional.of(folder.localDir().relativize(p).toString());
            }
        }
        return Optional.empty();
    }

    SyncFolder folder() {
        return folder;
    }

    SyncStats stats() {
        return stats;
    }

    /** Loads the snapshot and starts the loop and the watcher; the first pass starts at once. */
    void start(Duration shutdownGrace) {
        this.grace = shutdownGrace;
        loadState();
        try {
            watcher = LocalWatcher.start(folder.localDir(), scanner::isReserved, () -> trigger(DEBOUNCE),
                    folder.name());
        } catch (IOException e) {
            LOG.warnf("sync folder %s: no watcher (%s); changes are found every %s", folder.name(), e.getMessage(),
                    folder.interval());
        }
        synchronized (lock) {
            nextPassAt = System.nanoTime();
        }
        loop = Thread.ofPlatform().daemon().name("s3d-sync-" + folder.name()).start(this::run);
        LOG.infof("sync folder %s: %s <-> %s/%s (%s, conflicts: %s, every %s), %d path(s) in the last sync",
                folder.name(), folder.localDir(), folder.bucket(), folder.prefix(), folder.direction().value(),
                folder.policy().value(), folder.interval(), state.size());
    }

    /** Reads the last-synced snapshot; one that cannot be trusted is moved aside. */
    void loadState() {
        try {
            Files.createDirectories(folder.stateDir());
            state.putAll(SyncState.load(folder.stateDir()));
        } catch (IOException e) {
            // Without a trusted snapshot nothing is deleted: the next pass syncs as for the first time.
            Path aside = folder.stateDir().resolve(SyncState.FILE + ".unreadable-" + clock.millis());
            try {
                Files.move(folder.stateDir().resolve(SyncState.FILE), aside);
            } catch (IOException ignored) {
                // nothing to move aside
            }
            LOG.warnf("sync folder %s: the sync state cannot be read (%s); kept as %s, syncing without it "
                    + "(nothing is deleted, both-sided files are compared)", folder.name(), e.getMessage(), aside);
            state.clear();
        }
    }

    /** The snapshot as it is now (a copy), for tests. */
    Map<String, StateEntry> snapshot() {
        return Map.copyOf(state);
    }

    /** Asks for a pass within {@code delay} (sooner if one is due sooner). */
    void trigger(Duration delay) {
        synchronized (lock) {
            long at = System.nanoTime() + delay.toNanos();
            if (at - nextPassAt < 0) {
                nextPassAt = at;
                lock.notifyAll();
            }
        }
    }

    private void run() {
        while (!stopping) {
            synchronized (lock) {
                long wait;
                while (!stopping && (wait = nextPassAt - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                nextPassAt = System.nanoTime() + folder.interval().toNanos();
            }
            if (stopping) {
                return;
            }
            pass();
        }
    }

    /** One full pass. Package-private for tests that drive passes by hand. */
    void pass() {
        try (Traced span = Traces.root("s3d.sync.pass")) {
            span.set("s3d.sync.folder", folder.name());
            passTraced();
        }
    }

    private void passTraced() {
        stats.passStarted();
        try {
            Outcome outcome = runPass();
            stats.passCompleted(clock.instant(), outcome.failures == 0);
            if (!outcome.more) {
                failedInSequence.clear();
            }
            if (outcome.more && outcome.progress) {
                // Work left over and this batch moved on: the next batch at once.
                backoff = null;
                followUp = Duration.ZERO;
                trigger(Duration.ZERO);
            } else if (outcome.more || outcome.deferred) {
                // Nothing moved (every action failed or was left for later), or a file keeps changing:
                // retry after 2 s, 4 s, ... up to the interval, not in a tight loop.
                backoff = backoff == null ? min(folder.interval(), FIRST_RETRY)
                        : min(folder.interval(), backoff.multipliedBy(2));
                followUp = backoff;
                trigger(backoff);
            } else {
                backoff = null;
                followUp = null;
            }
        } catch (IOException | S3Exception | PassRefused e) {
            String message = e instanceof S3Exception s3 ? s3.code() + ": " + s3.getMessage() : e.getMessage();
            boolean repeated = stats.lastPassFailed() && message.equals(stats.lastError());
            stats.passFailed(message);
            if (repeated) {
                LOG.debugf("sync folder %s: pass failed again: %s", folder.name(), message);
            } else {
                LOG.errorf("sync folder %s: pass failed: %s", folder.name(), message);
            }
        } catch (RuntimeException e) {
            stats.passFailed("unexpected: " + e);
            LOG.errorf(e, "sync folder %s: pass failed", folder.name());
        }
    }

    /**
     * @param progress at least one action of the batch completed
     */
    private record Outcome(int failures, boolean more, boolean deferred, boolean progress) {
    }

    /** The delay the last completed pass asked the next one to start within (null: the interval), for tests. */
    Duration followUp() {
        return followUp;
    }

    private static final class PassRefused extends Exception {
        PassRefused(String message) {
            super(message, null, false, false);
        }
    }

    private Outcome runPass() throws IOException, PassRefused {
        Instant started = clock.instant();
        List<Path> stale = new ArrayList<>();
        Map<String, LocalEntry> local = scanner.scan(started, stale);
        for (Path temp : stale) {
            Files.deleteIfExists(temp);
            LOG.infof("sync folder %s: removed %s, left by a download that was cut off", folder.name(), temp);
        }
        RemoteLister.Listing listing = lister.list();
        for (String key : listing.unusable()) {
            if (stats.skipped("key:" + key)) {
                LOG.warnf("sync folder %s: key %s cannot be a local path (empty, '.' or '..' segment, a name over "
                        + "255 bytes, or s3d's own name); skipped", folder.name(), key);
            }
        }
        SyncPlanner.Plan plan = SyncPlanner.plan(state, local, listing.objects(), folder.direction(),
                folder.policy());
        if (plan.refusal().isPresent()) {
            throw new PassRefused(plan.refusal().get());
        }
        List<Action> work = new ArrayList<>();
        boolean deferred = false;
        boolean changed = false; // the snapshot is rewritten only when it changed
        java.util.Set<String> planned = new java.util.HashSet<>();
        plan.actions().forEach(a -> planned.add(a.path()));
        for (Map.Entry<String, LocalEntry> e : local.entrySet()) {
            // Unchanged under a new inode (a remount, a restore, an old snapshot): only recorded.
            StateEntry s = state.get(e.getKey());
            LocalEntry l = e.getValue();
            if (s != null && l.hold() == null && !planned.contains(e.getKey()) && l.inodeMoved(s)) {
                state.put(e.getKey(), new StateEntry(s.localSize(), s.localMtimeNanos(), l.inode(), s.etag(),
                        s.remoteSize()));
                changed = true;
            }
        }
        for (Action action : plan.actions()) {
            switch (action.kind()) {
                case FORGET -> changed |= state.remove(action.path()) != null;
                case DEFER -> deferred = true;
                case SKIP -> skip(action);
                case CLASH -> clash(action);
                default -> {
                    if (action.kind() == Kind.DOWNLOAD && action.local() == null && Files.isDirectory(
                            transfer.localPath(action.path()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        clash(action); // an empty local directory of that name: the scan lists no file in it
                    } else {
                        work.add(action);
                    }
                }
            }
        }
        boolean more = work.size() > folder.maxFilesPerPass();
        if (more) {
            if (!failedInSequence.isEmpty()) {
                // Paths that failed earlier in this run of passes go last (stable: the order stays otherwise).
                List<Action> fresh = new ArrayList<>(work.size());
                List<Action> failedBefore = new ArrayList<>();
                for (Action action : work) {
                    (failedInSequence.containsKey(action.path()) ? failedBefore : fresh).add(action);
                }
                failedBefore.sort(java.util.Comparator.comparingLong(a -> failedInSequence.get(a.path())));
                fresh.addAll(failedBefore);
                work = fresh;
            }
            work = work.subList(0, folder.maxFilesPerPass());
        }
        int failures = 0;
        boolean changedMeanwhile = false;
        boolean progress = false;
        try {
            // Local deletions run after the rest of the batch: removing a directory a deletion left
            // empty must not race a download into that directory.
            List<Action> deletions = work.stream().filter(a -> a.kind() == Kind.DELETE_LOCAL).toList();
            List<Action> others = work.stream().filter(a -> a.kind() != Kind.DELETE_LOCAL).toList();
            phases:
            for (List<Action> phase : List.of(others, deletions)) {
                List<Future<Boolean>> running = new ArrayList<>(phase.size());
                for (Action action : phase) {
                    running.add(workers.submit(() -> apply(action)));
                }
                for (int i = 0; i < running.size(); i++) {
                    Future<Boolean> f = running.get(i);
                    try {
                        Boolean done = stopping ? f.get(remainingGrace(), TimeUnit.NANOSECONDS) : f.get();
                        changedMeanwhile |= !done;
                        changed |= done;
                        progress |= done;
                        if (!done) {
                            failedInSequence.put(phase.get(i).path(), ++failuresInSequence);
                        } else {
                            failedInSequence.remove(phase.get(i).path());
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        failures++;
                        failedInSequence.put(phase.get(i).path(), ++failuresInSequence);
                    } catch (TimeoutException | java.util.concurrent.CancellationException e) {
                        f.cancel(true);
                        failures++;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break phases;
                    }
                }
            }
        } finally {
            if (changed || failures > 0) {
                // A copy: a transfer cut off at shutdown may still record its result meanwhile.
                SyncState.save(folder.stateDir(), new java.util.HashMap<>(state));
            }
        }
        return new Outcome(failures, more, deferred || changedMeanwhile, progress);
    }

    private volatile long stopDeadline;

    private long remainingGrace() {
        return Math.max(0, stopDeadline - System.nanoTime());
    }

    private void clash(Action action) {
        if (stats.skipped("clash:" + action.path())) {
            LOG.warnf("sync folder %s: key %s skipped: a directory of that name, or a file where one of its "
                    + "directories would go, is in the way locally", folder.name(), folder.key(action.path()));
        }
    }

    private void skip(Action action) {
        String why = action.local() != null && action.local().hold() == LocalEntry.Hold.NOT_A_FILE
                ? "not a regular file (symbolic links are not followed)"
                : "larger than max-file-size (" + folder.maxFileSize() + " bytes)";
        if (stats.skipped(action.path())) {
            LOG.warnf("sync folder %s: %s skipped: %s", folder.name(), action.path(), why);
        }
    }

    /** Runs one action; false when a side changed meanwhile (retried next pass). Throws when it failed. */
    private boolean apply(Action a) throws Exception {
        if (stopping) {
            return false; // not started: the next run of s3d does it
        }
        String path = a.path();
        try {
            switch (a.kind()) {
                case UPLOAD -> {
                    state.put(path, transfer.upload(path, a.local(), a.remote()));
                    stats.uploaded.incrementAndGet();
                    LOG.debugf("sync folder %s: uploaded %s", folder.name(), path);
                }
                case DOWNLOAD -> {
                    if (a.local() != null && a.state() != null && a.local().matches(a.state())
                            && transfer.unchangedContent(path, a.local(), a.remote())) {
                        // Only the ETag moved (the queue pushed our upload by multipart): no download.
                        state.put(path, transfer.adopt(a.local(), a.remote()));
                        return true;
                    }
                    state.put(path, transfer.download(path, a.local(), a.remote()));
                    stats.downloaded.incrementAndGet();
                    LOG.debugf("sync folder %s: downloaded %s (ETag %s, was %s)", folder.name(), path,
                            a.remote().etag(), a.state() == null ? "new" : a.state().etag());
                }
                case DELETE_LOCAL -> {
                    transfer.deleteLocal(path, a.local());
                    state.remove(path);
                    stats.deletedLocal.incrementAndGet();
                    LOG.infof("sync folder %s: deleted %s locally (deleted in the bucket)", folder.name(), path);
                }
                case DELETE_REMOTE -> {
                    transfer.deleteRemote(path, a.remote());
                    state.remove(path);
                    stats.deletedRemote.incrementAndGet();
                    LOG.infof("sync folder %s: deleted %s from the bucket (deleted locally)", folder.name(), path);
                }
                case CONFLICT -> conflict(a);
                default -> throw new IllegalStateException("not an action to run: " + a.kind());
            }
            return true;
        } catch (Transfer.Changed e) {
            LOG.debugf("sync folder %s: %s left for the next pass: %s", folder.name(), path, e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            String message = path + ": " + (e instanceof S3Exception s3 ? s3.code() + ": " : "") + e.getMessage();
            stats.error(message);
            LOG.errorf("sync folder %s: %s %s failed: %s", folder.name(), a.kind(), path, message);
            throw e;
        }
    }

    /**
     * Both sides changed. Identical bytes need nothing but a snapshot entry (after a lost snapshot
     * or a crash between a transfer and the save). Otherwise the winner takes the path and the loser
     * is kept (see {@link SyncPlanner.Resolution}); when the direction forbids moving the winner,
     * the snapshot records the other side as seen, so the conflict is not reported again until that
     * side changes again.
     */
    private void conflict(Action a) throws IOException, Transfer.Changed {
        String path = a.path();
        if (transfer.sameContent(path, a.local(), a.remote())) {
            state.put(path, transfer.adopt(a.local(), a.remote()));
            return;
        }
        stats.conflicts.incrementAndGet();
        Direction direction = folder.direction();
        switch (a.resolution()) {
            case KEEP_BOTH -> {
                String copy = transfer.downloadConflictCopy(path, a.remote());
                LOG.warnf("sync folder %s: conflict on %s: both sides changed; the bucket's version is kept as %s",
                        folder.name(), path, copy);
                if (direction.uploads()) {
                    state.put(path, transfer.upload(path, a.local(), a.remote()));
                    stats.uploaded.incrementAndGet();
                } else {
                    state.put(path, remoteSeen(a));
                }
            }
            case LOCAL -> {
                Path kept = transfer.keepRemoteLoser(path, a.remote());
                LOG.warnf("sync folder %s: conflict on %s: the local version wins; the bucket's version is kept "
                        + "in %s", folder.name(), path, kept);
                if (direction.uploads()) {
                    state.put(path, transfer.upload(path, a.local(), a.remote()));
                    stats.uploaded.incrementAndGet();
                } else {
                    state.put(path, remoteSeen(a));
                }
            }
            case REMOTE -> {
                Path kept = transfer.keepLocalLoser(path);
                LOG.warnf("sync folder %s: conflict on %s: the bucket's version wins; the local version is kept "
                        + "in %s", folder.name(), path, kept);
                if (direction.downloads()) {
                    state.put(path, transfer.download(path, a.local(), a.remote()));
                    stats.downloaded.incrementAndGet();
                } else {
                    StateEntry s = a.state();
                    state.put(path, new StateEntry(a.local().size(), a.local().mtimeNanos(), a.local().inode(),
                            s == null ? "" : s.etag(), s == null ? -1 : s.remoteSize()));
                }
            }
        }
    }

    /** The remote version marked as seen, the local side left as changed. */
    private static StateEntry remoteSeen(Action a) {
        StateEntry s = a.state();
        return new StateEntry(s == null ? -1 : s.localSize(), s == null ? -1 : s.localMtimeNanos(),
                s == null ? 0 : s.inode(), a.remote().etag(), a.remote().size());
    }

    /** Stops the loop: a running pass starts no new transfer and gets {@code grace} to finish the running ones. */
    void stop() {
        stopDeadline = System.nanoTime() + grace.toNanos();
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (loop != null) {
            try {
                loop.join(grace.plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdownNow();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
