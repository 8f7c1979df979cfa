package io.s3d.e2e;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * Gateway mode in front of MinIO, a second real S3 implementation next to S3Proxy (see
 * {@link GatewayPassThroughIT} and {@link WriteQueueIT}). MinIO has object tagging, which S3Proxy's
 * file store lacks, so tags are checked end to end here. Two packaged s3d processes talk to one
 * MinIO container: one passes every request through, the other queues writes and pushes them in
 * the background. What arrived is always checked with a client talking to MinIO directly.
 * Needs Docker; skipped without it.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioGatewayIT {
    private static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";
    private static final String ROOT_USER = "minio-root-user";
    private static final String ROOT_PASSWORD = "minio-root-password";
    private static final int MIB = 1024 * 1024;
    private static final Duration FLUSH = Duration.ofSeconds(120);

    @Container
    static final GenericContainer<?> MINIO = new GenericContainer<>(DockerImageName.parse(MINIO_IMAGE))
            .withCommand("server", "/data")
            .withEnv("MINIO_ROOT_USER", ROOT_USER)
            .withEnv("MINIO_ROOT_PASSWORD", ROOT_PASSWORD)
            .withExposedPorts(9000)
            .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000).forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(2)));

    @TempDir
    static Path tempDir;

    /** s3d passing everything through to MinIO. */
    private static ServiceProcess passThrough;
    /** s3d with the write queue in front of the same MinIO. */
    private static ServiceProcess queued;
    /** s3d with a small read cache (two objects) in front of the same MinIO. */
    private static ServiceProcess cached;
    private static S3Client client;
    private static S3Client queuedClient;
    private static S3Client direct;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        direct = S3Client.builder().endpointOverride(minioEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_USER,
                        ROOT_PASSWORD)))
                .httpClient(ApacheHttpClient.create()).forcePathStyle(true).build();
        passThrough = ServiceProcess.start(Files.createDirectories(tempDir.resolve("pass-through")), gatewayEnv());
        Map<String, String> queueEnv = gatewayEnv();
        queueEnv.put("S3D_WRITE_QUEUE", "true");
        queueEnv.put("S3D_WRITE_QUEUE_RETRY_INITIAL_DELAY", "200ms");
        queueEnv.put("S3D_WRITE_QUEUE_RETRY_MAX_DELAY", "2s");
        // Low enough that one object of the test is pushed to MinIO by multipart upload.
        queueEnv.put("S3D_REMOTE_MULTIPART_THRESHOLD", "8M");
        queueEnv.put("S3D_REMOTE_PART_SIZE", "5M");
        queued = ServiceProcess.start(Files.createDirectories(tempDir.resolve("write-queue")), queueEnv);
        Map<String, String> cacheEnv = gatewayEnv();
        cacheEnv.put("S3D_READ_CACHE", "true");
        cacheEnv.put("S3D_READ_CACHE_BLOCK_SIZE", "1M");
        cacheEnv.put("S3D_READ_CACHE_MAX_FILES", "2");
        cached = ServiceProcess.start(Files.createDirectories(tempDir.resolve("read-cache")), cacheEnv);
        client = s3dClient(passThrough);
        queuedClient = s3dClient(queued);
    }

    @AfterAll
    static void stop() throws Exception {
        for (S3Client c : new S3Client[] {client, queuedClient, direct}) {
            if (c != null) {
                c.close();
            }
        }
        for (ServiceProcess p : new ServiceProcess[] {passThrough, queued, cached}) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static URI minioEndpoint() {
        return URI.create("http://" + MINIO.getHost() + ":" + MINIO.getMappedPort(9000));
    }

    private static Map<String, String> gatewayEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("S3_ENDPOINT", minioEndpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", ROOT_USER);
        env.put("AWS_SECRET_ACCESS_KEY", ROOT_PASSWORD);
        env.put("AWS_REGION", "us-east-1");
        env.put("S3D_REMOTE_CONNECT_TIMEOUT", "5s");
        env.put("S3D_REMOTE_READ_TIMEOUT", "30s");
        return env;
    }

    /** An anonymous client of s3d: the test s3d has no client credentials and accepts any request on loopback. */
    private static S3Client s3dClient(ServiceProcess s3d) {
        return S3Client.builder().endpointOverride(URI.create(s3d.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true)
                .httpClient(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    // ---- pass-through ----

    @Test
    void bucketsAreMiniosBuckets() {
        client.createBucket(b -> b.bucket("mg-buckets"));
        assertThat(direct.listBuckets().buckets()).anyMatch(b -> b.name().equals("mg-buckets"));
        direct.createBucket(b -> b.bucket("mg-made-on-minio"));
        assertThat(client.listBuckets().buckets()).extracting(software.amazon.awssdk.services.s3.model.Bucket::name)
                .contains("mg-buckets", "mg-made-on-minio");
        client.headBucket(b -> b.bucket("mg-made-on-minio"));
        client.deleteBucket(b -> b.bucket("mg-made-on-minio"));
        assertThat(direct.listBuckets().buckets()).noneMatch(b -> b.name().equals("mg-made-on-minio"));
    }

    @Test
    void objectsGoToMinioWithTheirMetadata() {
        client.createBucket(b -> b.bucket("mg-objects"));
        byte[] body = random(3 * MIB + 17, 1);
        String key = "dir/a b+c.bin";
        var put = client.putObject(b -> b.bucket("mg-objects").key(key).contentType("application/x-test")
                .cacheControl("max-age=60").metadata(Map.of("owner", "edge-7")), RequestBody.fromBytes(body));
        ResponseBytes<GetObjectResponse> onMinio = direct.getObjectAsBytes(b -> b.bucket("mg-objects").key(key));
        assertThat(onMinio.asByteArray()).isEqualTo(body);
        assertThat(onMinio.response().contentType()).isEqualTo("application/x-test");
        assertThat(onMinio.response().cacheControl()).isEqualTo("max-age=60");
        assertThat(onMinio.response().metadata()).containsEntry("owner", "edge-7");
        assertThat(onMinio.response().eTag()).isEqualTo(put.eTag());

        ResponseBytes<GetObjectResponse> through = client.getObjectAsBytes(b -> b.bucket("mg-objects").key(key));
        assertThat(through.asByteArray()).isEqualTo(body);
        assertThat(through.response().metadata()).containsEntry("owner", "edge-7");
        var head = client.headObject(b -> b.bucket("mg-objects").key(key));
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.contentType()).isEqualTo("application/x-test");

        var range = client.getObjectAsBytes(b -> b.bucket("mg-objects").key(key).range("bytes=1000-1999"));
        assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(body, 1000, 2000));
        assertThat(range.response().contentRange()).isEqualTo("bytes 1000-1999/" + body.length);

        client.deleteObject(b -> b.bucket("mg-objects").key(key));
        assertThat(status(() -> direct.headObject(b -> b.bucket("mg-objects").key(key)))).isEqualTo(404);
    }

    @Test
    void objectTagsAreMiniosTags() {
        client.createBucket(b -> b.bucket("mg-tags"));
        client.putObject(b -> b.bucket("mg-tags").key("tagged.txt").tagging("team=ops&tier=gold"),
                RequestBody.fromString("tagged"));
        assertThat(tags(direct, "mg-tags", "tagged.txt")).isEqualTo(Map.of("team", "ops", "tier", "gold"));
        assertThat(tags(client, "mg-tags", "tagged.txt")).isEqualTo(Map.of("team", "ops", "tier", "gold"));

        client.putObjectTagging(b -> b.bucket("mg-tags").key("tagged.txt")
                .tagging(t -> t.tagSet(Tag.builder().key("state").value("done").build())));
        assertThat(tags(direct, "mg-tags", "tagged.txt")).isEqualTo(Map.of("state", "done"));
        assertThat(tags(client, "mg-tags", "tagged.txt")).isEqualTo(Map.of("state", "done"));

        direct.putObjectTagging(b -> b.bucket("mg-tags").key("tagged.txt")
                .tagging(t -> t.tagSet(Tag.builder().key("set").value("on-minio").build())));
        assertThat(tags(client, "mg-tags", "tagged.txt")).isEqualTo(Map.of("set", "on-minio"));

        client.deleteObjectTagging(b -> b.bucket("mg-tags").key("tagged.txt"));
        assertThat(tags(direct, "mg-tags", "tagged.txt")).isEmpty();
        assertThat(direct.getObjectAsBytes(b -> b.bucket("mg-tags").key("tagged.txt")).asUtf8String())
                .isEqualTo("tagged");
    }

    @Test
    void listingsPageThroughMiniosKeys() {
        client.createBucket(b -> b.bucket("mg-list"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add("flat-" + String.format("%02d", i));
        }
        for (String dir : List.of("d1/", "d2/", "d3/")) {
            for (int i = 0; i < 4; i++) {
                keys.add(dir + "f" + i);
            }
        }
        for (String key : keys) {
            direct.putObject(b -> b.bucket("mg-list").key(key), RequestBody.fromString(key));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket("mg-list").maxKeys(7).continuationToken(t));
            page.contents().forEach(o -> seen.add(o.key()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(keys.stream().sorted().toList());

        List<String> entries = new ArrayList<>();
        token = null;
        do {
            String t = token;
            ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket("mg-list").delimiter("/").maxKeys(2)
                    .continuationToken(t));
            page.commonPrefixes().forEach(p -> entries.add(p.prefix()));
            page.contents().forEach(o -> entries.add(o.key()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(entries).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(keys.stream().filter(k -> k.startsWith("flat")),
                        java.util.stream.Stream.of("d1/", "d2/", "d3/")).toList());
        var v1 = client.listObjects(b -> b.bucket("mg-list").prefix("d2/"));
        assertThat(v1.contents()).extracting(S3Object::key).containsExactly("d2/f0", "d2/f1", "d2/f2", "d2/f3");
    }

    @Test
    void multipartUploadsAndCopiesHappenOnMinio() {
        client.createBucket(b -> b.bucket("mg-multipart"));
        byte[] part1 = random(5 * MIB, 2);
        byte[] part2 = random(1234, 3);
        String uploadId = client.createMultipartUpload(b -> b.bucket("mg-multipart").key("big")
                .contentType("video/mp4").metadata(Map.of("origin", "multipart")).tagging("kind=big"))
                .uploadId();
        // MinIO lists the uploads of one key (the prefix), not of a whole bucket.
        assertThat(client.listMultipartUploads(b -> b.bucket("mg-multipart").prefix("big")).uploads())
                .anyMatch(u -> u.uploadId().equals(uploadId));
        String e1 = client.uploadPart(b -> b.bucket("mg-multipart").key("big").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = client.uploadPart(b -> b.bucket("mg-multipart").key("big").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        assertThat(client.listParts(b -> b.bucket("mg-multipart").key("big").uploadId(uploadId)).parts()).hasSize(2);
        var done = client.completeMultipartUpload(b -> b.bucket("mg-multipart").key("big").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = concat(part1, part2);
        var big = direct.getObjectAsBytes(b -> b.bucket("mg-multipart").key("big"));
        assertThat(big.asByteArray()).isEqualTo(whole);
        assertThat(big.response().eTag()).isEqualTo(done.eTag());
        assertThat(big.response().contentType()).isEqualTo("video/mp4");
        assertThat(big.response().metadata()).containsEntry("origin", "multipart");
        assertThat(tags(direct, "mg-multipart", "big")).isEqualTo(Map.of("kind", "big"));

        // A copy keeps the source's tags unless told otherwise, and replaces its metadata when told to.
        client.copyObject(b -> b.sourceBucket("mg-multipart").sourceKey("big").destinationBucket("mg-multipart")
                .destinationKey("copy").metadataDirective(MetadataDirective.REPLACE).contentType("text/plain")
                .metadata(Map.of("copied", "yes")));
        var copy = direct.getObjectAsBytes(b -> b.bucket("mg-multipart").key("copy"));
        assertThat(copy.asByteArray()).isEqualTo(whole);
        assertThat(copy.response().contentType()).isEqualTo("text/plain");
        assertThat(copy.response().metadata()).containsEntry("copied", "yes").doesNotContainKey("origin");
        assertThat(tags(direct, "mg-multipart", "copy")).isEqualTo(Map.of("kind", "big"));

        client.copyObject(b -> b.sourceBucket("mg-multipart").sourceKey("big").destinationBucket("mg-multipart")
                .destinationKey("retagged").taggingDirective(TaggingDirective.REPLACE).tagging("kind=copy"));
        assertThat(tags(direct, "mg-multipart", "retagged")).isEqualTo(Map.of("kind", "copy"));
        assertThat(direct.headObject(b -> b.bucket("mg-multipart").key("retagged")).contentLength())
                .isEqualTo(whole.length);

        String abortId = client.createMultipartUpload(b -> b.bucket("mg-multipart").key("aborted")).uploadId();
        client.abortMultipartUpload(b -> b.bucket("mg-multipart").key("aborted").uploadId(abortId));
        assertThat(direct.listMultipartUploads(b -> b.bucket("mg-multipart").prefix("aborted")).uploads())
                .noneMatch(u -> u.uploadId().equals(abortId));
    }

    @Test
    void miniosErrorsComeBackAsMinioSaidThem() {
        assertThat(code(() -> client.getObject(b -> b.bucket("mg-missing-bucket").key("k"))))
                .isEqualTo("404 NoSuchBucket");
        assertThat(code(() -> client.listObjectsV2(b -> b.bucket("mg-missing-bucket"))))
                .isEqualTo("404 NoSuchBucket");
        client.createBucket(b -> b.bucket("mg-errors"));
        assertThat(code(() -> client.getObject(b -> b.bucket("mg-errors").key("nope")))).isEqualTo("404 NoSuchKey");
        assertThat(code(() -> client.getObjectTagging(b -> b.bucket("mg-errors").key("nope"))))
                .isEqualTo("404 NoSuchKey");
        assertThat(status(() -> client.headObject(b -> b.bucket("mg-errors").key("nope")))).isEqualTo(404);
        client.putObject(b -> b.bucket("mg-errors").key("k"), RequestBody.fromString("v"));
        // The rest as MinIO itself answers them, whatever its wording.
        assertThat(code(() -> client.deleteBucket(b -> b.bucket("mg-errors"))))
                .isEqualTo(code(() -> direct.deleteBucket(b -> b.bucket("mg-errors")))).startsWith("409 ");
        assertThat(code(() -> client.getObject(b -> b.bucket("mg-errors").key("k").ifMatch("\"0000\""))))
                .isEqualTo(code(() -> direct.getObject(b -> b.bucket("mg-errors").key("k").ifMatch("\"0000\""))))
                .startsWith("412 ");
        assertThat(code(() -> client.getObject(b -> b.bucket("mg-errors").key("k").range("bytes=10-20"))))
                .isEqualTo(code(() -> direct.getObject(b -> b.bucket("mg-errors").key("k").range("bytes=10-20"))))
                .startsWith("416 ");
        assertThat(code(() -> client.createBucket(b -> b.bucket("mg-errors")))).startsWith("409 Bucket");
    }

    @Test
    void aBodyThatFailsItsChecksumNeverReachesMinio() {
        client.createBucket(b -> b.bucket("mg-digest"));
        client.putObject(b -> b.bucket("mg-digest").key("k"), RequestBody.fromString("old"));
        String wrongMd5 = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertThat(code(() -> client.putObject(b -> b.bucket("mg-digest").key("k").contentMD5(wrongMd5),
                RequestBody.fromString("new")))).isEqualTo("400 BadDigest");
        assertThat(direct.getObjectAsBytes(b -> b.bucket("mg-digest").key("k")).asUtf8String()).isEqualTo("old");
    }

    // ---- write queue ----

    @Test
    void queuedWritesReachMinioWithTheirMetadataAndTags() throws Exception {
        String bucket = "mg-queue";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("on-minio/gone.txt"), RequestBody.fromString("to be deleted"));
        direct.putObject(b -> b.bucket(bucket).key("on-minio/retag.txt").tagging("old=tag"),
                RequestBody.fromString("to be retagged"));

        byte[] small = random(200 * 1024 + 3, 10);
        byte[] large = random(11 * MIB + 5, 11); // over the 8M threshold: pushed by multipart upload
        var putSmall = queuedClient.putObject(b -> b.bucket(bucket).key("docs/report.bin")
                .contentType("application/x-report").cacheControl("no-cache").contentDisposition("inline")
                .metadata(Map.of("author", "ada", "rev", "7")).tagging("team=ops&tier=gold"),
                RequestBody.fromBytes(small));
        assertThat(putSmall.eTag()).isEqualTo(quotedMd5(small));
        queuedClient.putObject(b -> b.bucket(bucket).key("media/film.bin").contentType("video/mp4")
                .metadata(Map.of("camera", "b")).tagging("kind=raw"), RequestBody.fromBytes(large));
        queuedClient.putObject(b -> b.bucket(bucket).key("empty"), RequestBody.empty());
        queuedClient.putObjectTagging(b -> b.bucket(bucket).key("on-minio/retag.txt")
                .tagging(t -> t.tagSet(Tag.builder().key("new").value("tag").build())));
        queuedClient.deleteObject(b -> b.bucket(bucket).key("on-minio/gone.txt"));

        // Reads through s3d see the writes at once, pushed or not.
        assertThat(queuedClient.getObjectAsBytes(b -> b.bucket(bucket).key("docs/report.bin")).asByteArray())
                .isEqualTo(small);
        assertThat(tags(queuedClient, bucket, "docs/report.bin")).isEqualTo(Map.of("team", "ops", "tier", "gold"));
        assertThat(code(() -> queuedClient.getObject(b -> b.bucket(bucket).key("on-minio/gone.txt"))))
                .isEqualTo("404 NoSuchKey");

        flush(bucket);

        var report = direct.getObjectAsBytes(b -> b.bucket(bucket).key("docs/report.bin"));
        assertThat(report.asByteArray()).isEqualTo(small);
        assertThat(report.response().eTag()).isEqualTo(putSmall.eTag());
        assertThat(report.response().contentType()).isEqualTo("application/x-report");
        assertThat(report.response().cacheControl()).isEqualTo("no-cache");
        assertThat(report.response().contentDisposition()).isEqualTo("inline");
        assertThat(report.response().metadata()).containsExactlyInAnyOrderEntriesOf(
                Map.of("author", "ada", "rev", "7"));
        assertThat(tags(direct, bucket, "docs/report.bin")).isEqualTo(Map.of("team", "ops", "tier", "gold"));

        var film = direct.getObjectAsBytes(b -> b.bucket(bucket).key("media/film.bin"));
        assertThat(film.asByteArray()).isEqualTo(large);
        assertThat(film.response().contentType()).isEqualTo("video/mp4");
        assertThat(film.response().metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("camera", "b"));
        assertThat(tags(direct, bucket, "media/film.bin")).isEqualTo(Map.of("kind", "raw"));

        assertThat(direct.headObject(b -> b.bucket(bucket).key("empty")).contentLength()).isZero();
        assertThat(tags(direct, bucket, "on-minio/retag.txt")).isEqualTo(Map.of("new", "tag"));
        assertThat(direct.getObjectAsBytes(b -> b.bucket(bucket).key("on-minio/retag.txt")).asUtf8String())
                .isEqualTo("to be retagged");
        assertThat(status(() -> direct.headObject(b -> b.bucket(bucket).key("on-minio/gone.txt")))).isEqualTo(404);

        // A later delete through s3d reaches MinIO at the next flush, and listings agree on both sides.
        queuedClient.deleteObject(b -> b.bucket(bucket).key("docs/report.bin"));
        flush(bucket);
        assertThat(status(() -> direct.headObject(b -> b.bucket(bucket).key("docs/report.bin")))).isEqualTo(404);
        List<String> expected = List.of("empty", "media/film.bin", "on-minio/retag.txt");
        assertThat(direct.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactlyElementsOf(expected);
        assertThat(queuedClient.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactlyElementsOf(expected);
        HttpResponse<String> queue = HTTP.send(HttpRequest.newBuilder(URI.create(queued.endpoint()
                + "/_s3d/queue?bucket=" + enc(bucket))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(queue.statusCode()).isEqualTo(200);
        assertThat(JsonPath.from(queue.body()).getList("items")).as(queue.body()).isEmpty();
    }

    /** {@code POST /_s3d/queue/flush?bucket=...}: returns once all queued for the bucket is on MinIO. */
    private static void flush(String bucket) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(queued.endpoint()
                + "/_s3d/queue/flush?bucket=" + enc(bucket) + "&timeout=" + FLUSH.toSeconds() + "s"))
                .timeout(FLUSH.plusSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("flush of %s: %s", bucket, answer.body()).isEqualTo(200);
        JsonPath json = JsonPath.from(answer.body());
        assertThat(json.getBoolean("flushed")).as(answer.body()).isTrue();
        assertThat(json.getLong("remaining")).as(answer.body()).isZero();
    }

    // ---- helpers ----

    private static Map<String, String> tags(S3Client s3, String bucket, String key) {
        return s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode();
        }
        return "no error";
    }

    /** The HTTP status of a failed call (for HEAD, whose error has no body and so no code). */
    private static int status(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.statusCode();
        }
        return 200;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String quotedMd5(byte[] data) throws java.security.NoSuchAlgorithmException {
        return "\"" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data))
                + "\"";
    }

    // ---- read cache: pins by tags (S3Proxy, the other tests' remote, has no tagging) ----

    @Test
    void objectAndBucketTagsPinObjectsInTheReadCache() throws Exception {
        String bucket = "mg-pin";
        direct.createBucket(b -> b.bucket(bucket));
        direct.putObject(b -> b.bucket(bucket).key("tagged.bin").tagging("s3d.cache=pin"),
                RequestBody.fromBytes(random(2 * MIB, 1)));
        for (String key : List.of("a", "b", "c", "d", "hot/x")) {
            direct.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(random(MIB, key.hashCode())));
        }
        S3dAdmin admin = new S3dAdmin(cached.endpoint());
        try (S3Client s3 = s3dClient(cached)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("tagged.bin")).asByteArray())
                    .isEqualTo(random(2 * MIB, 1));
            for (String key : List.of("a", "b", "c", "d")) {
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            }
            // Four reads through a two-object cache: the object tagged s3d.cache=pin stayed.
            assertThat(admin.objectStatus(bucket, "tagged.bin").getString("state")).isEqualTo("pinned");
            assertThat(admin.status().getLong("readCache.entries")).isEqualTo(3);

            // A bucket tag pins a prefix: its objects are fetched ahead, unread.
            s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(
                    Tag.builder().key("s3d.cache").value("pin:hot/").build())));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    admin.objectStatus(bucket, "hot/x").getString("state")).isEqualTo("pinned"));

            // Tagging an object through s3d pins it (and fetches it) at once.
            s3.putObjectTagging(b -> b.bucket(bucket).key("a").tagging(t -> t.tagSet(
                    Tag.builder().key("s3d.cache").value("pin").build())));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    admin.objectStatus(bucket, "a").getString("state")).isEqualTo("pinned"));
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
