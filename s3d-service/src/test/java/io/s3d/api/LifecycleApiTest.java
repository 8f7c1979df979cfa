package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import io.s3d.lifecycle.LifecycleJob;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketLifecycleConfigurationResponse;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;
import software.amazon.awssdk.services.s3.model.Transition;

/**
 * Put/Get/DeleteBucketLifecycleConfiguration and x-amz-expiration through the AWS SDK for Java v2,
 * and the rules carried out by the app's own lifecycle job with time moved forward.
 */
@QuarkusTest
class LifecycleApiTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    LifecycleJob job;

    S3Client s3;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "lc-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket))) {
            page.versions().forEach(v -> s3.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId())));
            page.deleteMarkers().forEach(v -> s3.deleteObject(b -> b.bucket(bucket).key(v.key())
                    .versionId(v.versionId())));
        }
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    private void put(LifecycleRule... rules) {
        s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(
                BucketLifecycleConfiguration.builder().rules(rules).build()));
    }

    private static LifecycleRule.Builder rule(String id, String prefix) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED)
                .filter(LifecycleRuleFilter.builder().prefix(prefix).build());
    }

    private void refused(LifecycleRule rule, int status, String code) {
        assertThatThrownBy(() -> put(rule)).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }

    @Test
    void putGetAndDeleteAConfiguration() {
        assertThatThrownBy(() -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchLifecycleConfiguration");
                });
        put(rule("logs", "logs/").expiration(e -> e.days(30))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(7).newerNoncurrentVersions(2)).build(),
                LifecycleRule.builder().id("uploads").status(ExpirationStatus.DISABLED)
                        .filter(LifecycleRuleFilter.builder().build())
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(3)).build());
        GetBucketLifecycleConfigurationResponse got = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket));
        assertThat(got.rules()).hasSize(2);
        LifecycleRule logs = got.rules().get(0);
        assertThat(logs.id()).isEqualTo("logs");
        assertThat(logs.filter().prefix()).isEqualTo("logs/");
        assertThat(logs.status()).isEqualTo(ExpirationStatus.ENABLED);
        assertThat(logs.expiration().days()).isEqualTo(30);
        assertThat(logs.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(7);
        assertThat(logs.noncurrentVersionExpiration().newerNoncurrentVersions()).isEqualTo(2);
        assertThat(got.rules().get(1).status()).isEqualTo(ExpirationStatus.DISABLED);
        assertThat(got.rules().get(1).abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(3);
        assertThat(got.transitionDefaultMinimumObjectSizeAsString()).isEqualTo("all_storage_classes_128K");

        s3.deleteBucketLifecycle(b -> b.bucket(bucket));
        assertThatThrownBy(() -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        s3.deleteBucketLifecycle(b -> b.bucket(bucket)); // deleting none succeeds, as in S3
        assertThatThrownBy(() -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket + "-missing")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
    }

    private java.net.http.HttpResponse<String> raw(String method, String query, Map<String, String> headers,
            String body) throws Exception {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(TestClients.endpoint(base) + "/" + bucket + query);
        return HttpClient.newHttpClient().send(io.s3d.TestSigner.signed(method, uri, headers, bytes,
                TestClients.ACCESS_KEY, TestClients.SECRET_KEY, Instant.now()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theWireFormAsAwsWritesIt() throws Exception {
        String legacy = "<LifecycleConfiguration><Rule><ID>old-style</ID><Prefix>tmp/</Prefix><Status>Enabled</Status>"
                + "<Expiration><Days>3</Days></Expiration></Rule></LifecycleConfiguration>";
        var missingMd5 = raw("PUT", "?lifecycle", Map.of(), legacy);
        HostileInputTest.assertError(missingMd5, 400, "InvalidRequest");
        assertThat(missingMd5.body()).contains("Missing required header for this request: Content-MD5");
        HostileInputTest.assertError(raw("PUT", "?lifecycle", Map.of("Content-MD5",
                HostileInputTest.md5("other".getBytes(StandardCharsets.UTF_8))), legacy), 400, "BadDigest");
        String notXml = "<LifecycleConfiguration><Rule>";
        HostileInputTest.assertError(raw("PUT", "?lifecycle", Map.of("Content-MD5",
                HostileInputTest.md5(notXml.getBytes(StandardCharsets.UTF_8))), notXml), 400, "MalformedXML");
        var ok = raw("PUT", "?lifecycle", Map.of("Content-MD5", HostileInputTest.md5(legacy.getBytes(
                StandardCharsets.UTF_8))), legacy);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        var got = raw("GET", "?lifecycle", Map.of(), null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).contains("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Rule><ID>old-style</ID><Prefix>tmp/</Prefix><Status>Enabled</Status><Expiration><Days>3</Days>"
                + "</Expiration></Rule></LifecycleConfiguration>");
        assertThat(raw("DELETE", "?lifecycle", Map.of(), null).statusCode()).isEqualTo(204);
        var missing = raw("GET", "?lifecycle", Map.of(), null);
        HostileInputTest.assertError(missing, 404, "NoSuchLifecycleConfiguration");
        assertThat(missing.body()).contains("<BucketName>" + bucket + "</BucketName>");
    }

    @Test
    void refusesInvalidRulesAsAws() {
        refused(rule("a", "").expiration(e -> e.days(0)).build(), 400, "InvalidArgument");
        refused(rule("a", "").expiration(e -> e.date(Instant.parse("2030-01-01T12:00:00Z"))).build(), 400,
                "InvalidArgument");
        refused(rule("a", "").expiration(e -> e.days(1).expiredObjectDeleteMarker(true)).build(), 400,
                "MalformedXML");
        refused(rule("a", "").build(), 400, "InvalidRequest");
        refused(LifecycleRule.builder().id("a").status(ExpirationStatus.ENABLED)
                .filter(f -> f.tag(t -> t.key("k").value("v")))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build(), 400, "InvalidRequest");
        refused(rule("a", "").transitions(Transition.builder().days(30).storageClass(TransitionStorageClass.GLACIER).build())
                .build(), 501, "NotImplemented");
        assertThatThrownBy(() -> put(rule("same", "").expiration(e -> e.days(1)).build(),
                rule("same", "x").expiration(e -> e.days(2)).build()))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)))
                .as("nothing was stored").isInstanceOf(S3Exception.class);
    }

    @Test
    void putGetAndHeadSayWhenAnObjectExpires() {
        put(rule("tmp-rule", "tmp/").expiration(e -> e.days(2)).build());
        String expiration = s3.putObject(b -> b.bucket(bucket).key("tmp/a"), RequestBody.fromString("a")).expiration();
        Instant created = s3.headObject(b -> b.bucket(bucket).key("tmp/a")).lastModified();
        String day = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy", Locale.US)
                .format(LocalDate.ofInstant(created, ZoneOffset.UTC).plusDays(3));
        assertThat(expiration).isEqualTo("expiry-date=\"" + day + " 00:00:00 GMT\", rule-id=\"tmp-rule\"");
        assertThat(s3.headObject(b -> b.bucket(bucket).key("tmp/a")).expiration()).isEqualTo(expiration);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("tmp/a")).response().expiration())
                .isEqualTo(expiration);
        assertThat(s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("tmp/a").destinationBucket(bucket)
                .destinationKey("tmp/copy")).expiration()).startsWith("expiry-date=\"").endsWith("rule-id=\"tmp-rule\"");
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("tmp/mp")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(bucket).key("tmp/mp").uploadId(upload).partNumber(1),
                RequestBody.fromString("part")).eTag();
        assertThat(s3.completeMultipartUpload(b -> b.bucket(bucket).key("tmp/mp").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))).expiration())
                .endsWith("rule-id=\"tmp-rule\"");
        assertThat(s3.putObject(b -> b.bucket(bucket).key("keep/b"), RequestBody.fromString("b")).expiration())
                .as("no rule for it").isNull();
        assertThat(s3.headObject(b -> b.bucket(bucket).key("keep/b")).expiration()).isNull();
    }

    @Test
    void theJobExpiresObjectsOnceTheirDayHasCome() {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        put(rule("expire", "tmp/").expiration(e -> e.days(1))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build(),
                rule("markers", "").expiration(LifecycleExpiration.builder().expiredObjectDeleteMarker(true).build())
                        .build());
        s3.putObject(b -> b.bucket(bucket).key("tmp/a"), RequestBody.fromString("a"));
        s3.putObject(b -> b.bucket(bucket).key("keep/b"), RequestBody.fromString("b"));
        String upload = s3.createMultipartUpload(b -> b.bucket(bucket).key("tmp/upload")).uploadId();

        job.runAt(Instant.now());
        assertThat(s3.headObject(b -> b.bucket(bucket).key("tmp/a")).contentLength()).isEqualTo(1);

        job.runAt(Instant.now().plus(Duration.ofDays(2)));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("tmp/a"))).isInstanceOf(NoSuchKeyException.class);
        List<ObjectVersion> versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix("tmp/")).versions();
        assertThat(versions).as("the expired version stays, noncurrent, behind a delete marker").hasSize(1);
        assertThat(s3.headObject(b -> b.bucket(bucket).key("keep/b")).contentLength()).isEqualTo(1);
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).extracting(u -> u.uploadId())
                .as("no abort rule").containsExactly(upload);

        job.runAt(Instant.now().plus(Duration.ofDays(4)));
        var all = s3.listObjectVersions(b -> b.bucket(bucket).prefix("tmp/"));
        assertThat(all.versions()).as("noncurrent version removed").isEmpty();
        assertThat(all.deleteMarkers()).as("and the marker left alone with it").isEmpty();
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("tmp/upload").uploadId(upload));
    }
}
