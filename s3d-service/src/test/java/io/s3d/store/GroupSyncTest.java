package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The group commit's one promise: {@link GroupSync#sync()} returns only after an fsync that began
 * after the call (so after the caller's rename) has finished, even while another caller's fsync,
 * begun earlier, is still running. A power-cut test hits that race only by luck; here it is arranged.
 */
class GroupSyncTest {
    @Test
    void aWriterArrivingDuringAnFsyncWaitsForOneThatBeganAfterIt() throws Exception {
        AtomicInteger clock = new AtomicInteger();
        List<int[]> fsyncs = new CopyOnWriteArrayList<>(); // {began, ended}
        CountDownLatch firstBegan = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        GroupSync group = new GroupSync(Path.of("/unused"), dir -> {
            int began = clock.incrementAndGet();
            if (fsyncs.isEmpty() && firstBegan.getCount() > 0) {
                firstBegan.countDown();
                try {
                    releaseFirst.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            fsyncs.add(new int[] {began, clock.incrementAndGet()});
        });
        Thread first = Thread.ofPlatform().start(() -> sync(group));
        firstBegan.await();

        int[] second = new int[2];
        Thread late = Thread.ofPlatform().start(() -> {
            second[0] = clock.incrementAndGet(); // its rename happened here, during the first fsync
            sync(group);
            second[1] = clock.incrementAndGet();
        });
        // Until the late writer waits (or, wrongly, has already returned on the strength of the first fsync).
        while (late.getState() != Thread.State.WAITING && late.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        releaseFirst.countDown();
        first.join();
        late.join();

        assertThat(fsyncs).as("an fsync that began after the late writer's rename and ended before it returned")
                .anyMatch(f -> f[0] > second[0] && f[1] < second[1]);
    }

    private static void sync(GroupSync group) {
        try {
            group.sync();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
