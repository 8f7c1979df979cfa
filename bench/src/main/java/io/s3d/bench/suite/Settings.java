package io.s3d.bench.suite;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How long and how often the suite measures, and where things are.
 *
 * @param quick     the short run
 * @param duration  measured time of one timed workload
 * @param warmup    discarded run before the first repeat of a timed workload
 * @param repeats   repeats of each workload
 * @param listKeys  keys in the LIST bucket
 * @param wanLarge  whether the 64 MiB rows over the WAN link run (each miss is ~11 s at 50 Mbit/s)
 * @param fillBudget longest time spent filling the LIST bucket per server
 * @param listBudget longest time one full listing may take before it is cut short
 * @param sdkClient  measure through the AWS SDK instead of the lean client ({@code --client sdk})
 * @param root      the repository root
 * @param work      scratch directory for servers' data, deleted at the end
 */
public record Settings(boolean quick, Duration duration, Duration warmup, int repeats, int listKeys, boolean wanLarge,
                       Duration fillBudget, Duration listBudget, boolean sdkClient, Path root, Path work) {

    /** Defaults for {@code --quick} (under 3 minutes) or the full run (under 15 minutes). */
    public static Settings of(boolean quick, Path root, Path work) {
        return quick
                ? new Settings(true, Duration.ofMillis(1000), Duration.ofMillis(500), 1, 5_000, false,
                Duration.ofSeconds(15), Duration.ofSeconds(10), false, root, work)
                : new Settings(false, Duration.ofMillis(1500), Duration.ofSeconds(1), 3, 100_000, true,
                Duration.ofSeconds(40), Duration.ofSeconds(15), false, root, work);
    }

    /** The same settings measuring through the AWS SDK. */
    public Settings withSdkClient() {
        return new Settings(quick, duration, warmup, repeats, listKeys, wanLarge, fillBudget, listBudget, true, root,
                work);
    }

    /** The s3d service jar. */
    public Path s3dJar() {
        return root.resolve("s3d-service/target/quarkus-app/quarkus-run.jar");
    }

    /** The S3Proxy fat jar copied by the bench build. */
    public Path s3proxyJar() {
        return root.resolve("bench/target/s3proxy/s3proxy.jar");
    }
}
