package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/** Every foundation operation through the AWS SDK for Java v2, with its default checksums on. */
@QuarkusTest
class S3ClientTest {
    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "b-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        emptyAndDelete(bucket);
        s3.close();
    }

    private void emptyAndDelete(String name) {
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(name))) {
                for (S3Object object : page.contents()) {
                    s3.deleteObject(b -> b.bucket(name).key(object.key()));
                }
            }
            s3.deleteBucket(b -> b.bucket(name));
        } catch (NoSuchBucketException ignored) {
            // already gone
        }
    }

    private void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private String get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Test
    void bucketLifecycle() {
        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains(bucket);
        assertThat(s3.headBucket(b -> b.bucket(bucket)).sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString()).isEmpty();
        assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isNull();
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(BucketAlreadyOwnedByYouException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        put("x", "y");
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                });
        s3.deleteObject(b -> b.bucket(bucket).key("x"));
        s3.deleteBucket(b -> b.bucket(bucket));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(bucket))).isInstanceOf(NoSuchBucketException.class);
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(bucket))).isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void putGetHeadKeepStandardHeadersAndUserMetadata() {
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("doc.txt").contentType("text/plain")
                .contentEncoding("identity").contentDisposition("attachment; filename=\"doc.txt\"")
                .contentLanguage("en").cacheControl("max-age=60").expires(expires)
                .metadata(Map.of("owner", "alice", "purpose", "test")), RequestBody.fromString("hello world"));
        assertThat(put.eTag()).isEqualTo("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc.txt"));
        assertThat(got.asUtf8String()).isEqualTo("hello world");
        GetObjectResponse response = got.response();
        assertThat(response.eTag()).isEqualTo(put.eTag());
        assertThat(response.contentType()).isEqualTo("text/plain");
        assertThat(response.contentEncoding()).isEqualTo("identity");
        assertThat(response.contentDisposition()).isEqualTo("attachment; filename=\"doc.txt\"");
        assertThat(response.contentLanguage()).isEqualTo("en");
        assertThat(response.cacheControl()).isEqualTo("max-age=60");
        assertThat(response.expires()).isEqualTo(expires);
        assertThat(response.metadata()).containsEntry("owner", "alice").containsEntry("purpose", "test");
        assertThat(response.contentLength()).isEqualTo(11);
        assertThat(response.acceptRanges()).isEqualTo("bytes");

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("doc.txt"));
        assertThat(head.contentLength()).isEqualTo(11);
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.lastModified()).isBeforeOrEqualTo(Instant.now());
        assertThat(head.metadata()).containsEntry("owner", "alice");

        GetObjectResponse overridden = s3.getObject(b -> b.bucket(bucket).key("doc.txt")
                .responseContentType("application/json").responseCacheControl("no-store")).response();
        assertThat(overridden.contentType()).isEqualTo("application/json");
        assertThat(overridden.cacheControl()).isEqualTo("no-store");
    }

    @Test
    void overwriteReplacesContentAndMetadata() {
        s3.putObject(b -> b.bucket(bucket).key("k").metadata(Map.of("v", "1")), RequestBody.fromString("one"));
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("second"));
        assertThat(get("k")).isEqualTo("second");
        assertThat(s3.headObject(b -> b.bucket(bucket).key("k")).metadata()).isEmpty();
    }

    @Test
    void wrongContentMd5IsBadDigestAndKeepsTheOldObject() {
        put("k", "original");
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k").contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="),
                RequestBody.fromString("new content"))).isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
                });
        assertThat(get("k")).isEqualTo("original");
    }

    @Test
    void missingObjectsAndIdempotentDelete() {
        assertThatThrownBy(() -> get("nope")).isInstanceOfSatisfying(NoSuchKeyException.class,
                e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("nope")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        s3.deleteObject(b -> b.bucket(bucket).key("nope"));
        put("k", "v");
        s3.deleteObject(b -> b.bucket(bucket).key("k"));
        s3.deleteObject(b -> b.bucket(bucket).key("k"));
        assertThatThrownBy(() -> get("k")).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void deleteObjectsReportsEachKeyOrNothingWhenQuiet() {
        for (String key : List.of("a", "b", "c/d")) {
            put(key, key);
        }
        DeleteObjectsResponse loud = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("a").build(), ObjectIdentifier.builder().key("missing").build())));
        assertThat(loud.deleted()).extracting(DeletedObject::key).containsExactlyInAnyOrder("a", "missing");
        assertThat(loud.errors()).isEmpty();
        DeleteObjectsResponse quiet = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.quiet(true).objects(
                ObjectIdentifier.builder().key("b").build(), ObjectIdentifier.builder().key("c/d").build())));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).keyCount()).isZero();
    }

    @Test
    void paginatesThousandsOfKeysInOrder() {
        List<String> keys = IntStream.range(0, 1100).mapToObj(i -> String.format("key-%05d", i)).toList();
        keys.parallelStream().forEach(key -> put(key, key));
        List<String> listed = new ArrayList<>();
        int pages = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(1000))) {
            pages++;
            page.contents().forEach(o -> listed.add(o.key()));
        }
        assertThat(pages).isEqualTo(2);
        assertThat(listed).containsExactlyElementsOf(keys);

        List<String> v1 = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            ListObjectsResponse page = s3.listObjects(b -> b.bucket(bucket).maxKeys(300).marker(from));
            page.contents().forEach(o -> v1.add(o.key()));
            marker = page.isTruncated() ? page.contents().get(page.contents().size() - 1).key() : null;
        } while (marker != null);
        assertThat(v1).containsExactlyElementsOf(keys);

        ListObjectsV2Response afterStart = s3.listObjectsV2(b -> b.bucket(bucket).startAfter("key-01097"));
        assertThat(afterStart.contents()).extracting(S3Object::key).containsExactly("key-01098", "key-01099");
        assertThat(afterStart.keyCount()).isEqualTo(2);
    }

    @Test
    void delimiterListingsRollUpCommonPrefixes() {
        for (String key : List.of("photos/2024/jan/a.jpg", "photos/2024/feb/b.jpg", "photos/2025/c.jpg",
                "photos/top.jpg", "photos-old/d.jpg", "readme", "a-b-c", "a-b-d", "a-x")) {
            put(key, key);
        }
        ListObjectsV2Response root = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        assertThat(root.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("photos-old/", "photos/");
        assertThat(root.contents()).extracting(S3Object::key).containsExactly("a-b-c", "a-b-d", "a-x", "readme");

        ListObjectsV2Response photos = s3.listObjectsV2(b -> b.bucket(bucket).prefix("photos/").delimiter("/"));
        assertThat(photos.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("photos/2024/",
                "photos/2025/");
        assertThat(photos.contents()).extracting(S3Object::key).containsExactly("photos/top.jpg");

        ListObjectsV2Response partial = s3.listObjectsV2(b -> b.bucket(bucket).prefix("photos/20").delimiter("/"));
        assertThat(partial.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("photos/2024/",
                "photos/2025/");

        ListObjectsV2Response dashes = s3.listObjectsV2(b -> b.bucket(bucket).prefix("a").delimiter("-b-"));
        assertThat(dashes.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a-b-");
        assertThat(dashes.contents()).extracting(S3Object::key).containsExactly("a-x");

        ListObjectsV2Response paged = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/").maxKeys(2));
        assertThat(paged.isTruncated()).isTrue();
        assertThat(paged.keyCount()).isEqualTo(2);
        ListObjectsV2Response rest = s3.listObjectsV2(
                b -> b.bucket(bucket).delimiter("/").continuationToken(paged.nextContinuationToken()));
        List<String> all = new ArrayList<>();
        paged.contents().forEach(o -> all.add(o.key()));
        paged.commonPrefixes().forEach(p -> all.add(p.prefix()));
        rest.contents().forEach(o -> all.add(o.key()));
        rest.commonPrefixes().forEach(p -> all.add(p.prefix()));
        assertThat(all).containsExactlyInAnyOrder("a-b-c", "a-b-d", "a-x", "photos-old/", "photos/", "readme");

        ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(bucket).delimiter("/").prefix("photos/"));
        assertThat(v1.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("photos/2024/",
                "photos/2025/");
    }

    @Test
    void anyValidKeyWorksAndListsInUtf8ByteOrder() {
        List<String> keys = List.of("a", "a/b", "a/../b", "//double", "trailing/", "100%", "with space",
                "plus+sign", "ü/日本語/🎉", "\uFFFD-replacement", "\uD83D\uDE00-emoji", "x".repeat(1024),
                "é".repeat(300) + "/deep/" + "ß".repeat(200), "tab\there", "amp&lt;", "q?x=1#frag", ".", "..", "a/./c");
        for (String key : keys) {
            put(key, "content of " + key);
        }
        for (String key : keys) {
            assertThat(get(key)).as(key).isEqualTo("content of " + key);
        }
        List<String> listed = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(5))
                .forEach(page -> page.contents().forEach(o -> listed.add(o.key())));
        List<String> expected = keys.stream().sorted((x, y) -> java.util.Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8))).collect(Collectors.toList());
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> put("y".repeat(1025), "too long")).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError"));
    }

    @Test
    void rangeReads() {
        put("r", "0123456789");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=2-5")).asUtf8String())
                .isEqualTo("2345");
        GetObjectResponse suffix = s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=-3")).response();
        assertThat(suffix.contentRange()).isEqualTo("bytes 7-9/10");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=8-")).asUtf8String())
                .isEqualTo("89");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=5-100")).asUtf8String())
                .isEqualTo("56789");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("r").range("bytes=10-")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });
    }

    @Test
    void conditionalReadsAndWrites() {
        String etag = s3.putObject(b -> b.bucket(bucket).key("c"), RequestBody.fromString("v1")).eTag();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch(etag)).asUtf8String()).isEqualTo("v1");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifNoneMatch(etag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").ifMatch("\"other\"")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(412);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
                });
        Instant future = Instant.now().plusSeconds(3600);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("c").ifModifiedSince(future)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.headObject(
                b -> b.bucket(bucket).key("c").ifUnmodifiedSince(Instant.now().minusSeconds(3600))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("c").ifNoneMatch("*"),
                RequestBody.fromString("v2"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.putObject(b -> b.bucket(bucket).key("fresh").ifNoneMatch("*"), RequestBody.fromString("new"));
        s3.putObject(b -> b.bucket(bucket).key("c").ifMatch(etag), RequestBody.fromString("v2"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("c").ifMatch(etag),
                RequestBody.fromString("v3"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(get("c")).isEqualTo("v2");
    }

    @Test
    void objectAndBucketTagging() {
        s3.putObject(b -> b.bucket(bucket).key("t").tagging("team=edge&tier=hot"), RequestBody.fromString("x"));
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet()).extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "edge"),
                        org.assertj.core.groups.Tuple.tuple("tier", "hot"));
        assertThat(s3.getObject(b -> b.bucket(bucket).key("t")).response().tagCount()).isEqualTo(2);
        s3.putObjectTagging(b -> b.bucket(bucket).key("t")
                .tagging(t -> t.tagSet(Tag.builder().key("s3d.cache").value("pin").build())));
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet()).extracting(Tag::key)
                .containsExactly("s3d.cache");
        s3.deleteObjectTagging(b -> b.bucket(bucket).key("t"));
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet()).isEmpty();
        put("t", "overwritten");
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("t")).tagSet()).isEmpty();

        List<Tag> eleven = IntStream.range(0, 11).mapToObj(i -> Tag.builder().key("k" + i).value("v").build()).toList();
        assertThatThrownBy(() -> s3.putObjectTagging(b -> b.bucket(bucket).key("t").tagging(t -> t.tagSet(eleven))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThatThrownBy(() -> s3.putObjectTagging(b -> b.bucket(bucket).key("t")
                .tagging(t -> t.tagSet(Tag.builder().key("k".repeat(129)).value("v").build()))))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidTag"));
        assertThatThrownBy(() -> s3.getObjectTagging(b -> b.bucket(bucket).key("missing")))
                .isInstanceOf(NoSuchKeyException.class);

        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket(bucket))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet"));
        s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(Tag.builder().key("s3d.upload").value("true")
                .build())));
        assertThat(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()).extracting(Tag::key).containsExactly("s3d.upload");
        s3.deleteBucketTagging(b -> b.bucket(bucket));
        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket(bucket))).isInstanceOf(S3Exception.class);
    }

    @Test
    void checksumsAreVerifiedStoredAndReturned() {
        for (ChecksumAlgorithm algorithm : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256)) {
            // CRC64NVME needs the AWS CRT in the Java SDK; the decoder's unit tests and the boto3 scenario cover it.
            String key = "sum-" + algorithm;
            PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key(key).checksumAlgorithm(algorithm),
                    RequestBody.fromString("checksummed content"));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
            String stored = switch (algorithm) {
                case CRC32 -> head.checksumCRC32();
                case CRC32_C -> head.checksumCRC32C();
                case SHA1 -> head.checksumSHA1();
                case SHA256 -> head.checksumSHA256();
                case CRC64_NVME -> head.checksumCRC64NVME();
                default -> null;
            };
            assertThat(stored).as(algorithm.toString()).isNotBlank();
            // the SDK validates the returned checksum against the bytes it reads
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED))
                    .asUtf8String()).isEqualTo("checksummed content");
            assertThat(put.eTag()).isNotBlank();
        }
    }

    @Test
    void presignedGetAndPut() throws Exception {
        put("p", "presigned content");
        var presigner = TestClients.presigner(base);
        var get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(r -> r.bucket(bucket).key("p")));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(get.url().toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo("presigned content");
        HttpResponse<String> ranged = http.send(HttpRequest.newBuilder(get.url().toURI()).header("Range", "bytes=0-8")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo("presigned");

        var putUrl = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket(bucket).key("uploaded")));
        HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(putUrl.url().toURI())
                .PUT(HttpRequest.BodyPublishers.ofString("via presigned put")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).isEqualTo(200);
        assertThat(get("uploaded")).isEqualTo("via presigned put");
        presigner.close();
    }

    @Test
    void wrongCredentialsAreRejected() {
        try (S3Client stranger = TestClients.s3(base, "unknown-key", "whatever");
                S3Client wrongSecret = TestClients.s3(base, TestClients.ACCESS_KEY, "wrong-secret")) {
            assertThatThrownBy(stranger::listBuckets).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
            });
            assertThatThrownBy(wrongSecret::listBuckets).isInstanceOfSatisfying(S3Exception.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            });
        }
    }

    @Test
    void unsupportedOperationsAnswerNotImplemented() {
        assertThatThrownBy(() -> s3.getBucketWebsite(b -> b.bucket(bucket))).isInstanceOfSatisfying(S3Exception.class,
                e -> {
                    assertThat(e.statusCode()).isEqualTo(501);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                });
    }

    @Test
    void streamsA200MiBObjectWithBoundedHeap() throws IOException {
        long size = 200L * 1024 * 1024;
        // What the test JVM already holds (earlier tests' applications, pools) is not this test's doing:
        // measure what the round trip leaves behind on top of it.
        long before = DigestingPattern.heapInUseAfterGc();
        MessageDigest sent = sha256();
        s3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromContentProvider(
                () -> new DigestingPattern(size, sent), size, "application/octet-stream"));
        MessageDigest received = sha256();
        long count = 0;
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("big"))) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        // the test JVM runs with -Xmx512m: a buffered 200 MiB body on either side would not fit twice, and
        // one kept after the answer would show here as 200 MiB more than before
        assertThat(DigestingPattern.heapInUseAfterGc() - before).isLessThan(100L * 1024 * 1024);
    }


    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
