package io.s3d.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * S3's lifecycle arithmetic: a rule of N days acts at midnight UTC following the moment N days
 * after the object's creation (or, for noncurrent versions, its successor's creation; for uploads,
 * their initiation). An object created 2014-01-15 10:30 UTC with 3 days expires 2014-01-19 00:00
 * UTC, as in AWS's documentation.
 */
public final class LifecycleDates {
    private LifecycleDates() {
    }

    /** The midnight UTC after {@code start} plus {@code days} days. */
    public static Instant after(Instant start, int days) {
        return start.plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    }

    /** Whether a date S3 accepts for Expiration/Date: midnight UTC. */
    static boolean isMidnight(Instant date) {
        return date.equals(date.truncatedTo(ChronoUnit.DAYS));
    }
}
