package io.s3d.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterFileTest {

    private static final String FILE = """
            # what this edge site does with its data
            queue: logs, photos/raw/          # on the line, comma-separated
            cache:
              - photos/*[hdr:content-type='image/*']
              - "!photos/tmp/"
            sync: docs
            sync.reports:
              - docs/reports/
            exclude: "**/*.tmp"
            """;

    @Test
    void sectionsHoldTheRulesOfEachPurpose() {
        FilterFile f = FilterFile.parse(FILE, "policy");

        assertThat(f.sections()).containsOnlyKeys("queue", "cache", "sync", "sync.reports", "exclude");
        RuleSet queue = f.rules(Purpose.UPLOAD);
        assertThat(queue.selects(ObjectFacts.of("logs", "a.log"))).isTrue();
        assertThat(queue.selects(ObjectFacts.of("photos", "raw/1.cr2"))).isTrue();
        assertThat(queue.selects(ObjectFacts.of("photos", "cooked/1.jpg"))).isFalse();

        RuleSet cache = f.rules(Purpose.CACHE);
        ObjectFacts image = ObjectFacts.of("photos", "a.png").withHeaders(Map.of("content-type", "image/png"));
        assertThat(cache.selects(image)).isTrue();
        assertThat(cache.selects(ObjectFacts.of("photos", "tmp/a.png").withHeaders(Map.of("content-type", "image/png"))))
                .isFalse();
        assertThat(cache.selects(ObjectFacts.of("photos", "a.txt").withHeaders(Map.of("content-type", "text/plain"))))
                .isFalse();
    }

    @Test
    void theExcludeListExcludesForEveryPurpose() {
        FilterFile f = FilterFile.parse(FILE, "policy");

        assertThat(f.rules(Purpose.UPLOAD).selects(ObjectFacts.of("logs", "x/run.tmp"))).isFalse();
        assertThat(f.rules(Purpose.SYNC).selects(ObjectFacts.of("docs", "a.tmp"))).isFalse();
        assertThat(f.rules(Purpose.SYNC).selects(ObjectFacts.of("docs", "a.md"))).isTrue();
        assertThat(f.syncRules("reports").selects(ObjectFacts.of("docs", "reports/q1.tmp"))).isFalse();
        assertThat(f.syncRules("reports").selects(ObjectFacts.of("docs", "reports/q1.pdf"))).isTrue();
        assertThat(f.syncRules("reports").selects(ObjectFacts.of("docs", "other.pdf"))).isFalse();
        assertThat(f.syncRules("other-folder").selects(ObjectFacts.of("docs", "other.pdf"))).isTrue();
    }

    /** The operator's generated ConfigMap renders spec.filters.inline as it is, e.g. this. */
    @Test
    void theOperatorsExampleParses() {
        FilterFile f = FilterFile.parse("exclude: \"**/*.tmp\"\n", "/etc/s3d/filter/policy");

        assertThat(f.rules(Purpose.CACHE).selects(ObjectFacts.of("b", "a/b.tmp"))).isFalse();
        assertThat(f.rules(Purpose.CACHE).selects(ObjectFacts.of("b", "a/b.txt"))).isTrue();
        assertThat(FilterFile.parse("", "empty").sections()).isEmpty();
        assertThat(FilterFile.parse("upload: logs", "alias").sections()).containsOnlyKeys("queue");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "queue: logs\\n  other: x            | policy, line 2: expected '<section>: rules' or '  - rule', not 'other: x'",
            "  - logs                              | policy, line 1: expected a section ('queue:', 'cache:', 'sync:', 'sync.<folder>:', 'exclude:') before the first '- ' entry",
            "caches: x                             | policy, line 1: expected a section named queue, upload, cache, sync, sync.<folder> or exclude, not 'caches'",
            "queue: a\\nqueue: b                   | policy, line 2: expected each section once; 'queue' came before",
            "# c\\ncache:\\n  - ok\\n  - b[tag:k  | policy, line 4: filter 'b[tag:k', column 8: expected an operator (=, !=, <, <=, >, >=) or ']'",
            "just words                            | policy, line 1: expected '<section>: rules' or '  - rule', not 'just words'"})
    void errorsNameTheFileTheLineAndWhatWasExpected(String text, String message) {
        assertThatThrownBy(() -> FilterFile.parse(text.replace("\\n", "\n"), "policy"))
                .isInstanceOf(FilterFileException.class).hasMessage(message);
    }
}
