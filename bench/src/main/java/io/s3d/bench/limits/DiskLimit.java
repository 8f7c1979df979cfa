package io.s3d.bench.limits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import io.s3d.bench.load.Content;

/**
 * The physical limits of the filesystem the servers store on, measured with plain Java file I/O
 * in the same directory tree: what no S3 server on this disk can beat.
 */
public final class DiskLimit {
    private DiskLimit() {
    }

    /**
     * Writes a new file of {@code size} bytes sequentially in 1 MiB writes and fsyncs it before
     * the clock stops; returns MB/s (10^6 bytes).
     */
    public static double writeFsync(Path file, long size) throws IOException {
        byte[] chunk = Content.bytes("raw-disk-limit", 1 << 20);
        ByteBuffer buf = ByteBuffer.wrap(chunk);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long done = 0; done < size; done += chunk.length) {
                buf.clear().limit((int) Math.min(chunk.length, size - done));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(true);
        }
        return size / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    /**
     * Reads the file written by {@link #writeFsync} sequentially in 1 MiB reads (from the page cache
     * when it is still there, as a GET right after a PUT would); returns the best MB/s of three passes.
     */
    public static double read(Path file) throws IOException {
        // Best of three passes: a limit is the most the machine can do, and one pass on a shared
        // machine can lose its core to someone else's build.
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            long total = 0;
            long t0 = System.nanoTime();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                int n;
                while ((n = ch.read(buf.clear())) >= 0) {
                    total += n;
                }
            }
            best = Math.max(best, total / ((System.nanoTime() - t0) / 1e9) / 1e6);
        }
        return best;
    }

    /**
     * Creates small files ({@code size} bytes each, written then fsynced, then the directory
     * entry renamed into place as a durable store would) from {@code threads} threads for
     * {@code duration}; returns files per second.
     */
    public static double smallFilesFsync(Path dir, int size, int threads, Duration duration) throws Exception {
        Files.createDirectories(dir);
        byte[] data = Content.bytes("raw-small-file", size);
        AtomicLong count = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    long i = 0;
                    while (System.nanoTime() < deadline) {
                        Path tmp = dir.resolve("t" + id + "-" + i + ".tmp");
                        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE)) {
                            ByteBuffer b = ByteBuffer.wrap(data);
                            while (b.hasRemaining()) {
                                ch.write(b);
                            }
                            ch.force(true);
                        }
                        Files.move(tmp, dir.resolve("t" + id + "-" + i), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                        i++;
                        count.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        return count.get() / ((System.nanoTime() - t0) / 1e9);
    }
}
