package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ObjectLock.Mode;
import io.s3d.backend.ObjectLock.Retention;
import io.s3d.backend.ObjectLock.State;
import io.s3d.backend.S3Exception;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** S3's Object Lock rules on values alone: at the edge of the retain-until date and for each mode. */
class RetentionRulesTest {
    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

    private static State retained(Mode mode, Instant until) {
        return new State(Optional.of(new Retention(mode, until)), Optional.empty());
    }

    @Test
    void aRetentionProtectsUntilItsDateAndNotAMillisecondLonger() {
        Instant until = NOW.plusMillis(1);
        assertThatThrownBy(() -> RetentionRules.checkDelete(retained(Mode.COMPLIANCE, until), true, NOW))
                .isInstanceOf(S3Exception.class).hasMessage(RetentionRules.PROTECTED);
        assertThatCode(() -> RetentionRules.checkDelete(retained(Mode.COMPLIANCE, NOW), false, NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> RetentionRules.checkDelete(State.NONE, false, NOW)).doesNotThrowAnyException();
    }

    @Test
    void aLegalHoldProtectsWhateverTheRetentionAndAnOffHoldDoesNot() {
        State held = new State(Optional.of(new Retention(Mode.GOVERNANCE, NOW.minusSeconds(1))), Optional.of(true));
        assertThatThrownBy(() -> RetentionRules.checkDelete(held, true, NOW)).isInstanceOf(S3Exception.class);
        assertThatCode(() -> RetentionRules.checkDelete(new State(Optional.empty(), Optional.of(false)), false, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void anExpiredRetentionMayBeReplacedByAnyOther() {
        Optional<Retention> expired = Optional.of(new Retention(Mode.COMPLIANCE, NOW.minusSeconds(1)));
        assertThatCode(() -> RetentionRules.checkChange(expired,
                Optional.of(new Retention(Mode.GOVERNANCE, NOW.plusSeconds(5))), false, NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> RetentionRules.checkChange(expired, Optional.empty(), false, NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void theSameDateInTheSameModeIsNoWeakening() {
        Optional<Retention> held = Optional.of(new Retention(Mode.COMPLIANCE, NOW.plusSeconds(60)));
        assertThatCode(() -> RetentionRules.checkChange(held, held, false, NOW)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RetentionRules.checkChange(held,
                Optional.of(new Retention(Mode.COMPLIANCE, NOW.plusSeconds(59))), true, NOW))
                .isInstanceOf(S3Exception.class);
    }
}
