package io.s3d.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A folder's progress since start: what the health check, {@code /_s3d/status} and the metrics
 * report. Counters only grow; {@code skipped} counts distinct paths, so a file skipped on every
 * pass counts once.
 */
final class SyncStats {
    enum State {
        IDLE, SYNCING, ERROR
    }

    final AtomicLong uploaded = new AtomicLong();
    final AtomicLong downloaded = new AtomicLong();
    final AtomicLong deletedLocal = new AtomicLong();
    final AtomicLong deletedRemote = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong passes = new AtomicLong();
    private final Set<String> skippedPaths = ConcurrentHashMap.newKeySet();

    private volatile State state = State.IDLE;
    private volatile boolean lastPassFailed;
    private volatile Instant lastSyncTime;
    private volatile String lastError;

    /** Records a skipped path or key; true the first time it is skipped. */
    boolean skipped(String what) {
        return skippedPaths.add(what);
    }

    long skipped() {
        return skippedPaths.size();
    }

    void error(String message) {
        errors.incrementAndGet();
        lastError = message;
    }

    void passStarted() {
        state = State.SYNCING;
    }

    /** A pass ran to its end; {@code clean} when none of its actions failed. */
    void passCompleted(Instant end, boolean clean) {
        passes.incrementAndGet();
        lastSyncTime = end;
        lastPassFailed = !clean;
        state = clean ? State.IDLE : State.ERROR;
    }

    /** A pass stopped before its end (listing failed, safety check refused, local directory gone). */
    void passFailed(String message) {
        error(message);
        lastPassFailed = true;
        state = State.ERROR;
    }

    boolean lastPassFailed() {
        return lastPassFailed;
    }

    State state() {
        return state;
    }

    Instant lastSyncTime() {
        return lastSyncTime;
    }

    String lastError() {
        return lastError;
    }

    /** The counters, in the order the contract lists them. */
    Map<String, Object> counts() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (lastSyncTime != null) {
            out.put("lastSyncTime", lastSyncTime.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        }
        out.put("uploaded", uploaded.get());
        out.put("downloaded", downloaded.get());
        out.put("deletedLocal", deletedLocal.get());
        out.put("deletedRemote", deletedRemote.get());
        out.put("conflicts", conflicts.get());
        out.put("skipped", skipped());
        out.put("errors", errors.get());
        if (lastError != null) {
            out.put("lastError", lastError);
        }
        return out;
    }
}
