package io.s3d.remote;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Which remote buckets have versioning on (or suspended: deletes still make markers), remembered
 * for a short while. A write to such a bucket goes to the remote as sent, so the client gets the
 * version id the remote made. The remote is asked at most once per bucket per {@link #FRESH}, and a
 * write waits at most {@link #WAIT} for the answer: when the remote is slow or unreachable, the last
 * known state holds (none known: not versioned, and the write may be queued, as during an outage),
 * and while one lookup runs, other writes do not wait for it.
 */
final class BucketVersioning {
    static final Duration FRESH = Duration.ofSeconds(30);
    static final Duration WAIT = Duration.ofSeconds(1);
    private static final Executor LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    private record State(boolean on, long checkedNanos) {
    }

    private final Predicate<String> lookup;
    private final Map<String, State> known = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    /** @param lookup asks the remote whether a bucket has versioning on or suspended */
    BucketVersioning(Predicate<String> lookup) {
        this.lookup = lookup;
    }

    boolean versioned(String bucket) {
        State state = known.get(bucket);
        if (state != null && System.nanoTime() - state.checkedNanos() < FRESH.toNanos()) {
            return state.on();
        }
        CompletableFuture<Boolean> running = inFlight.get(bucket);
        if (running != null && !running.isDone()) {
            // Someone is asking the remote already: the last known state, without waiting for it.
            return state != null && state.on();
        }
        CompletableFuture<Boolean> answer = inFlight.computeIfAbsent(bucket, b -> CompletableFuture.supplyAsync(() -> {
            boolean on;
            try {
                on = lookup.test(b);
            } catch (RuntimeException e) {
                // No versioning API (a 501), no bucket, or no remote: nothing versioned to report.
                on = false;
            }
            known.put(b, new State(on, System.nanoTime()));
            return on;
        }, LOOKUPS));
        answer.whenComplete((on, failure) -> inFlight.remove(bucket, answer));
        try {
            return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return state != null && state.on();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return state != null && state.on();
        }
    }

    /** Forgets what is known of a bucket (its versioning was just changed, or the bucket deleted). */
    void forget(String bucket) {
        known.remove(bucket);
    }
}
