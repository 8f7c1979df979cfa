package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/** Multipart uploads, UploadPartCopy and CopyObject through the AWS SDK for Java v2. */
@QuarkusTest
class MultipartAndCopyTest {
    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "mp-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        }
        for (S3Object object : s3.listObjectsV2(b -> b.bucket(bucket)).contents()) {
            s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        }
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private String upload(String key, byte[] part, int number, String uploadId) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                RequestBody.fromBytes(part)).eTag();
    }

    @Test
    void partsAreAssembledInOrderWithTheMultipartEtag() throws Exception {
        byte[] one = random(5 * MIB, 1);
        byte[] two = random(5 * MIB, 2);
        byte[] three = random(1234, 3);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("big/file.bin").contentType("video/mp4")
                .metadata(Map.of("origin", "camera-7")).tagging("kind=video")).uploadId();
        String e2 = upload("big/file.bin", two, 2, uploadId);
        String e1 = upload("big/file.bin", one, 1, uploadId);
        String e3 = upload("big/file.bin", three, 3, uploadId);

        ListPartsResponse parts = s3.listParts(b -> b.bucket(bucket).key("big/file.bin").uploadId(uploadId));
        assertThat(parts.parts()).extracting(software.amazon.awssdk.services.s3.model.Part::partNumber)
                .containsExactly(1, 2, 3);
        assertThat(parts.parts().get(2).size()).isEqualTo(1234);
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).extracting(MultipartUpload::uploadId)
                .containsExactly(uploadId);
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("big/file.bin")
                .uploadId(uploadId).multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build(),
                        CompletedPart.builder().partNumber(3).eTag(e3).build())));
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (String etag : List.of(e1, e2, e3)) {
            md5.update(HexFormat.of().parseHex(etag.replace("\"", "")));
        }
        assertThat(done.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(md5.digest()) + "-3\"");

        byte[] whole = s3.getObjectAsBytes(b -> b.bucket(bucket).key("big/file.bin")).asByteArray();
        byte[] expected = new byte[one.length + two.length + three.length];
        System.arraycopy(one, 0, expected, 0, one.length);
        System.arraycopy(two, 0, expected, one.length, two.length);
        System.arraycopy(three, 0, expected, one.length + two.length, three.length);
        assertThat(Arrays.equals(whole, expected)).isTrue();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("big/file.bin"));
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.metadata()).containsEntry("origin", "camera-7");
        assertThat(head.partsCount()).isEqualTo(3);
        assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("big/file.bin")).tagSet()).extracting(Tag::key)
                .containsExactly("kind");
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void completionErrorsAreThoseOfS3() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
        String small = upload("k", "tiny".getBytes(StandardCharsets.UTF_8), 1, uploadId);
        String last = upload("k", "last".getBytes(StandardCharsets.UTF_8), 2, uploadId);
        assertCode(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(2).eTag(last).build(),
                        CompletedPart.builder().partNumber(1).eTag(small).build()))), 400, "InvalidPartOrder");
        assertCode(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag("\"0000\"").build()))),
                400, "InvalidPart");
        assertCode(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(small).build(),
                        CompletedPart.builder().partNumber(2).eTag(last).build()))), 400, "EntityTooSmall");
        assertCode(() -> s3.uploadPart(b -> b.bucket(bucket).key("k").uploadId(uploadId).partNumber(10001),
                RequestBody.fromString("x")), 400, "InvalidArgument");
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId));
        assertCode(() -> s3.listParts(b -> b.bucket(bucket).key("k").uploadId(uploadId)), 404, "NoSuchUpload");
        assertCode(() -> upload("k", "x".getBytes(StandardCharsets.UTF_8), 1, uploadId), 404, "NoSuchUpload");
        assertCode(() -> s3.listParts(b -> b.bucket(bucket).key("k").uploadId("not-an-upload-id-at-all")), 404,
                "NoSuchUpload");

        String single = s3.createMultipartUpload(b -> b.bucket(bucket).key("one")).uploadId();
        String only = upload("one", "just one small part".getBytes(StandardCharsets.UTF_8), 1, single);
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("one").uploadId(single)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(only).build())));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("one")).asUtf8String())
                .isEqualTo("just one small part");
    }

    @Test
    void listMultipartUploadsWithPrefixDelimiterAndMarkers() {
        String a1 = s3.createMultipartUpload(b -> b.bucket(bucket).key("a/1")).uploadId();
        String a2 = s3.createMultipartUpload(b -> b.bucket(bucket).key("a/2")).uploadId();
        String top = s3.createMultipartUpload(b -> b.bucket(bucket).key("b")).uploadId();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix("a/")).uploads())
                .extracting(MultipartUpload::uploadId).containsExactly(a1, a2);
        ListMultipartUploadsResponse rolled = s3.listMultipartUploads(b -> b.bucket(bucket).delimiter("/"));
        assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/");
        assertThat(rolled.uploads()).extracting(MultipartUpload::uploadId).containsExactly(top);
        ListMultipartUploadsResponse first = s3.listMultipartUploads(b -> b.bucket(bucket).maxUploads(1));
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.uploads()).extracting(MultipartUpload::key).containsExactly("a/1");
        ListMultipartUploadsResponse rest = s3.listMultipartUploads(b -> b.bucket(bucket)
                .keyMarker(first.nextKeyMarker()).uploadIdMarker(first.nextUploadIdMarker()));
        assertThat(rest.uploads()).extracting(MultipartUpload::uploadId).containsExactly(a2, top);
        assertThat(rest.isTruncated()).isFalse();
    }

    @Test
    void completeWithIfNoneMatchRefusesToOverwrite() {
        s3.putObject(b -> b.bucket(bucket).key("exists"), RequestBody.fromString("already here"));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("exists")).uploadId();
        String etag = upload("exists", "new".getBytes(StandardCharsets.UTF_8), 1, uploadId);
        assertCode(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("exists").uploadId(uploadId).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))), 412,
                "PreconditionFailed");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("exists")).asUtf8String()).isEqualTo("already here");
    }

    @Test
    void aPartUploadedAgainWhileTheFirstUploadIsInFlightIsTheOneThatFinishesLast() throws Exception {
        byte[] slow = random(6 * MIB, 31);
        byte[] fast = random(5 * MIB, 32);
        byte[] last = random(100, 33);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("race")).uploadId();
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        // a client that sends half of part 1, then stalls until the second upload of part 1 is done
        java.util.concurrent.CompletableFuture<String> slowUpload = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> s3.uploadPart(b -> b.bucket(bucket).key("race").uploadId(uploadId).partNumber(1),
                        RequestBody.fromContentProvider(() -> new io.s3d.GatedStream(slow, slow.length / 2, reached,
                                gate), slow.length, "application/octet-stream")).eTag());
        assertThat(reached.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String fastEtag = upload("race", fast, 1, uploadId);
        String lastEtag = upload("race", last, 2, uploadId);
        assertThat(s3.listParts(b -> b.bucket(bucket).key("race").uploadId(uploadId)).parts().get(0).eTag())
                .isEqualTo(fastEtag);
        gate.countDown();
        String slowEtag = slowUpload.get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(s3.listParts(b -> b.bucket(bucket).key("race").uploadId(uploadId)).parts().get(0))
                .satisfies(p -> {
                    assertThat(p.eTag()).as("the upload that finished last").isEqualTo(slowEtag);
                    assertThat(p.size()).isEqualTo(slow.length);
                });
        assertCode(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("race").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(fastEtag).build(),
                        CompletedPart.builder().partNumber(2).eTag(lastEtag).build()))), 400, "InvalidPart");
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("race").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(slowEtag).build(),
                CompletedPart.builder().partNumber(2).eTag(lastEtag).build())));
        byte[] expected = Arrays.copyOf(slow, slow.length + last.length);
        System.arraycopy(last, 0, expected, slow.length, last.length);
        assertThat(Arrays.equals(s3.getObjectAsBytes(b -> b.bucket(bucket).key("race")).asByteArray(), expected))
                .as("part 1 is the slow upload's bytes, whole").isTrue();
    }

    @Test
    void anAbortWhileAPartIsInFlightFreesTheUpload() throws Exception {
        byte[] body = random(6 * MIB, 34);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("gone")).uploadId();
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<String> inFlight = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> s3.uploadPart(b -> b.bucket(bucket).key("gone").uploadId(uploadId).partNumber(1),
                        RequestBody.fromContentProvider(() -> new io.s3d.GatedStream(body, body.length / 2, reached,
                                gate), body.length, "application/octet-stream")).eTag());
        assertThat(reached.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("gone").uploadId(uploadId));
        gate.countDown();
        assertThat(inFlight).failsWithin(60, java.util.concurrent.TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload");
                });
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertCode(() -> s3.listParts(b -> b.bucket(bucket).key("gone").uploadId(uploadId)), 404, "NoSuchUpload");
    }

    @Test
    void compositeChecksumsForMultipart() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("sum")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        UploadPartResponse p1 = s3.uploadPart(b -> b.bucket(bucket).key("sum").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(random(5 * MIB, 7)));
        UploadPartResponse p2 = s3.uploadPart(b -> b.bucket(bucket).key("sum").uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(random(100, 8)));
        assertThat(p1.checksumCRC32()).isNotBlank();
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("sum")
                .uploadId(uploadId).multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(p1.eTag()).checksumCRC32(p1.checksumCRC32()).build(),
                        CompletedPart.builder().partNumber(2).eTag(p2.eTag()).checksumCRC32(p2.checksumCRC32()).build())));
        assertThat(done.checksumCRC32()).endsWith("-2");
        assertThat(done.checksumTypeAsString()).isEqualTo("COMPOSITE");
        assertThat(s3.headObject(b -> b.bucket(bucket).key("sum").checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
                .isEqualTo(done.checksumCRC32());
    }

    @Test
    void fullObjectChecksumsForMultipart() {
        byte[] one = random(5 * MIB, 21);
        byte[] two = random(777, 22);
        java.util.zip.CRC32 whole = new java.util.zip.CRC32();
        whole.update(one);
        whole.update(two);
        String expected = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) whole.getValue()).array());
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("full")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        UploadPartResponse p1 = s3.uploadPart(b -> b.bucket(bucket).key("full").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(one));
        UploadPartResponse p2 = s3.uploadPart(b -> b.bucket(bucket).key("full").uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(two));
        assertCode(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("full").uploadId(uploadId)
                .checksumType(ChecksumType.FULL_OBJECT).checksumCRC32("AAAAAA==").multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(p1.eTag()).checksumCRC32(p1.checksumCRC32()).build(),
                        CompletedPart.builder().partNumber(2).eTag(p2.eTag()).checksumCRC32(p2.checksumCRC32()).build()))),
                400, "BadDigest");
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("full")
                .uploadId(uploadId).checksumType(ChecksumType.FULL_OBJECT).checksumCRC32(expected)
                .multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(p1.eTag()).checksumCRC32(p1.checksumCRC32()).build(),
                        CompletedPart.builder().partNumber(2).eTag(p2.eTag()).checksumCRC32(p2.checksumCRC32()).build())));
        assertThat(done.checksumCRC32()).isEqualTo(expected);
        assertThat(done.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("full").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC32()).isEqualTo(expected);
        assertThat(head.checksumTypeAsString()).isEqualTo("FULL_OBJECT");
        // the SDK validates a full-object checksum against the bytes it reads
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("full").checksumMode(ChecksumMode.ENABLED))
                .asByteArray()).hasSize(one.length + two.length);
    }

    @Test
    void uploadPartCopyTakesARangeOfAnotherObject() {
        byte[] source = random(6 * MIB, 11);
        s3.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromBytes(source));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("dst")).uploadId();
        UploadPartCopyResponse first = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("dst").uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (5 * MIB - 1)));
        UploadPartCopyResponse second = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("dst").uploadId(uploadId).partNumber(2)
                .copySourceRange("bytes=" + 5 * MIB + "-" + (6 * MIB - 1)));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("dst").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(first.copyPartResult().eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(second.copyPartResult().eTag()).build())));
        assertThat(Arrays.equals(s3.getObjectAsBytes(b -> b.bucket(bucket).key("dst")).asByteArray(), source)).isTrue();
    }

    @Test
    void copyObjectWithDirectivesAndConditions() {
        String other = "mp-other-" + UUID.randomUUID().toString().substring(0, 6);
        s3.createBucket(b -> b.bucket(other));
        try {
            PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("dir/ü source.txt").contentType("text/plain")
                    .metadata(Map.of("a", "1")).tagging("t=1"), RequestBody.fromString("copy me"));
            CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("dir/ü source.txt")
                    .destinationBucket(other).destinationKey("copy.txt"));
            assertThat(copied.copyObjectResult().eTag()).isEqualTo(put.eTag());
            HeadObjectResponse head = s3.headObject(b -> b.bucket(other).key("copy.txt"));
            assertThat(head.contentType()).isEqualTo("text/plain");
            assertThat(head.metadata()).containsEntry("a", "1");
            assertThat(s3.getObjectTagging(b -> b.bucket(other).key("copy.txt")).tagSet()).extracting(Tag::key)
                    .containsExactly("t");
            assertThat(s3.getObjectAsBytes(b -> b.bucket(other).key("copy.txt")).asUtf8String()).isEqualTo("copy me");

            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("dir/ü source.txt").destinationBucket(bucket)
                    .destinationKey("replaced").metadataDirective(MetadataDirective.REPLACE).contentType("text/csv")
                    .metadata(Map.of("b", "2")).taggingDirective(TaggingDirective.REPLACE).tagging("u=2"));
            HeadObjectResponse replaced = s3.headObject(b -> b.bucket(bucket).key("replaced"));
            assertThat(replaced.contentType()).isEqualTo("text/csv");
            assertThat(replaced.metadata()).containsOnlyKeys("b");
            assertThat(s3.getObjectTagging(b -> b.bucket(bucket).key("replaced")).tagSet()).extracting(Tag::key)
                    .containsExactly("u");

            assertCode(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("replaced").destinationBucket(bucket)
                    .destinationKey("replaced")), 400, "InvalidRequest");
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("replaced").destinationBucket(bucket)
                    .destinationKey("replaced").metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("c", "3")));
            assertThat(s3.headObject(b -> b.bucket(bucket).key("replaced")).metadata()).containsOnlyKeys("c");

            assertCode(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("replaced").destinationBucket(bucket)
                    .destinationKey("x").copySourceIfMatch("\"nope\"")), 412, "PreconditionFailed");
            assertCode(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("replaced").destinationBucket(bucket)
                    .destinationKey("x").copySourceIfModifiedSince(Instant.now().plusSeconds(60))), 412,
                    "PreconditionFailed");
            assertCode(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("missing").destinationBucket(bucket)
                    .destinationKey("x")), 404, "NoSuchKey");
            s3.deleteObject(b -> b.bucket(other).key("copy.txt"));
        } finally {
            s3.deleteBucket(b -> b.bucket(other));
        }
    }

    private static void assertCode(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        });
    }
}
