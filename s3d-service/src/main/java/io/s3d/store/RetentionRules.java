package io.s3d.store;

import io.s3d.backend.ObjectLock;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.time.Instant;
import java.util.Optional;

/**
 * S3's Object Lock rules, decided on values alone: whether a version may be removed for good, and
 * whether its retention may be replaced. A refusal is S3's {@code 403 AccessDenied}.
 */
final class RetentionRules {
    static final String PROTECTED = "Access Denied because object protected by object lock.";

    private RetentionRules() {
    }

    /**
     * A version may be deleted for good unless a legal hold is on, a COMPLIANCE retention is in
     * force, or a GOVERNANCE retention is in force and the request does not bypass it.
     */
    static void checkDelete(ObjectLock.State state, boolean bypassGovernance, Instant now) {
        if (state.legalHold().orElse(false)) {
            throw denied();
        }
        Optional<ObjectLock.Retention> retention = state.retention().filter(r -> r.inForce(now));
        if (retention.isPresent() && (retention.get().mode() == ObjectLock.Mode.COMPLIANCE || !bypassGovernance)) {
            throw denied();
        }
    }

    /**
     * A retention in force may be extended in its own mode by anyone; anything that weakens it (an
     * earlier date, another mode, its removal) needs a bypass of a GOVERNANCE retention and is
     * never allowed on a COMPLIANCE one, bypass or not. An expired retention may be replaced freely.
     *
     * @param requested the new retention, empty to remove it
     */
    static void checkChange(Optional<ObjectLock.Retention> current, Optional<ObjectLock.Retention> requested,
            boolean bypassGovernance, Instant now) {
        if (current.isEmpty() || !current.get().inForce(now)) {
            return;
        }
        ObjectLock.Retention held = current.get();
        boolean extension = requested.isPresent() && requested.get().mode() == held.mode()
                && !requested.get().retainUntil().isBefore(held.retainUntil());
        if (extension) {
            return;
        }
        if (held.mode() == ObjectLock.Mode.COMPLIANCE || !bypassGovernance) {
            throw denied();
        }
    }

    static S3Exception denied() {
        return new S3Exception(S3ErrorCode.ACCESS_DENIED, PROTECTED);
    }
}
