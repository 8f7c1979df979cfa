package io.s3d.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one {@link Clock} beans take time from (UTC), so that a test can run time-driven work — the
 * lifecycle rules, retention periods — at a moment of its choosing by passing its own clock.
 */
@Singleton
public class Clocks {
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
