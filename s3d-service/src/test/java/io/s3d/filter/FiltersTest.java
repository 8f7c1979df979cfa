package io.s3d.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FiltersTest {

    @Test
    void anObjectMustPassTheSettingTheFileAndThePolicy() {
        Filters filters = new Filters(Map.of(Purpose.UPLOAD, FilterParser.parseList("logs, photos")),
                FilterFile.parse("queue: !photos/tmp/", "f"), Optional.of((purpose, facts) -> !facts.key().endsWith(".secret")));

        assertThat(filters.selects(Purpose.UPLOAD, ObjectFacts.of("logs", "a"))).isTrue();
        assertThat(filters.selects(Purpose.UPLOAD, ObjectFacts.of("other", "a"))).as("setting").isFalse();
        assertThat(filters.selects(Purpose.UPLOAD, ObjectFacts.of("photos", "tmp/a"))).as("file").isFalse();
        assertThat(filters.selects(Purpose.UPLOAD, ObjectFacts.of("logs", "a.secret"))).as("policy").isFalse();
        assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("other", "a"))).as("other purpose").isTrue();
    }

    @Test
    void aReplacedFileDecidesLaterDecisions() {
        Filters filters = new Filters(Map.of(), FilterFile.EMPTY, Optional.empty());
        assertThat(filters.selectsEverything(Purpose.CACHE)).isTrue();

        long before = filters.generation();
        filters.replaceFile(FilterFile.parse("cache: photos", "f"));
        assertThat(filters.generation()).as("remembered decisions are stale now").isNotEqualTo(before);

        assertThat(filters.selectsEverything(Purpose.CACHE)).isFalse();
        assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("logs", "a"))).isFalse();
        assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("photos", "a"))).isTrue();
    }

    @Test
    void bucketTagsAreReadOncePerBucketAndExpiry() {
        AtomicInteger reads = new AtomicInteger();
        Filters filters = new Filters(Map.of(Purpose.CACHE, FilterParser.parseList("*[tag:tier=hot]")),
                FilterFile.EMPTY, Optional.empty());
        filters.readBucketTagsFrom(bucket -> {
            reads.incrementAndGet();
            return bucket.equals("hot") ? Map.of("tier", "hot") : Map.of();
        }, Duration.ofMinutes(1));

        for (int i = 0; i < 100; i++) {
            assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("hot", "k" + i))).isTrue();
            assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("cold", "k" + i))).isFalse();
        }
        assertThat(reads).hasValue(2);

        filters.forgetBucketTags("hot");
        filters.selects(Purpose.CACHE, ObjectFacts.of("hot", "k"));
        assertThat(reads).hasValue(3);
    }

    @Test
    void expiredBucketTagsAreServedWhileTheyAreReadAgainAndAFailureKeepsThem() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Map<String, String>> remote =
                new java.util.concurrent.atomic.AtomicReference<>(Map.of("tier", "hot"));
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        MutableClock clock = new MutableClock();
        BucketTags tags = new BucketTags(b -> {
            if (down.get()) {
                throw new io.s3d.remote.RemoteUnreachableException("down", null);
            }
            return remote.get();
        }, Duration.ofSeconds(60), clock);
        assertThat(tags.of("b")).containsEntry("tier", "hot");

        remote.set(Map.of("tier", "cold"));
        down.set(true);
        clock.now += 61_000;
        assertThat(tags.of("b")).as("stale, while a refresh runs").containsEntry("tier", "hot");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            clock.now += 6_000;
            assertThat(tags.of("b")).as("a failed refresh keeps what was known").containsEntry("tier", "hot");
        });

        down.set(false);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            clock.now += 6_000;
            assertThat(tags.of("b")).containsEntry("tier", "cold");
        });
    }

    private static final class MutableClock extends java.time.Clock {
        volatile long now = 1_000_000;

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(now);
        }

        @Override
        public long millis() {
            return now;
        }
    }

    @Test
    void aFolderNeedsTheSyncRulesAndItsOwn() {
        Filters filters = new Filters(Map.of(Purpose.SYNC, FilterParser.parseList("!*/*.iso")),
                FilterFile.parse("sync: docs\nsync.reports: docs/reports/", "f"), Optional.empty());
        RuleSet own = FilterParser.parseList("!*/*.draft");

        assertThat(filters.selectsForSync("reports", own, ObjectFacts.of("docs", "reports/q1.pdf"))).isTrue();
        assertThat(filters.selectsForSync("reports", own, ObjectFacts.of("docs", "manual.pdf"))).isFalse();
        assertThat(filters.selectsForSync("other", own, ObjectFacts.of("docs", "manual.pdf"))).isTrue();
        assertThat(filters.selectsForSync("other", own, ObjectFacts.of("docs", "x.iso"))).isFalse();
        assertThat(filters.selectsForSync("other", own, ObjectFacts.of("docs", "x.draft"))).isFalse();
        assertThat(filters.selectsForSync("other", own, ObjectFacts.of("media", "x.pdf"))).isFalse();
    }
}
