package io.s3d.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PutBucketLifecycleConfiguration's validation, as AWS answers it, and the form GetBucketLifecycleConfiguration gives back. */
class LifecycleXmlTest {
    private static List<LifecycleRule> parse(String rules) {
        return LifecycleXml.parse(("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules
                + "</LifecycleConfiguration>").getBytes(StandardCharsets.UTF_8));
    }

    private static String rendered(String rules) {
        return new String(LifecycleXml.render(parse(rules)), StandardCharsets.UTF_8);
    }

    private static void refused(String rules, String code, String message) {
        assertThatThrownBy(() -> parse(rules)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
        });
    }

    @Test
    void readsEveryActionAndFilter() {
        List<LifecycleRule> rules = parse("""
                <Rule><ID>logs</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>
                <ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>
                <Status>Enabled</Status><Expiration><Days>30</Days></Expiration>
                <NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>
                </Rule>
                <Rule><ID>uploads</ID><Prefix>tmp/</Prefix><Status>Disabled</Status>
                <AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>
                <Rule><ID>date</ID><Filter></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00.000Z</Date></Expiration></Rule>
                <Rule><ID>markers</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>
                <Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>
                """);
        LifecycleRule logs = rules.get(0);
        assertThat(logs.enabled()).isTrue();
        assertThat(logs.filter().prefix()).isEqualTo("logs/");
        assertThat(logs.filter().tags()).isEqualTo(Map.of("k", "v"));
        assertThat(logs.filter().matches("logs/a", 50, Map.of("k", "v", "other", "x"))).isTrue();
        assertThat(logs.filter().matches("logs/a", 100, Map.of("k", "v"))).as("less than is strict").isFalse();
        assertThat(logs.filter().matches("logs/a", 10, Map.of("k", "v"))).as("greater than is strict").isFalse();
        assertThat(logs.filter().matches("logs/a", 50, Map.of("k", "w"))).isFalse();
        assertThat(logs.filter().matches("other/a", 50, Map.of("k", "v"))).isFalse();
        assertThat(logs.expiration().get().days().getAsInt()).isEqualTo(30);
        assertThat(logs.noncurrent().get().noncurrentDays()).isEqualTo(7);
        assertThat(logs.noncurrent().get().newerNoncurrentVersions().getAsInt()).isEqualTo(2);
        assertThat(rules.get(1).enabled()).isFalse();
        assertThat(rules.get(1).legacyPrefix()).isTrue();
        assertThat(rules.get(1).abortAfterDays().getAsInt()).isEqualTo(3);
        assertThat(rules.get(2).expiration().get().date()).contains(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(rules.get(2).filter().matches("anything", 0, Map.of())).isTrue();
        assertThat(rules.get(3).removesExpiredMarkers()).isTrue();
    }

    @Test
    void givesBackWhatWasPutInS3sShape() {
        assertThat(rendered("<Rule><ID>a</ID><Filter><Prefix>p/</Prefix></Filter><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule>")).isEqualTo(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LifecycleConfiguration "
                                + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ID>a</ID><Filter><Prefix>p/"
                                + "</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
                                + "</Rule></LifecycleConfiguration>");
        assertThat(rendered("<Rule><ID>b</ID><Prefix></Prefix><Status>Disabled</Status><Expiration>"
                + "<Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>"))
                .contains("<Rule><ID>b</ID><Prefix></Prefix><Status>Disabled</Status><Expiration>"
                        + "<Date>2030-01-01T00:00:00.000Z</Date></Expiration></Rule>");
        assertThat(rendered("<Rule><ID>c</ID><Filter><And><Prefix>x</Prefix><Tag><Key>b</Key><Value>2</Value></Tag>"
                + "<Tag><Key>a</Key><Value>1</Value></Tag></And></Filter><Status>Enabled</Status>"
                + "<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration></Rule>"))
                .contains("<Filter><And><Prefix>x</Prefix><Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a</Key>"
                        + "<Value>1</Value></Tag></And></Filter>");
        String rendered = rendered("<Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>");
        assertThat(rendered).as("a rule without an ID gets one").containsPattern("<ID>[A-Za-z0-9+/=]{20,}</ID>");
        assertThat(LifecycleXml.parse(rendered.getBytes(StandardCharsets.UTF_8)).get(0).id())
                .as("and keeps it once stored")
                .isEqualTo(rendered.substring(rendered.indexOf("<ID>") + 4, rendered.indexOf("</ID>")));
    }

    @Test
    void refusesWhatAwsRefuses() {
        String days = "<Expiration><Days>1</Days></Expiration>";
        refused("", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Status>Enabled</Status>" + days + "</Rule>", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Prefix/><Filter/><Status>Enabled</Status>" + days + "</Rule>", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Filter/><Status>On</Status>" + days + "</Rule>", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Filter/>" + days + "</Rule>", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
                + "<Status>Enabled</Status>" + days + "</Rule>", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z"
                + "</Date></Expiration></Rule>", "MalformedXML", null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days>"
                + "<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>", "MalformedXML",
                null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration></Rule>",
                "MalformedXML", null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>",
                "InvalidArgument", "'Days' for Expiration action must be a positive integer");
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date>"
                + "</Expiration></Rule>", "InvalidArgument", "'Date' must be at midnight GMT");
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0"
                + "</NoncurrentDays></NoncurrentVersionExpiration></Rule>", "InvalidArgument",
                "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1"
                + "</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>"
                + "</Rule>", "InvalidArgument", null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>"
                + "0</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>", "InvalidArgument", null);
        refused("<Rule><ID>a</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>"
                + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
                + "</AbortIncompleteMultipartUpload></Rule>", "InvalidRequest",
                "AbortIncompleteMultipartUpload cannot be specified with Tags.");
        refused("<Rule><ID>a</ID><Filter><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan></Filter><Status>Enabled"
                + "</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
                + "</AbortIncompleteMultipartUpload></Rule>", "InvalidRequest",
                "AbortIncompleteMultipartUpload cannot be specified with Object Size.");
        refused("<Rule><ID>a</ID><Filter><And><ObjectSizeGreaterThan>50</ObjectSizeGreaterThan><ObjectSizeLessThan>50"
                + "</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>" + days + "</Rule>", "InvalidArgument",
                null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status></Rule>", "InvalidRequest",
                "At least one action needs to be specified in a rule");
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status>" + days + "</Rule><Rule><ID>a</ID><Filter/>"
                + "<Status>Enabled</Status>" + days + "</Rule>", "InvalidArgument",
                "Rule ID must be unique. Found same ID for more than one rule");
        refused("<Rule><ID>" + "i".repeat(256) + "</ID><Filter/><Status>Enabled</Status>" + days + "</Rule>",
                "InvalidArgument", "ID length should not exceed allowed limit of 255");
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Transition><Days>30</Days><StorageClass>GLACIER"
                + "</StorageClass></Transition></Rule>", "NotImplemented", null);
        refused("<Rule><ID>a</ID><Filter/><Status>Enabled</Status>" + days + "<Bogus/></Rule>", "MalformedXML", null);
        assertThat(parse(("<Rule><Filter/><Status>Enabled</Status>" + days + "</Rule>").repeat(1000))).hasSize(1000);
        refused(("<Rule><Filter/><Status>Enabled</Status>" + days + "</Rule>").repeat(1001), "InvalidRequest", null);
    }

    @Test
    void daysEndAtTheFollowingMidnightUtcAsAwsDocumentsIt() {
        assertThat(LifecycleDates.after(Instant.parse("2014-01-15T10:30:00Z"), 3))
                .isEqualTo(Instant.parse("2014-01-19T00:00:00Z"));
        assertThat(LifecycleDates.after(Instant.parse("2014-01-15T00:00:00Z"), 1))
                .isEqualTo(Instant.parse("2014-01-17T00:00:00Z"));
        assertThat(LifecycleDates.after(Instant.parse("2014-01-15T23:59:59Z"), 1))
                .isEqualTo(Instant.parse("2014-01-17T00:00:00Z"));
    }

    @Test
    void theExpirationHeaderNamesTheEarliestRule() {
        List<LifecycleRule> rules = parse("""
                <Rule><ID>late</ID><Filter/><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>
                <Rule><ID>picture-deletion-rule</ID><Filter><Prefix>pic/</Prefix></Filter><Status>Enabled</Status>
                <Expiration><Date>2012-12-23T00:00:00Z</Date></Expiration></Rule>
                <Rule><ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>
                """);
        io.s3d.backend.ObjectMeta picture = new io.s3d.backend.ObjectMeta("pic/a.jpg", 1, "e",
                Instant.parse("2012-12-01T10:00:00Z"), Map.of(), Map.of(), Map.of(), Map.of(), 0, "g");
        assertThat(BucketLifecycles.expiry(rules, picture).get().header())
                .isEqualTo("expiry-date=\"Sun, 23 Dec 2012 00:00:00 GMT\", rule-id=\"picture-deletion-rule\"");
        io.s3d.backend.ObjectMeta other = new io.s3d.backend.ObjectMeta("doc", 1, "e",
                Instant.parse("2012-12-01T10:00:00Z"), Map.of(), Map.of(), Map.of(), Map.of(), 0, "g");
        assertThat(BucketLifecycles.expiry(rules, other).get().header())
                .isEqualTo("expiry-date=\"Tue, 01 Jan 2013 00:00:00 GMT\", rule-id=\"late\"");
    }
}
