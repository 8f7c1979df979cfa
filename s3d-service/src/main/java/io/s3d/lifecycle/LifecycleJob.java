package io.s3d.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.s3d.config.S3dConfig;
import io.s3d.gateway.Gateway;
import io.s3d.store.LocalStore;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the lifecycle rules of the standalone local store every {@code s3d.lifecycle.interval}
 * (S3D_LIFECYCLE_INTERVAL), one pass at a time, on a daemon thread. A gateway does not run them:
 * there the remote keeps the buckets and their lifecycle configurations.
 */
@Singleton
public class LifecycleJob {
    private static final Logger LOG = Logger.getLogger(LifecycleJob.class);

    private final LifecycleExecutor executor;
    private final Clock clock;
    private ScheduledExecutorService timer;

    @Inject
    LifecycleJob(LocalStore store, MeterRegistry registry, Clock clock) {
        this.executor = new LifecycleExecutor(store, registry);
        this.clock = clock;
    }

    void start(@Observes StartupEvent event, S3dConfig config, Gateway gateway) {
        S3dConfig.Lifecycle settings = config.lifecycle();
        Duration interval = settings.interval();
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalStateException("s3d.lifecycle.interval (S3D_LIFECYCLE_INTERVAL) must be positive, not "
                    + interval);
        }
        if (!settings.enabled() || gateway.remote().isPresent()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("s3d-lifecycle")
                .factory());
        timer.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("lifecycle rules of the local store's buckets run every %s", interval);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One pass over every bucket as of the clock's now; returns the number of actions taken. */
    public int runNow() {
        return runAt(clock.instant());
    }

    /** One pass as of {@code now} (tests move time forward with it). */
    public int runAt(Instant now) {
        return executor.run(now);
    }

    private void runQuietly() {
        try {
            int actions = runNow();
            if (actions > 0) {
                LOG.infof("lifecycle pass done: %d action(s)", actions);
            }
        } catch (RuntimeException e) {
            LOG.warn("lifecycle pass failed; the next one retries", e);
        }
    }
}
