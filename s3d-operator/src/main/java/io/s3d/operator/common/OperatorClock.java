package io.s3d.operator.common;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The clock status factories use; tests can replace it with an alternative producer. */
@ApplicationScoped
public class OperatorClock {
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
