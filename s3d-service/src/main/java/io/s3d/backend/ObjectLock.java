package io.s3d.backend;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * The values S3 Object Lock adds to the storage contract: a bucket's lock configuration and the
 * retention and legal hold of one object version. A version carries its lock as the headers S3
 * answers GET and HEAD with ({@link #MODE}, {@link #RETAIN_UNTIL}, {@link #LEGAL_HOLD}).
 */
public final class ObjectLock {
    public static final String MODE = "x-amz-object-lock-mode";
    public static final String RETAIN_UNTIL = "x-amz-object-lock-retain-until-date";
    public static final String LEGAL_HOLD = "x-amz-object-lock-legal-hold";
    /** Longest default retention S3 accepts. */
    public static final int MAX_DAYS = 36_500;
    public static final int MAX_YEARS = 100;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ObjectLock() {
    }

    /** GOVERNANCE: lifted by whoever may bypass it; COMPLIANCE: by nobody until it ends. */
    public enum Mode {
        GOVERNANCE, COMPLIANCE;

        /** The mode S3 names {@code value}, or empty. */
        public static Optional<Mode> of(String value) {
            for (Mode mode : values()) {
                if (mode.name().equals(value)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    /** A version's retention: protected from deletion until {@code retainUntil}. */
    public record Retention(Mode mode, Instant retainUntil) {
        public boolean inForce(Instant now) {
            return retainUntil.isAfter(now);
        }
    }

    /** A bucket's default retention: exactly one of {@code days} and {@code years} is positive. */
    public record DefaultRetention(Mode mode, int days, int years) {
        /** The retention a version written at {@code written} gets. */
        public Retention from(Instant written) {
            Instant until = days > 0 ? written.plus(java.time.Duration.ofDays(days))
                    : written.atZone(ZoneOffset.UTC).plusYears(years).toInstant();
            return new Retention(mode, until);
        }
    }

    /** A bucket's Object Lock configuration (its existence means Object Lock is enabled). */
    public record Configuration(Optional<DefaultRetention> defaultRetention) {
        public static final Configuration ENABLED = new Configuration(Optional.empty());
    }

    /** The lock of one version: its retention and legal hold, each absent when never set. */
    public record State(Optional<Retention> retention, Optional<Boolean> legalHold) {
        public static final State NONE = new State(Optional.empty(), Optional.empty());

        /** The lock a version's headers describe. */
        public static State of(Map<String, String> headers) {
            Optional<Mode> mode = Mode.of(headers.get(MODE));
            String until = headers.get(RETAIN_UNTIL);
            Optional<Retention> retention = mode.isPresent() && until != null
                    ? Optional.of(new Retention(mode.get(), Instant.parse(until))) : Optional.empty();
            String hold = headers.get(LEGAL_HOLD);
            return new State(retention, hold == null ? Optional.empty() : Optional.of(hold.equals("ON")));
        }

        /** {@code headers} without any lock header, then with this lock's. */
        public Map<String, String> applyTo(Map<String, String> headers) {
            Map<String, String> out = new java.util.LinkedHashMap<>(headers);
            out.remove(MODE);
            out.remove(RETAIN_UNTIL);
            out.remove(LEGAL_HOLD);
            retention.ifPresent(r -> {
                out.put(MODE, r.mode().name());
                out.put(RETAIN_UNTIL, format(r.retainUntil()));
            });
            legalHold.ifPresent(on -> out.put(LEGAL_HOLD, on ? "ON" : "OFF"));
            return out;
        }
    }

    /** A retain-until date as S3 writes it, ISO 8601 with milliseconds. */
    public static String format(Instant instant) {
        return ISO.format(instant);
    }

    /** Whether headers name any part of a lock (mode, date or legal hold). */
    public static boolean requested(Map<String, String> headers) {
        return headers.containsKey(MODE) || headers.containsKey(RETAIN_UNTIL) || headers.containsKey(LEGAL_HOLD);
    }
}
