package io.s3d.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs {@link Workload}s against one bucket of one S3 endpoint. Each worker is a platform thread
 * with its own connection from the client's pool; each records into its own histogram, merged at
 * the end, so the workers share nothing but two counters.
 */
public final class LoadGenerator {

    /** Largest latency the histograms track: one hour, in microseconds. */
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int BUF = 256 * 1024;

    private final S3Ops s3;
    private final String bucket;
    private final String prefix;
    private final AtomicLong putSeq = new AtomicLong();

    /**
     * @param s3     the client, with a pool at least as large as the concurrency used
     * @param bucket bucket to work in (see {@link #createBucket()})
     * @param prefix key prefix, so several runs can share a bucket
     */
    public LoadGenerator(S3Ops s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** A generator over the AWS SDK. */
    public LoadGenerator(S3Client s3, String bucket, String prefix) {
        this(new SdkOps(s3), bucket, prefix);
    }

    /** Creates the bucket; an existing bucket owned by us is fine. */
    public void createBucket() {
        try {
            s3.createBucket(bucket);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The key of prepared object {@code i} of a size (what GET, HEAD and RANGE read). */
    public String key(long size, int i) {
        return prefix + "obj-" + size + "-" + i;
    }

    /** Writes prepared objects {@code 0..count-1} of a size with {@code concurrency} workers. */
    public void prepare(long size, int count, int concurrency) {
        AtomicLong next = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        runWorkers(Math.min(concurrency, count), w -> {
            long i;
            while ((i = next.getAndIncrement()) < count && failure.get() == null) {
                try {
                    put(key(size, (int) i), size);
                } catch (IOException e) {
                    failure.compareAndSet(null, new java.io.UncheckedIOException(e));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Runs a workload: the warm-up (discarded) and then the measured part. */
    public Result run(Workload w) {
        if (!w.warmup().isZero()) {
            measure(new Workload(w.op(), w.size(), w.concurrency(), w.warmup(), 0, Duration.ZERO, w.keyCount(),
                    w.sequential(), w.rangeSize()));
        }
        return measure(w);
    }

    private Result measure(Workload w) {
        long limit = w.opCount() > 0 ? w.opCount() : Long.MAX_VALUE;
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Histogram> hists = new ArrayList<>();
        for (int i = 0; i < w.concurrency(); i++) {
            hists.add(new Histogram(MAX_MICROS, 3));
        }
        long start = System.nanoTime();
        // From the same instant as the measured time, so a timed run lasts at least its duration.
        long deadline = w.duration().isZero() ? Long.MAX_VALUE : start + w.duration().toNanos();
        double cpu0 = processCpuSeconds();
        runWorkers(w.concurrency(), worker -> {
            Histogram h = hists.get(worker);
            SplittableRandom rnd = new SplittableRandom(worker * 7919L + System.nanoTime());
            byte[] buf = new byte[BUF];
            while (System.nanoTime() < deadline) {
                long n = issued.getAndIncrement();
                if (n >= limit) {
                    break;
                }
                Op op = w.op() == Op.MIXED ? drawMixed(rnd) : w.op();
                long t0 = System.nanoTime();
                try {
                    long moved = once(op, w, n, rnd, buf);
                    h.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1000));
                    bytes.addAndGet(moved);
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, op + ": " + e);
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = processCpuSeconds() - cpu0;
        Histogram all = new Histogram(MAX_MICROS, 3);
        hists.forEach(all::add);
        return new Result(w, all.getTotalCount(), errors.get(), firstError.get(), bytes.get(), seconds, all, cpu);
    }

    private static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long ns = os.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    private static Op drawMixed(SplittableRandom rnd) {
        int p = rnd.nextInt(100);
        return p < 60 ? Op.GET : p < 85 ? Op.PUT : p < 95 ? Op.HEAD : Op.LIST;
    }

    private long once(Op op, Workload w, long n, SplittableRandom rnd, byte[] buf) throws IOException {
        int idx = w.sequential() ? (int) (n % w.keyCount()) : rnd.nextInt(w.keyCount());
        return switch (op) {
            case PUT -> put(prefix + "put-" + w.size() + "-" + putSeq.getAndIncrement(), w.size());
            case GET -> get(key(w.size(), idx), w.size(), buf);
            case RANGE -> range(key(w.size(), idx), w.size(), w.rangeSize(), rnd, buf);
            case HEAD -> head(key(w.size(), idx), w.size());
            case LIST -> list(w.size());
            case MIXED -> throw new IllegalStateException("drawn per request");
        };
    }

    /** PUTs one object with its deterministic content; returns the payload size. */
    public long put(String key, long size) throws IOException {
        s3.put(bucket, key, size);
        return size;
    }

    /** GETs one object and checks every byte; returns the payload size. */
    public long get(String key, long size, byte[] buf) throws IOException {
        return s3.get(bucket, key, false, 0, size, buf);
    }

    private long range(String key, long size, long len, SplittableRandom rnd, byte[] buf) throws IOException {
        long n = Math.min(len, size);
        long from = size > n ? rnd.nextLong(size - n + 1) : 0;
        return s3.get(bucket, key, true, from, n, buf);
    }

    private long head(String key, long size) throws IOException {
        long len = s3.head(bucket, key);
        if (len != size) {
            throw new IOException("HEAD " + key + " gave length " + len + ", not " + size);
        }
        return 0;
    }

    private long list(long size) throws IOException {
        S3Ops.Page p = s3.list(bucket, prefix + "obj-" + size + "-", null, 1000);
        if (p.keyCount() == 0) {
            throw new IOException("LIST found no prepared keys");
        }
        return 0;
    }

    /**
     * Lists every key under a prefix, page by page; returns the key count and records each page's
     * latency into {@code pages}. When {@code budget} runs out first it stops after the current page
     * and returns minus the keys listed so far.
     */
    public long listAll(String listPrefix, Histogram pages, java.time.Duration budget) throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        String token = null;
        long keys = 0;
        do {
            if (System.nanoTime() > deadline) {
                return -keys;
            }
            long t0 = System.nanoTime();
            S3Ops.Page p = s3.list(bucket, listPrefix, token, 1000);
            pages.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1000));
            keys += p.keyCount();
            token = p.nextToken();
        } while (token != null);
        return keys;
    }

    /** Work done by worker {@code index}. */
    interface Worker {
        void work(int index) throws Exception;
    }

    static void runWorkers(int count, Worker worker) {
        try (ExecutorService pool = Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "load-worker");
            t.setDaemon(true);
            return t;
        })) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int idx = i;
                futures.add(pool.submit(() -> {
                    worker.work(idx);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
    }
}
