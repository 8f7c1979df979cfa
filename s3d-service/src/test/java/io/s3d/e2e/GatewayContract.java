package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The gateway's contract: for each operation and header, the answer through s3d equals the answer
 * straight from the remote (status, error code, the headers and body that matter). Every test runs
 * the same call twice, once on a bucket straight at the remote and once on a twin bucket through
 * s3d, and compares. One subclass per remote (S3Proxy, moto) and per s3d set-up (write queue and
 * read cache on, or off): the same test class against several remotes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GatewayContract {
    /** A remote store for the suite: a client straight to it and what s3d needs to use it. */
    interface Remote extends AutoCloseable {
        S3Client direct();

        Map<String, String> gatewayEnv();

        /** Whether this remote implements the feature (S3Proxy has no versioning, SSE, ACL grants, ...). */
        boolean implementsEverything();
    }

    protected Remote remote;
    protected ServiceProcess s3d;
    protected S3Client direct;
    protected S3Client via;
    protected Path localDir;
    private S3dAdmin admin;
    private final List<String> buckets = new ArrayList<>();

    /** Starts the remote, or skips the suite (loudly) when it is not installed here. */
    abstract Remote startRemote() throws Exception;

    /** Whether s3d runs with the write queue and the read cache on. */
    abstract boolean queueAndCache();

    @BeforeAll
    void start() throws Exception {
        remote = startRemote();
        direct = remote.direct();
        localDir = Files.createTempDirectory(Path.of("target"), "contract-").toAbsolutePath();
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        if (queueAndCache()) {
            env.put("S3D_WRITE_QUEUE", "true");
            env.put("S3D_READ_CACHE", "true");
        }
        s3d = ServiceProcess.start(localDir, env);
        admin = new S3dAdmin(s3d.endpoint());
        via = S3Client.builder().endpointOverride(URI.create(s3d.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true)
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        if (via != null) {
            via.close();
        }
        if (s3d != null) {
            s3d.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    /** A fresh pair of twin buckets on the remote: [straight, through s3d]. */
    private String[] twins(String name) {
        String suffix = Integer.toHexString(Objects.hash(name, System.nanoTime()) & 0xfffff);
        String[] pair = { name + "-d-" + suffix, name + "-v-" + suffix };
        for (String bucket : pair) {
            direct.createBucket(b -> b.bucket(bucket));
            buckets.add(bucket);
        }
        return pair;
    }

    /** What a call answered: its value, or the error's status and code. */
    record Outcome(Object value, int status, String code) {
        static Outcome of(Function<String, ?> call, String bucket) {
            try {
                return new Outcome(call.apply(bucket), 200, null);
            } catch (S3Exception e) {
                return new Outcome(null, e.statusCode(), e.awsErrorDetails() == null ? null
                        : e.awsErrorDetails().errorCode());
            } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
                // An answer the SDK cannot read (moto has a few): the same through s3d, byte for byte.
                return new Outcome(null, -1, "unreadable: " + (e.getCause() == null ? e.getClass().getSimpleName()
                        : e.getCause().getClass().getSimpleName()));
            }
        }
    }

    /**
     * Runs {@code call} straight on the first twin and through s3d on the second (the same client
     * code: {@code client} is the one to use) and asserts the outcomes are equal. Returns the one through s3d.
     */
    private Outcome same(String[] twins, String what, java.util.function.BiFunction<S3Client, String, ?> call) {
        Outcome straight = Outcome.of(bucket -> call.apply(direct, bucket), twins[0]);
        Outcome through = Outcome.of(bucket -> call.apply(via, bucket), twins[1]);
        if (queueAndCache()) {
            // What the write queue acknowledged is on the remote before anyone looks there.
            admin.flushed(twins[1], java.time.Duration.ofSeconds(30));
        }
        assertThat(through).as(what + " through s3d (straight: " + straight + ")").isEqualTo(straight);
        return through;
    }

    // --- the generic forwarding path: sub-resources s3d does not serve itself ---

    @Test
    void bucketConfigurationsAreTheRemotes() {
        String[] twins = twins("config");
        same(twins, "GetBucketPolicy without a policy", (c, b) -> c.getBucketPolicy(r -> r.bucket(b)).policy());
        same(twins, "PutBucketCors", (c, b) -> c.putBucketCors(r -> r.bucket(b).corsConfiguration(
                cors -> cors.corsRules(rule -> rule.allowedMethods("GET").allowedOrigins("https://example.com"))))
                .sdkHttpResponse().statusCode());
        same(twins, "GetBucketCors", (c, b) -> c.getBucketCors(r -> r.bucket(b)).corsRules().toString());
        same(twins, "PutBucketLifecycleConfiguration", (c, b) -> c.putBucketLifecycleConfiguration(r -> r.bucket(b)
                .lifecycleConfiguration(l -> l.rules(rule -> rule.id("expire").status("Enabled")
                        .filter(f -> f.prefix("tmp/")).expiration(e -> e.days(1))))).sdkHttpResponse().statusCode());
        same(twins, "GetBucketLifecycleConfiguration",
                (c, b) -> c.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules().size());
        same(twins, "GetBucketEncryption", (c, b) -> c.getBucketEncryption(r -> r.bucket(b))
                .serverSideEncryptionConfiguration().rules().size());
        same(twins, "GetBucketAcl", (c, b) -> c.getBucketAcl(r -> r.bucket(b)).grants().size());
        same(twins, "PutBucketAcl", (c, b) -> c.putBucketAcl(r -> r.bucket(b).acl(BucketCannedACL.PUBLIC_READ))
                .sdkHttpResponse().statusCode());
        same(twins, "GetBucketAcl after PutBucketAcl", (c, b) -> c.getBucketAcl(r -> r.bucket(b)).grants().size());
        same(twins, "GetPublicAccessBlock",
                (c, b) -> c.getPublicAccessBlock(r -> r.bucket(b)).publicAccessBlockConfiguration().toString());
        same(twins, "GetBucketOwnershipControls",
                (c, b) -> c.getBucketOwnershipControls(r -> r.bucket(b)).ownershipControls().toString());
        same(twins, "GetObjectLockConfiguration",
                (c, b) -> c.getObjectLockConfiguration(r -> r.bucket(b)).objectLockConfiguration().toString());
        same(twins, "GetBucketWebsite", (c, b) -> c.getBucketWebsite(r -> r.bucket(b)).indexDocument());
        same(twins, "GetBucketLogging", (c, b) -> String.valueOf(c.getBucketLogging(r -> r.bucket(b)).loggingEnabled()));
        same(twins, "GetBucketNotificationConfiguration",
                (c, b) -> c.getBucketNotificationConfiguration(r -> r.bucket(b)).toString());
        same(twins, "GetBucketAccelerateConfiguration",
                (c, b) -> String.valueOf(c.getBucketAccelerateConfiguration(r -> r.bucket(b)).status()));
        same(twins, "GetBucketRequestPayment",
                (c, b) -> String.valueOf(c.getBucketRequestPayment(r -> r.bucket(b)).payer()));
        same(twins, "GetBucketReplication", (c, b) -> c.getBucketReplication(r -> r.bucket(b)).toString());
    }

    @Test
    void versionsAreTheRemotes() {
        String[] twins = twins("versions");
        same(twins, "PutBucketVersioning", (c, b) -> c.putBucketVersioning(r -> r.bucket(b)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED))).sdkHttpResponse().statusCode());
        same(twins, "GetBucketVersioning", (c, b) -> String.valueOf(c.getBucketVersioning(r -> r.bucket(b)).status()));
        same(twins, "PutObject in a versioned bucket returns a version id",
                (c, b) -> c.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("one")).versionId() != null);
        same(twins, "a second version",
                (c, b) -> c.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("two")).versionId() != null);
        Outcome versions = same(twins, "ListObjectVersions",
                (c, b) -> c.listObjectVersions(r -> r.bucket(b)).versions().size());
        same(twins, "GetObject of the first version by id", (c, b) -> {
            String first = c.listObjectVersions(r -> r.bucket(b)).versions().stream()
                    .filter(v -> !Boolean.TRUE.equals(v.isLatest())).findFirst().orElseThrow().versionId();
            return c.getObjectAsBytes(r -> r.bucket(b).key("k").versionId(first)).asUtf8String();
        });
        same(twins, "DeleteObject answers with a delete marker",
                (c, b) -> c.deleteObject(r -> r.bucket(b).key("k")).deleteMarker());
        same(twins, "the current version is gone",
                (c, b) -> c.getObjectAsBytes(r -> r.bucket(b).key("k")).asUtf8String());
        if (remote.implementsEverything()) {
            assertThat(versions.value()).isEqualTo(2);
        }
    }

    @Test
    void objectSubResourcesAreTheRemotes() {
        String[] twins = twins("objsub");
        for (String bucket : twins) {
            direct.putObject(r -> r.bucket(bucket).key("k"), RequestBody.fromString("content"));
        }
        same(twins, "GetObjectAcl", (c, b) -> c.getObjectAcl(r -> r.bucket(b).key("k")).grants().size());
        same(twins, "PutObjectAcl", (c, b) -> c.putObjectAcl(r -> r.bucket(b).key("k")
                .acl(ObjectCannedACL.PUBLIC_READ)).sdkHttpResponse().statusCode());
        same(twins, "GetObjectAttributes", (c, b) -> {
            var a = c.getObjectAttributes(r -> r.bucket(b).key("k").objectAttributes(ObjectAttributes.OBJECT_SIZE,
                    ObjectAttributes.E_TAG));
            return a.objectSize() + " " + a.eTag();
        });
        same(twins, "GetObjectRetention", (c, b) -> c.getObjectRetention(r -> r.bucket(b).key("k")).toString());
        same(twins, "GetObjectLegalHold", (c, b) -> c.getObjectLegalHold(r -> r.bucket(b).key("k")).toString());
    }

    // --- semantic headers: never dropped ---

    @Test
    void serverSideEncryptionHeadersReachTheRemoteAndComeBack() {
        String[] twins = twins("sse");
        same(twins, "PutObject with SSE-S3", (c, b) -> String.valueOf(c.putObject(r -> r.bucket(b).key("k")
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromString("secret"))
                .serverSideEncryption()));
        same(twins, "stored with SSE-S3 (HEAD straight at the remote)",
                (c, b) -> String.valueOf(direct.headObject(r -> r.bucket(b).key("k")).serverSideEncryption()));
        same(twins, "HEAD says so", (c, b) -> String.valueOf(c.headObject(r -> r.bucket(b).key("k"))
                .serverSideEncryption()));
        same(twins, "GET says so", (c, b) -> {
            ResponseBytes<GetObjectResponse> got = c.getObjectAsBytes(r -> r.bucket(b).key("k"));
            return got.asUtf8String() + " " + got.response().serverSideEncryption();
        });
    }

    @Test
    void customerKeyEncryptionRoundTripsAndStaysEncryptedOnTheRemote() throws Exception {
        String[] twins = twins("ssec");
        byte[] key = new byte[32];
        new java.util.Random(7).nextBytes(key);
        String keyB64 = java.util.Base64.getEncoder().encodeToString(key);
        String md5 = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("MD5").digest(key));
        String secret = "sse-c plaintext marker " + System.nanoTime();
        same(twins, "PutObject with SSE-C", (c, b) -> c.putObject(r -> r.bucket(b).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64).sseCustomerKeyMD5(md5),
                RequestBody.fromString(secret)).sseCustomerAlgorithm());
        same(twins, "GET straight at the remote without the key fails",
                (c, b) -> direct.getObjectAsBytes(r -> r.bucket(b).key("k")).asUtf8String());
        same(twins, "GET with the key", (c, b) -> c.getObjectAsBytes(r -> r.bucket(b).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64).sseCustomerKeyMD5(md5)).asUtf8String());
        same(twins, "GET again with the key (a cache must not answer it from a clear copy)",
                (c, b) -> c.getObjectAsBytes(r -> r.bucket(b).key("k").sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(keyB64).sseCustomerKeyMD5(md5)).asUtf8String());
        same(twins, "HEAD with the key", (c, b) -> c.headObject(r -> r.bucket(b).key("k")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64).sseCustomerKeyMD5(md5)).sseCustomerKeyMD5());
        try (Stream<Path> files = Files.walk(localDir)) {
            List<Path> clear = files.filter(Files::isRegularFile).filter(f -> contains(f, secret)).toList();
            assertThat(clear).as("s3d's files holding the SSE-C object in the clear").isEmpty();
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void checksumsReachTheRemoteAndComeBack() {
        String[] twins = twins("checksums");
        // S3Proxy keeps a checksum sent in a header but not one sent in a trailer (the SDK's way); the
        // write queue pushes it in a header, so through s3d it keeps more than straight: nothing to compare.
        org.junit.jupiter.api.Assumptions.assumeTrue(remote.implementsEverything() || !queueAndCache(),
                "S3Proxy drops trailing checksums, which the write queue pushes as headers");
        same(twins, "PutObject with a CRC32C", (c, b) -> c.putObject(r -> r.bucket(b).key("k")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C), RequestBody.fromString("checked")).checksumCRC32C());
        same(twins, "stored with its CRC32C (HEAD straight at the remote)", (c, b) -> direct.headObject(
                r -> r.bucket(b).key("k").checksumMode(ChecksumMode.ENABLED)).checksumCRC32C());
        same(twins, "HEAD with checksum mode", (c, b) -> c.headObject(r -> r.bucket(b).key("k")
                .checksumMode(ChecksumMode.ENABLED)).checksumCRC32C());
        same(twins, "GET with checksum mode", (c, b) -> c.getObjectAsBytes(r -> r.bucket(b).key("k")
                .checksumMode(ChecksumMode.ENABLED)).response().checksumCRC32C());
    }

    @Test
    void writeHeadersS3dDoesNotStoreReachTheRemote() {
        String[] twins = twins("headers");
        same(twins, "PutObject with storage class, ACL, website redirect and expected owner",
                (c, b) -> c.putObject(r -> r.bucket(b).key("k").storageClass("STANDARD_IA")
                        .acl(ObjectCannedACL.PUBLIC_READ).websiteRedirectLocation("/elsewhere"),
                        RequestBody.fromString("x")).sdkHttpResponse().statusCode());
        same(twins, "HEAD straight at the remote", (c, b) -> {
            var head = direct.headObject(r -> r.bucket(b).key("k"));
            return head.storageClassAsString() + " " + head.websiteRedirectLocation();
        });
        same(twins, "the ACL straight at the remote",
                (c, b) -> direct.getObjectAcl(r -> r.bucket(b).key("k")).grants().size());
        same(twins, "a conditional create of an existing key",
                (c, b) -> c.putObject(r -> r.bucket(b).key("k").ifNoneMatch("*"), RequestBody.fromString("y"))
                        .sdkHttpResponse().statusCode());
    }

    // --- the read cache's pins, which need a remote with object tagging (moto; MinioGatewayIT does it on MinIO) ---

    @Test
    void objectTagsPinObjectsInTheReadCache() {
        org.junit.jupiter.api.Assumptions.assumeTrue(queueAndCache() && remote.implementsEverything(),
                "pins need the read cache and a remote with object tagging");
        String bucket = twins("pin")[1];
        direct.putObject(r -> r.bucket(bucket).key("tagged.bin").tagging("s3d.cache=pin"),
                RequestBody.fromString("pinned by its tag"));
        assertThat(via.getObjectAsBytes(r -> r.bucket(bucket).key("tagged.bin")).asUtf8String())
                .isEqualTo("pinned by its tag");
        assertThat(admin.objectStatus(bucket, "tagged.bin").getString("state")).isEqualTo("pinned");

        direct.putObject(r -> r.bucket(bucket).key("later.bin"), RequestBody.fromString("pinned by tagging it"));
        via.putObjectTagging(r -> r.bucket(bucket).key("later.bin").tagging(t -> t.tagSet(
                software.amazon.awssdk.services.s3.model.Tag.builder().key("s3d.cache").value("pin").build())));
        admin.flushed(bucket, java.time.Duration.ofSeconds(30));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                admin.objectStatus(bucket, "later.bin").getString("state")).isEqualTo("pinned"));
    }

    // --- errors are the remote's ---

    @Test
    void theRemotesErrorsComeBackAsTheRemoteSaidThem() {
        String[] twins = twins("errors");
        same(twins, "GetObject of a missing key", (c, b) -> c.getObjectAsBytes(r -> r.bucket(b).key("nope")));
        same(twins, "GetObjectTagging of a missing version",
                (c, b) -> c.getObjectTagging(r -> r.bucket(b).key("nope").versionId("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")));
        same(twins, "DeleteBucketPolicy", (c, b) -> c.deleteBucketPolicy(r -> r.bucket(b)).sdkHttpResponse()
                .statusCode());
    }
}
