package io.s3d.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterParserTest {

    /** The seed's forms: filter | bucket | key | tags of the bucket | tags of the object | expected. */
    @ParameterizedTest(name = "{0} on {1}/{2} bucketTags={3} objectTags={4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "logs                      | logs    | a/b.log   | -           | -           | true",
            "logs                      | logs2   | a         | -           | -           | false",
            "logs*                     | logs2   | a         | -           | -           | true",
            "*-edge                    | eu-edge | a         | -           | -           | true",
            "*-edge                    | eu/edge | a         | -           | -           | false",
            "photos/raw/               | photos  | raw/x.cr2 | -           | -           | true",
            "photos/raw/               | photos  | a/raw/x   | -           | -           | false",
            "photos/raw*               | photos  | rawhide   | -           | -           | true",
            "photos/*.jpg              | photos  | a/b/c.jpg | -           | -           | true",
            "photos/*.jpg              | photos  | c.jpg.png | -           | -           | false",
            "bucket[tag:team]          | bucket  | k         | team=a      | -           | true",
            "bucket[tag:team]          | bucket  | k         | -           | team=a      | false",
            "bucket[tag:team=a]        | bucket  | k         | team=a      | -           | true",
            "bucket[tag:team=a]        | bucket  | k         | team=b      | -           | false",
            "bucket[tag:team!=a]       | bucket  | k         | team=b      | -           | true",
            "bucket[tag:team!=a]       | bucket  | k         | -           | -           | true",
            "bucket[tag:team!=a]       | bucket  | k         | team=a      | -           | false",
            "b/p*[tag:k1=v][tag:k2=w]  | b       | p1        | -           | k1=v;k2=w   | true",
            "b/p*[tag:k1=v][tag:k2=w]  | b       | p1        | -           | k1=v        | false",
            "b/p*[tag:k1=v][tag:k2=w]  | b       | q1        | -           | k1=v;k2=w   | false",
            "b/p*[tag:k1=v]            | b       | p1        | k1=v        | -           | false",
            "[tag:s3d.upload=false]    | any     | any/key   | -           | s3d.upload=false | true",
            "[tag:s3d.upload=false]    | any     | any/key   | s3d.upload=false | -      | false",
            "b[tag:k1=v1]/p*[tag:k2=v2] | b      | px        | k1=v1       | k2=v2       | true",
            "b[tag:k1=v1]/p*[tag:k2=v2] | b      | px        | k1=v2       | k2=v2       | false",
            "b[tag:k1=v1]/p*[tag:k2=v2] | b      | px        | k1=v1       | k2=v1       | false",
            "b[tag:k='v *']            | b       | k         | k=v one     | -           | true",
            "b[tag:k=v*]               | b       | k         | k=vx        | -           | false",
            "b[tag:k=v*]               | b       | k         | k=v*        | -           | true",
            "!logs                     | logs    | a         | -           | -           | false",
            "!logs                     | other   | a         | -           | -           | true"})
    void namesAndTags(String filter, String bucket, String key, String bucketTags, String objectTags,
            boolean expected) {
        RuleSet rules = FilterParser.parseList(filter);
        ObjectFacts facts = ObjectFacts.of(bucket, key).withBucketTags(() -> tags(bucketTags))
                .withObjectTags(tags(objectTags));
        assertThat(rules.selects(facts)).isEqualTo(expected);
    }

    /** Headers and metadata: filter | content-type | size | metadata | expected. */
    @ParameterizedTest(name = "{0} type={1} size={2} md={3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "b/*[hdr:content-type=text/plain]     | text/plain  | 10        | -          | true",
            "b/*[hdr:content-type=text/plain]     | text/html   | 10        | -          | false",
            "b/*[hdr:content-type='video/*']      | video/mp4   | 10        | -          | true",
            "b/*[hdr:content-type='video/*']      | audio/mp4   | 10        | -          | false",
            "b/*[hdr:content-type!='video/*']     | audio/mp4   | 10        | -          | true",
            "b/*[hdr:Content-Type=\"video/mp4\"]  | video/mp4   | 10        | -          | true",
            "b/*[hdr:content-length<100]          | -           | 99        | -          | true",
            "b/*[hdr:content-length<100]          | -           | 100       | -          | false",
            "b/*[hdr:content-length<=100]         | -           | 100       | -          | true",
            "b/*[hdr:content-length>10MiB]        | -           | 10485761  | -          | true",
            "b/*[hdr:content-length>10MiB]        | -           | 10485760  | -          | false",
            "b/*[hdr:content-length>=10MB]        | -           | 10000000  | -          | true",
            "b/*[hdr:content-length>=10MB]        | -           | 9999999   | -          | false",
            "b/*[hdr:content-length<1K]           | -           | 1023      | -          | true",
            "b/*[hdr:content-length=1KiB]         | -           | 1024      | -          | true",
            "b/*[hdr:content-length<100]          | -           | -1        | -          | false",
            "[hdr:content-type=text/plain]        | text/plain  | 1         | -          | true",
            "b/*[md:custom-meta-data=value]       | -           | 1         | custom-meta-data=value | true",
            "b/*[md:custom-meta-data=value]       | -           | 1         | custom-meta-data=other | false",
            "b/*[md:Custom-Meta-Data]             | -           | 1         | custom-meta-data=x     | true",
            "b/*[md:owner!=bob]                   | -           | 1         | -          | true",
            "b[tag:k1=val1]/prefix*[hdr:content-type='video/*'] | video/x | 1 | -       | false"})
    void headersAndMetadata(String filter, String contentType, long size, String metadata, boolean expected) {
        RuleSet rules = FilterParser.parseList(filter);
        ObjectFacts facts = ObjectFacts.of("b", "prefix/k").withSize(size)
                .withHeaders(contentType == null ? Map.of() : Map.of("content-type", contentType))
                .withMetadata(tags(metadata));
        assertThat(rules.selects(facts)).isEqualTo(expected);
    }

    @Test
    void theSeedsLongestFormNeedsEveryPart() {
        RuleSet rules = FilterParser.parseList("bucket[tag:key1=val1]/prefix*[tag:key2=val2][hdr:content-type='video/*']");
        ObjectFacts all = ObjectFacts.of("bucket", "prefix/clip.mp4")
                .withBucketTags(() -> Map.of("key1", "val1")).withObjectTags(Map.of("key2", "val2"))
                .withHeaders(Map.of("content-type", "video/mp4"));

        assertThat(rules.selects(all)).isTrue();
        assertThat(rules.selects(all.withHeaders(Map.of("content-type", "image/png")))).isFalse();
        assertThat(rules.selects(all.withObjectTags(Map.of()))).isFalse();
        assertThat(rules.selects(all.withBucketTags(Map::of))).isFalse();
        assertThat(rules.selects(ObjectFacts.of("bucket", "other/clip.mp4").withBucketTags(() -> Map.of("key1", "val1"))
                .withObjectTags(Map.of("key2", "val2")).withHeaders(Map.of("content-type", "video/mp4")))).isFalse();
    }

    @Test
    void aListIsAnOrAndExclusionsWin() {
        RuleSet rules = FilterParser.parseList("logs, photos/raw/, !logs/tmp/,\n!*/*.part");

        assertThat(rules.selects(ObjectFacts.of("logs", "app.log"))).isTrue();
        assertThat(rules.selects(ObjectFacts.of("photos", "raw/1.cr2"))).isTrue();
        assertThat(rules.selects(ObjectFacts.of("photos", "cooked/1.jpg"))).isFalse();
        assertThat(rules.selects(ObjectFacts.of("logs", "tmp/x"))).isFalse();
        assertThat(rules.selects(ObjectFacts.of("logs", "big.part"))).isFalse();
    }

    @Test
    void onlyExclusionsSelectEverythingElse() {
        RuleSet rules = FilterParser.parseList("!scratch, !*/*.tmp");

        assertThat(rules.selects(ObjectFacts.of("photos", "a.jpg"))).isTrue();
        assertThat(rules.selects(ObjectFacts.of("scratch", "a.jpg"))).isFalse();
        assertThat(rules.selects(ObjectFacts.of("photos", "a.tmp"))).isFalse();
        assertThat(FilterParser.parseList(" , ,").selects(ObjectFacts.of("x", "y"))).isTrue();
    }

    @Test
    void commasInsideBracketsAndQuotesDoNotSplit() {
        RuleSet rules = FilterParser.parseList("b/*[hdr:content-type='text/plain; a=1, b=2'], c");

        assertThat(rules.rules()).hasSize(2);
        assertThat(rules.selects(ObjectFacts.of("b", "k").withHeaders(Map.of("content-type", "text/plain; a=1, b=2"))))
                .isTrue();
    }

    @Test
    void bucketTagsAreOnlyAskedForWhenTheNameMatches() {
        RuleSet rules = FilterParser.parseList("photos[tag:team=a]");
        ObjectFacts other = ObjectFacts.of("logs", "k").withBucketTags(() -> {
            throw new AssertionError("bucket tags asked for a bucket the rule does not name");
        });

        assertThat(rules.selects(other)).isFalse();
        assertThat(rules.uses(Source.BUCKET_TAG)).isTrue();
        assertThat(rules.uses(Source.OBJECT_TAG)).isFalse();
    }

    /** filter | column | expected text. */
    @ParameterizedTest(name = "{0} -> column {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "bucket[tag:key               | 15 | an operator (=, !=, <, <=, >, >=) or ']'",
            "bucket[tag:key=v            | 17 | ']'",
            "bucket[label:key]           | 8  | 'tag:', 'hdr:' or 'md:' after '['",
            "bucket[tag:]                | 12 | a tag name",
            "b/*[hdr:content-length<ten]  | 24 | a number or size (100, 10KiB, 5MB) after '<'",
            "b/*[hdr:content-type='video/*]  | 22 | a closing ' for the quote opened here",
            "b/*[hdr:content-type=]      | 22 | a value (quote it to match the empty string: '')",
            "b[tag:k!v]                  | 9  | '=' after '!'",
            "/key                        | 1  | a bucket name or pattern before '/'",
            "!                           | 2  | a bucket name or pattern, or a [condition]",
            "my bucket                   | 3  | a bucket name character, '/' or '['",
            "b/k]                        | 4  | a key character or '[' (a ']' without its '[')",
            "b[tag:a]x                   | 9  | '/', '[' or the end of the filter",
            "b/k[tag:a]x                 | 11 | '[' or the end of the filter"})
    void parseErrorsNameTheFilterTheColumnAndWhatWasExpected(String filter, int column, String expected) {
        assertThatThrownBy(() -> FilterParser.parseList("ok, " + filter))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.filter()).isEqualTo(filter);
                    assertThat(e.column()).isEqualTo(column);
                    assertThat(e.expected()).isEqualTo(expected);
                    assertThat(e.getMessage()).isEqualTo("filter '" + filter + "', column " + column + ": expected "
                            + expected);
                });
    }

    private static Map<String, String> tags(String text) {
        if (text == null) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}
