package io.s3d.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;

/** Runs each operation briefly against the trivial endpoint: the SDK path, the checks and the counts. */
@Timeout(60)
class LoadGeneratorTest {

    @Test
    void everyOperationRunsThroughTheSdk() throws Exception {
        try (TrivialEndpoint t = TrivialEndpoint.start();
             S3Client s3 = S3Clients.create(t.uri(), "ak", "sk", 4)) {
            everyOperation(new LoadGenerator(s3, "bench", ""));
        }
    }

    @Test
    void everyOperationRunsThroughTheLeanClient() throws Exception {
        try (TrivialEndpoint t = TrivialEndpoint.start();
             LeanS3Client s3 = new LeanS3Client(t.uri(), "ak", "sk")) {
            everyOperation(new LoadGenerator(s3, "bench", ""));
        }
    }

    @Test
    void leanClientEncodesLikeSigV4() {
        assertEquals("a/b%20c~d%2B", LeanS3Client.encode("a/b c~d+", false));
        assertEquals("a%2Fb", LeanS3Client.encode("a/b", true));
    }

    private static void everyOperation(LoadGenerator gen) throws Exception {
        {
            gen.createBucket();
            for (Op op : Op.values()) {
                Result r = gen.run(Workload.counted(op, 64 * 1024, 2, 20, 5, false));
                assertEquals(0, r.errors(), op + ": " + r.firstError());
                assertEquals(20, r.ops(), op.toString());
                assertEquals(20, r.latency().getTotalCount());
            }
            Result big = gen.run(Workload.counted(Op.GET, 5L << 20, 1, 2, 1, true));
            assertEquals(0, big.errors(), big.firstError());
            assertEquals(10L << 20, big.bytes());
            Result range = gen.run(Workload.counted(Op.RANGE, 5L << 20, 2, 4, 1, false).withRangeSize(100_000));
            assertEquals(0, range.errors(), range.firstError());
            assertEquals(400_000, range.bytes());
            Result timed = gen.run(Workload.timed(Op.PUT, 4096, 2, Duration.ofMillis(300), Duration.ZERO, 1));
            assertTrue(timed.ops() > 0 && timed.seconds() >= 0.3, timed.toString());
        }
    }
}
