package io.s3d.bench.limits;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MachineLoadTest {

    @Test
    void aSpinningThreadCountsAsAtLeastHalfABusyCore() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/stat")), "no /proc/stat on this machine");
        AtomicBoolean stop = new AtomicBoolean();
        Thread spinner = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        });
        try {
            double busy = MachineLoad.busyCores(1_500);
            assertTrue(busy >= 0.5 && busy <= Runtime.getRuntime().availableProcessors() + 0.01,
                    "busy cores while one thread spins: " + busy);
        } finally {
            stop.set(true);
            spinner.join();
        }
    }

    @Test
    void settleMeasuresOneWindowWhenTheMachineIsAlreadyQuietEnough() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/stat")), "no /proc/stat on this machine");
        long start = System.nanoTime();
        double busy = MachineLoad.settle(Runtime.getRuntime().availableProcessors() + 1, 60);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(busy >= 0, "busy cores: " + busy);
        assertTrue(seconds < 10, "took " + seconds + " s");
    }
}
