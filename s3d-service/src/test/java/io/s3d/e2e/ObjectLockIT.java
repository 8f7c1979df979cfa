package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRetentionResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Object Lock of the standalone store end to end, through the AWS CLI and boto3
 * (scripts/compat/object_lock.sh) and the AWS SDK for Java against the packaged s3d: lock buckets, default and per-object retention, legal hold, what is refused and
 * what is allowed, and that a COMPLIANCE retention cannot be shortened by anyone.
 */
class ObjectLockIT {
    @TempDir
    Path store;

    private static S3Client client(String endpoint, RequestChecksumCalculation checksums) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true)
                .requestChecksumCalculation(checksums)
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    private static S3Exception refused(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    private static String code(S3Exception e) {
        return e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    private static String put(S3Client s3, String bucket, String key, String content) {
        return s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(content)).versionId();
    }

    @Test
    void awsCliAndBoto3SeeObjectLock() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of())) {
            CompatScript.run(s3d, "object_lock.sh", Map.of(), "object lock: 0 failure(s)");
        }
    }

    @Test
    void lockBucketsRetentionAndLegalHoldBehaveAsInS3() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of());
                S3Client s3 = client(s3d.endpoint(), RequestChecksumCalculation.WHEN_SUPPORTED)) {
            s3.createBucket(r -> r.bucket("vault").objectLockEnabledForBucket(true));
            assertThat(s3.getBucketVersioning(r -> r.bucket("vault")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
            var config = s3.getObjectLockConfiguration(r -> r.bucket("vault")).objectLockConfiguration();
            assertThat(config.objectLockEnabled()).isEqualTo(ObjectLockEnabled.ENABLED);
            assertThat(config.rule()).isNull();
            assertThat(code(refused(() -> s3.putBucketVersioning(r -> r.bucket("vault")
                    .versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED))))))
                    .startsWith("409 InvalidBucketState");

            // COMPLIANCE: nobody deletes the version, nobody shortens or weakens its retention.
            Instant inTenDays = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
            String ledger = s3.putObject(r -> r.bucket("vault").key("ledger").objectLockMode(ObjectLockMode.COMPLIANCE)
                    .objectLockRetainUntilDate(inTenDays), RequestBody.fromString("2026 accounts")).versionId();
            HeadObjectResponse head = s3.headObject(r -> r.bucket("vault").key("ledger"));
            assertThat(head.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
            assertThat(head.objectLockRetainUntilDate()).isEqualTo(inTenDays);
            for (boolean bypass : new boolean[] {false, true}) {
                assertThat(code(refused(() -> s3.deleteObject(r -> r.bucket("vault").key("ledger").versionId(ledger)
                        .bypassGovernanceRetention(bypass)))))
                        .isEqualTo("403 AccessDenied: Access Denied because object protected by object lock.");
                assertThat(code(refused(() -> s3.putObjectRetention(r -> r.bucket("vault").key("ledger")
                        .versionId(ledger).bypassGovernanceRetention(bypass).retention(t -> t
                                .mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(inTenDays.minusSeconds(60)))))))
                        .as("shortening COMPLIANCE, bypass " + bypass).startsWith("403 AccessDenied");
                assertThat(code(refused(() -> s3.putObjectRetention(r -> r.bucket("vault").key("ledger")
                        .versionId(ledger).bypassGovernanceRetention(bypass).retention(t -> t
                                .mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inTenDays.plusSeconds(60)))))))
                        .as("COMPLIANCE to GOVERNANCE, bypass " + bypass).startsWith("403 AccessDenied");
            }
            GetObjectRetentionResponse kept = s3.getObjectRetention(r -> r.bucket("vault").key("ledger")
                    .versionId(ledger));
            assertThat(kept.retention().retainUntilDate()).isEqualTo(inTenDays);
            Instant inTwentyDays = inTenDays.plus(Duration.ofDays(10));
            s3.putObjectRetention(r -> r.bucket("vault").key("ledger").versionId(ledger).retention(t -> t
                    .mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(inTwentyDays)));
            assertThat(s3.getObjectRetention(r -> r.bucket("vault").key("ledger")).retention().retainUntilDate())
                    .as("extended").isEqualTo(inTwentyDays);
            // A DELETE without a version id only stacks a delete marker on top, as in S3.
            DeleteObjectResponse marker = s3.deleteObject(r -> r.bucket("vault").key("ledger"));
            assertThat(marker.deleteMarker()).isTrue();
            assertThat(s3.getObjectAsBytes(r -> r.bucket("vault").key("ledger").versionId(ledger)).asUtf8String())
                    .isEqualTo("2026 accounts");
            // An overwrite is a new version beside the locked one.
            String newer = put(s3, "vault", "ledger", "2027 accounts");
            assertThat(newer).isNotEqualTo(ledger);
            assertThat(s3.headObject(r -> r.bucket("vault").key("ledger")).objectLockMode()).isNull();
            assertThat(code(refused(() -> s3.getObjectRetention(r -> r.bucket("vault").key("ledger")))))
                    .startsWith("400 NoSuchObjectLockConfiguration");

            // GOVERNANCE: lifted by a request that bypasses it.
            String draft = s3.putObject(r -> r.bucket("vault").key("draft").objectLockMode(ObjectLockMode.GOVERNANCE)
                    .objectLockRetainUntilDate(inTenDays), RequestBody.fromString("draft")).versionId();
            assertThat(code(refused(() -> s3.deleteObject(r -> r.bucket("vault").key("draft").versionId(draft)))))
                    .startsWith("403 AccessDenied");
            assertThat(code(refused(() -> s3.putObjectRetention(r -> r.bucket("vault").key("draft").retention(t -> t
                    .mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inTenDays.minusSeconds(60)))))))
                    .startsWith("403 AccessDenied");
            s3.putObjectRetention(r -> r.bucket("vault").key("draft").bypassGovernanceRetention(true).retention(t -> t
                    .mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(inTenDays.minusSeconds(60))));

            // Legal hold: nothing deletes a held version, bypass or not, until the hold is off.
            s3.putObjectLegalHold(r -> r.bucket("vault").key("draft").versionId(draft)
                    .legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));
            assertThat(s3.getObjectLegalHold(r -> r.bucket("vault").key("draft")).legalHold().status())
                    .isEqualTo(ObjectLockLegalHoldStatus.ON);
            assertThat(s3.headObject(r -> r.bucket("vault").key("draft")).objectLockLegalHoldStatus())
                    .isEqualTo(ObjectLockLegalHoldStatus.ON);
            assertThat(code(refused(() -> s3.deleteObject(r -> r.bucket("vault").key("draft").versionId(draft)
                    .bypassGovernanceRetention(true))))).startsWith("403 AccessDenied");
            s3.putObjectLegalHold(r -> r.bucket("vault").key("draft").versionId(draft)
                    .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
            s3.deleteObject(r -> r.bucket("vault").key("draft").versionId(draft).bypassGovernanceRetention(true));
            assertThat(code(refused(() -> s3.headObject(r -> r.bucket("vault").key("draft").versionId(draft)))))
                    .startsWith("404");

            // DeleteObjects: each locked version is its own AccessDenied, the others go.
            String loose = put(s3, "vault", "loose", "no lock");
            DeleteObjectsResponse multi = s3.deleteObjects(r -> r.bucket("vault").delete(d -> d.objects(
                    ObjectIdentifier.builder().key("ledger").versionId(ledger).build(),
                    ObjectIdentifier.builder().key("loose").versionId(loose).build())));
            assertThat(multi.deleted()).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo("loose"));
            assertThat(multi.errors()).singleElement().satisfies(e -> {
                assertThat(e.key()).isEqualTo("ledger");
                assertThat(e.versionId()).isEqualTo(ledger);
                assertThat(e.code()).isEqualTo("AccessDenied");
            });
        }
    }

    @Test
    void aRetentionEndsAtItsDateAndTheVersionCanThenBeDeleted() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of());
                S3Client s3 = client(s3d.endpoint(), RequestChecksumCalculation.WHEN_SUPPORTED)) {
            s3.createBucket(r -> r.bucket("short").objectLockEnabledForBucket(true));
            Instant soon = Instant.now().plusSeconds(3);
            String id = s3.putObject(r -> r.bucket("short").key("k").objectLockMode(ObjectLockMode.COMPLIANCE)
                    .objectLockRetainUntilDate(soon), RequestBody.fromString("x")).versionId();
            assertThat(code(refused(() -> s3.deleteObject(r -> r.bucket("short").key("k").versionId(id)))))
                    .startsWith("403 AccessDenied");
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), soon).toMillis()) + 1500);
            s3.deleteObject(r -> r.bucket("short").key("k").versionId(id));
            assertThat(s3.listObjectVersions(r -> r.bucket("short")).versions()).isEmpty();
        }
    }

    @Test
    void defaultRetentionAppliesToEveryWritePathAndItsErrorsAreS3s() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of());
                S3Client s3 = client(s3d.endpoint(), RequestChecksumCalculation.WHEN_SUPPORTED);
                S3Client bare = client(s3d.endpoint(), RequestChecksumCalculation.WHEN_REQUIRED)) {
            s3.createBucket(r -> r.bucket("plain"));
            assertThat(code(refused(() -> s3.getObjectLockConfiguration(r -> r.bucket("plain")))))
                    .isEqualTo("404 ObjectLockConfigurationNotFoundError: "
                            + "Object Lock configuration does not exist for this bucket");
            assertThat(code(refused(() -> s3.putObject(r -> r.bucket("plain").key("k")
                    .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON), RequestBody.fromString("x")))))
                    .isEqualTo("400 InvalidRequest: Bucket is missing ObjectLockConfiguration");
            put(s3, "plain", "k", "x");
            assertThat(code(refused(() -> s3.getObjectRetention(r -> r.bucket("plain").key("k")))))
                    .isEqualTo("400 InvalidRequest: Bucket is missing Object Lock Configuration");
            assertThat(code(refused(() -> s3.putObjectLockConfiguration(r -> r.bucket("plain")
                    .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED))))))
                    .startsWith("409 InvalidBucketState");

            // AWS allows enabling Object Lock on an existing bucket once its versioning is Enabled.
            s3.putBucketVersioning(r -> r.bucket("plain").versioningConfiguration(v -> v
                    .status(BucketVersioningStatus.ENABLED)));
            assertThat(code(refused(() -> s3.putObjectLockConfiguration(r -> r.bucket("plain").objectLockConfiguration(
                    c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED).rule(u -> u.defaultRetention(d -> d
                            .mode(ObjectLockRetentionMode.GOVERNANCE).days(1).years(1))))))))
                    .startsWith("400 MalformedXML");
            assertThat(code(refused(() -> s3.putObjectLockConfiguration(r -> r.bucket("plain").objectLockConfiguration(
                    c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED).rule(u -> u.defaultRetention(d -> d
                            .mode(ObjectLockRetentionMode.GOVERNANCE).days(0))))))))
                    .isEqualTo("400 InvalidArgument: Default retention period must be a positive integer value.");
            s3.putObjectLockConfiguration(r -> r.bucket("plain").objectLockConfiguration(c -> c
                    .objectLockEnabled(ObjectLockEnabled.ENABLED).rule(u -> u.defaultRetention(d -> d
                            .mode(ObjectLockRetentionMode.GOVERNANCE).days(2)))));
            var rule = s3.getObjectLockConfiguration(r -> r.bucket("plain")).objectLockConfiguration().rule()
                    .defaultRetention();
            assertThat(rule.mode()).isEqualTo(ObjectLockRetentionMode.GOVERNANCE);
            assertThat(rule.days()).isEqualTo(2);
            assertThat(rule.years()).isNull();

            // Every write path takes the default retention: PUT, copy, multipart.
            Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            put(s3, "plain", "put", "x");
            s3.copyObject(r -> r.sourceBucket("plain").sourceKey("put").destinationBucket("plain")
                    .destinationKey("copy"));
            String uploadId = s3.createMultipartUpload(r -> r.bucket("plain").key("multi")).uploadId();
            String etag = s3.uploadPart(r -> r.bucket("plain").key("multi").uploadId(uploadId).partNumber(1),
                    RequestBody.fromString("part")).eTag();
            s3.completeMultipartUpload(r -> r.bucket("plain").key("multi").uploadId(uploadId).multipartUpload(
                    m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
            for (String key : List.of("put", "copy", "multi")) {
                HeadObjectResponse head = s3.headObject(r -> r.bucket("plain").key(key));
                assertThat(head.objectLockMode()).as(key).isEqualTo(ObjectLockMode.GOVERNANCE);
                assertThat(head.objectLockRetainUntilDate()).as(key)
                        .isBetween(before.plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(2)));
            }
            // A copy or an upload may ask for its own lock.
            Instant until = Instant.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
            s3.copyObject(r -> r.sourceBucket("plain").sourceKey("put").destinationBucket("plain").destinationKey("held")
                    .objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(until)
                    .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON));
            HeadObjectResponse held = s3.headObject(r -> r.bucket("plain").key("held"));
            assertThat(held.objectLockMode()).isEqualTo(ObjectLockMode.COMPLIANCE);
            assertThat(held.objectLockRetainUntilDate()).isEqualTo(until);
            assertThat(held.objectLockLegalHoldStatus()).isEqualTo(ObjectLockLegalHoldStatus.ON);

            // A body that gets a retention must come with Content-MD5 or a checksum.
            assertThat(code(refused(() -> bare.putObject(r -> r.bucket("plain").key("bare"),
                    RequestBody.fromString("x"))))).isEqualTo("400 InvalidRequest: Content-MD5 OR x-amz-checksum- "
                            + "HTTP header is required for Put Object requests with Object Lock parameters");
            byte[] md5 = MessageDigest.getInstance("MD5").digest("x".getBytes(StandardCharsets.UTF_8));
            bare.putObject(r -> r.bucket("plain").key("bare").contentMD5(Base64.getEncoder().encodeToString(md5)),
                    RequestBody.fromString("x"));

            // Header errors, as S3 words them.
            assertThat(code(refused(() -> s3.putObject(r -> r.bucket("plain").key("k")
                    .objectLockMode(ObjectLockMode.GOVERNANCE), RequestBody.fromString("x")))))
                    .isEqualTo("400 InvalidArgument: x-amz-object-lock-retain-until-date and x-amz-object-lock-mode "
                            + "must both be supplied.");
            assertThat(code(refused(() -> s3.putObject(r -> r.bucket("plain").key("k")
                    .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(Instant.now().minusSeconds(60)),
                    RequestBody.fromString("x"))))).isEqualTo("400 InvalidArgument: The retain until date must be in the future!");
        }
    }
}
