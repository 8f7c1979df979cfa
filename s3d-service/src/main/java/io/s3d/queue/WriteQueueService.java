package io.s3d.queue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.remote.ObjectUploader;
import io.s3d.remote.RemoteBackend;
import io.s3d.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The write queue put together and run: its journal and local store under one directory, the
 * backend clients use, and the pushers. On start every item a previous run left is replayed (and
 * objects stored but never acknowledged are removed); on stop the pushers keep going for the grace
 * period, then whatever is left stays on disk for the next start.
 */
public final class WriteQueueService {
    private static final Logger LOG = Logger.getLogger(WriteQueueService.class);

    private final WriteQueue queue;
    private final QueuedBackend backend;
    private final Pusher pusher;
    private final QueueFilter filter;
    private final Path dir;
    private final RemoteUploads uploads;

    private WriteQueueService(Path dir, WriteQueue queue, QueuedBackend backend, Pusher pusher,
            QueueFilter filter, RemoteUploads uploads) {
        this.dir = dir;
        this.uploads = uploads;
        this.queue = queue;
        this.backend = backend;
        this.pusher = pusher;
        this.filter = filter;
    }

    /**
     * Opens (and replays) the queue in {@code dir}; call {@link #start()} to begin pushing.
     *
     * @param remote where the pushers write
     * @param behind what the queue reads through and sends unqueued writes to: the remote, or the
     *        read cache in front of it
     * @param pushed told of every key a push changed on the remote
     */
    public static WriteQueueService open(Path dir, WriteQueue.Limits limits, QueueFilter filter, RemoteBackend remote,
            ObjectBackend behind, PushListener pushed, ObjectUploader uploader, int pushers, String region,
            long minFreeBytes) throws IOException {
        long started = System.nanoTime();
        WriteQueue queue = WriteQueue.open(dir, limits, Clock.systemUTC());
        LocalStore staged = LocalStore.open(dir.resolve("objects"), region, 50_000, minFreeBytes);
        KeyLocks locks = new KeyLocks();
        java.util.Set<WriteQueue.Key> stored = new java.util.HashSet<>();
        int orphans = removeUnqueuedObjects(staged, queue, stored);
        int unfinished = queue.dropUnstoredPuts(stored);
        WriteQueue.Snapshot s = queue.snapshot();
        LOG.infof("write queue %s: %d item(s), %d byte(s) to push, %d parked%s; opened in %d ms", dir, s.items(),
                s.bytes(), s.parked(), orphans + unfinished > 0 ? ", " + (orphans + unfinished)
                        + " unacknowledged write(s) removed" : "",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        RemoteBuckets buckets = new RemoteBuckets(remote, Clock.systemUTC());
        RemoteUploads uploads = new RemoteUploads(dir.resolve("uploads"));
        uploads.abortOn(remote);
        QueuedBackend backend = new QueuedBackend(behind, staged, queue, filter, locks, buckets);
        return new WriteQueueService(dir, queue, backend,
                new Pusher(queue, staged, remote, uploader, locks, pushers, pushed, buckets, uploads), filter,
                uploads);
    }

    /**
     * An object in the queue's store without a queued PUT was either pushed (and its removal cut
     * short by a crash) or stored by a write a crash kept from being acknowledged: either way the
     * remote or the client has what counts, and the file only takes room. The others tell the
     * queue their size and ETag.
     */
    private static int removeUnqueuedObjects(LocalStore staged, WriteQueue queue, java.util.Set<WriteQueue.Key> stored) {
        int removed = 0;
        for (BucketInfo bucket : staged.listBuckets()) {
            String after = "";
            while (true) {
                ListPage page = staged.listObjects(bucket.name(), new ListRequest("", null, after, 1000));
                for (ObjectMeta meta : page.objects()) {
                    var pending = queue.pending(bucket.name(), meta.key());
                    if (pending.isEmpty() || pending.get().op() != QueueItem.Op.PUT) {
                        staged.deleteObject(bucket.name(), meta.key());
                        removed++;
                    } else {
                        queue.describe(bucket.name(), meta.key(), meta.size(), meta.etag(), meta.lastModified());
                        stored.add(new WriteQueue.Key(bucket.name(), meta.key()));
                    }
                }
                if (!page.truncated()) {
                    break;
                }
                after = page.nextStartAfter();
            }
        }
        return removed;
    }

    public void start() {
        if (uploads.hasLeftovers()) {
            LOG.infof("write queue: %d multipart upload(s) left open on the remote by interrupted pushes; aborting "
                    + "them", uploads.openUploads());
            Thread.ofVirtual().name("s3d-upload-cleaner").start(uploads::abortLeftovers);
        }
        pusher.start();
    }

    /** Pushes for up to {@code grace}, then stops; what is left is pushed after the next start. */
    public void stop(Duration grace) {
        try {
            if (!queue.isDrained()) {
                LOG.infof("write queue: pushing for up to %s before shutdown", grace);
                if (!queue.awaitDrained(grace)) {
                    WriteQueue.Snapshot s = queue.snapshot();
                    LOG.warnf("write queue: %d item(s) still queued at shutdown; they are pushed after the next start",
                            s.items());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pusher.stop();
    }

    public ObjectBackend backend() {
        return backend;
    }

    public WriteQueue queue() {
        return queue;
    }

    public QueueFilter filter() {
        return filter;
    }

    public Path dir() {
        return dir;
    }

    /** Registers the queue's gauges and counters (Prometheus: {@code s3d_write_queue_*}). */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("s3d.write_queue.items", queue, q -> q.snapshot().items())
                .description("Writes queued, not yet on the remote (parked ones included)").register(registry);
        Gauge.builder("s3d.write_queue.bytes", queue, q -> q.snapshot().bytes()).baseUnit("bytes")
                .description("Bytes of queued objects").register(registry);
        Gauge.builder("s3d.write_queue.parked", queue, q -> q.snapshot().parked())
                .description("Queued writes parked after a permanent remote error").register(registry);
        Gauge.builder("s3d.write_queue.oldest_age", queue, q -> {
            Instant oldest = q.snapshot().oldest();
            return oldest == null ? 0 : Duration.between(oldest, Instant.now()).toMillis() / 1000.0;
        }).baseUnit("seconds").description("Age of the oldest write waiting to be pushed").register(registry);
        QueueStats stats = queue.stats();
        io.micrometer.core.instrument.Timer lag = io.s3d.telemetry.Buckets.lagTimer("s3d.write_queue.push_lag")
                .description("Time from a write's acknowledgement to its arrival on the remote").register(registry);
        stats.observeLag(lag::record);
        FunctionCounter.builder("s3d.write_queue.pushed", stats, QueueStats::pushed)
                .description("Queued writes that reached the remote").register(registry);
        FunctionCounter.builder("s3d.write_queue.pushed_bytes", stats, QueueStats::pushedBytes).baseUnit("bytes")
                .description("Bytes uploaded to the remote by the pushers").register(registry);
        FunctionCounter.builder("s3d.write_queue.push_failures", stats, QueueStats::failures)
                .description("Failed push attempts (retried or parked)").register(registry);
        FunctionCounter.builder("s3d.write_queue.push_retries", stats, QueueStats::retries)
                .description("Push attempts scheduled again after a transient failure").register(registry);
        FunctionCounter.builder("s3d.write_queue.rejected", stats, QueueStats::rejections)
                .description("Writes answered 503 SlowDown because the queue was full").register(registry);
    }
}
