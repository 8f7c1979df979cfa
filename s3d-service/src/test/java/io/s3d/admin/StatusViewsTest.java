package io.s3d.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StatusViewsTest {

    @Test
    void sizesAgesAndRatiosReadAsPeopleWriteThem() {
        assertThat(StatusViews.bytes(0)).isEqualTo("0 B");
        assertThat(StatusViews.bytes(1023)).isEqualTo("1023 B");
        assertThat(StatusViews.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(StatusViews.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
        assertThat(StatusViews.age(42)).isEqualTo("42s");
        assertThat(StatusViews.age(3725)).isEqualTo("1h 2m 5s");
        assertThat(StatusViews.age(2 * 86400 + 3 * 3600)).isEqualTo("2d 3h");
        assertThat(StatusViews.percent(1, 3)).isEqualTo("33.3 %");
        assertThat(StatusViews.percent(0, 0)).isEqualTo("–");
    }

    @Test
    void sessionsExpireAndEndOnSignOut() {
        MutableClock clock = new MutableClock();
        UiSessions sessions = new UiSessions(clock);
        UiSessions.Session session = sessions.open("ui-admin");
        assertThat(session.id()).hasSize(43).isNotEqualTo(session.csrf());
        assertThat(sessions.find(session.id())).contains(session);
        assertThat(sessions.find("guessed")).isEmpty();

        clock.now = clock.now.plus(UiSessions.LIFETIME).plusSeconds(1);
        assertThat(sessions.find(session.id())).as("expired").isEmpty();

        UiSessions.Session next = sessions.open("ui-admin");
        sessions.close(next.id());
        assertThat(sessions.find(next.id())).as("signed out").isEmpty();
        assertThat(UiSessions.sameSecret("abc", "abc")).isTrue();
        assertThat(UiSessions.sameSecret("abc", "abd")).isFalse();
        assertThat(UiSessions.sameSecret(null, "abc")).isFalse();
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
