package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import io.s3d.TestSigner;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Corners of the everyday API, each as AWS documents or answers them. */
@QuarkusTest
class EverydayEdgeCasesTest {
    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void createBucket() {
        s3 = TestClients.s3(base);
        bucket = "edge-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        HttpRequest request = TestSigner.signed("GET", URI.create(TestClients.endpoint(base) + pathAndQuery), Map.of(),
                null, TestClients.ACCESS_KEY, TestClients.SECRET_KEY, Instant.now()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void partNumberReadsOnePartOfAMultipartObject() {
        byte[] one = random(5 * MIB, 1);
        byte[] two = random(1234, 2);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        String etag1 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(one)).eTag();
        String etag2 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(two)).eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                CompletedPart.builder().partNumber(2).eTag(etag2).build())));

        ResponseBytes<GetObjectResponse> second = s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp").partNumber(2));
        assertThat(second.asByteArray()).isEqualTo(two);
        assertThat(second.response().contentRange()).isEqualTo("bytes " + 5 * MIB + "-" + (5 * MIB + 1233) + "/"
                + (5 * MIB + 1234));
        assertThat(second.response().partsCount()).isEqualTo(2);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("mp").partNumber(1));
        assertThat(head.contentLength()).isEqualTo(5L * MIB);
        assertThat(head.partsCount()).isEqualTo(2);
        assertThat(head.sdkHttpResponse().headers()).doesNotContainKey("x-s3d-part-sizes");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("mp").partNumber(3)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPartNumber");
                });
        // A copy of a multipart object is a single-part object: its part sizes do not travel with it.
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("mp").destinationBucket(bucket).destinationKey("copy"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy").partNumber(1)).asByteArray())
                .hasSize(5 * MIB + 1234);
    }

    @Test
    void partNumberOfASinglePartObject() {
        s3.putObject(b -> b.bucket(bucket).key("single"), RequestBody.fromString("0123456789"));
        ResponseBytes<GetObjectResponse> first = s3.getObjectAsBytes(b -> b.bucket(bucket).key("single").partNumber(1));
        assertThat(first.asUtf8String()).isEqualTo("0123456789");
        assertThat(first.response().contentRange()).isEqualTo("bytes 0-9/10");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("single").partNumber(2)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPartNumber");
                });
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("single").partNumber(0)))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(bucket).key("single").partNumber(1).range("bytes=0-1")))
                .isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
    }

    @Test
    void rangesOnAnEmptyObject() {
        s3.putObject(b -> b.bucket(bucket).key("empty"), RequestBody.empty());
        for (String range : new String[] {"bytes=0-", "bytes=0-0", "bytes=5-10"}) {
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty").range(range)))
                    .as(range).isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(416);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                    });
        }
        // A suffix range asks for "the last n bytes": of an empty object that is all of it.
        ResponseBytes<GetObjectResponse> tail = s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty").range("bytes=-5"));
        assertThat(tail.asByteArray()).isEmpty();
        assertThat(tail.response().sdkHttpResponse().statusCode()).isEqualTo(200);
    }

    @Test
    void urlEncodedListingsEncodeKeysButNotSlashesAndAnEmptyDelimiterIsAbsent() throws Exception {
        s3.putObject(b -> b.bucket(bucket).key("dir one/a+b&c.txt"), RequestBody.fromString("x"));
        s3.putObject(b -> b.bucket(bucket).key("dir one/sub/é.txt"), RequestBody.fromString("x"));
        HttpResponse<String> v2 = get("/" + bucket + "?list-type=2&encoding-type=url&prefix=dir%20one/&delimiter=/");
        assertThat(v2.statusCode()).isEqualTo(200);
        assertThat(v2.body()).contains("<Key>dir+one/a%2Bb%26c.txt</Key>")
                .contains("<Prefix>dir+one/sub/</Prefix>").contains("<Prefix>dir+one/</Prefix>")
                .contains("<Delimiter>/</Delimiter>").contains("<EncodingType>url</EncodingType>");
        HttpResponse<String> v1 = get("/" + bucket + "?encoding-type=url&delimiter=");
        assertThat(v1.body()).doesNotContain("<Delimiter>").contains("<Key>dir+one/sub/%C3%A9.txt</Key>");
        // The SDK decodes what it asked to be encoded: the keys come back as written.
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).encodingType(EncodingType.URL)).contents())
                .extracting(o -> o.key()).containsExactly("dir one/a+b&c.txt", "dir one/sub/é.txt");
        assertThat(Arrays.asList(v2.body().split("<CommonPrefixes>"))).hasSize(2);
    }

    @Test
    void getObjectAttributesDescribesTheObjectAndPagesItsParts() {
        byte[] one = random(5 * MIB, 3);
        byte[] two = random(5 * MIB, 4);
        byte[] three = random(10, 5);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32)).uploadId();
        java.util.List<CompletedPart> parts = new java.util.ArrayList<>();
        byte[][] bodies = {one, two, three};
        for (int n = 1; n <= 3; n++) {
            int number = n;
            var part = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(number)
                    .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32),
                    RequestBody.fromBytes(bodies[number - 1]));
            parts.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).checksumCRC32(part.checksumCRC32())
                    .build());
        }
        var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        var attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("mp").maxParts(2).objectAttributes(
                software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG,
                software.amazon.awssdk.services.s3.model.ObjectAttributes.CHECKSUM,
                software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_PARTS,
                software.amazon.awssdk.services.s3.model.ObjectAttributes.STORAGE_CLASS,
                software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE));
        assertThat('"' + attributes.eTag() + '"').isEqualTo(done.eTag());
        assertThat(attributes.objectSize()).isEqualTo(10L * MIB + 10);
        assertThat(attributes.storageClassAsString()).isEqualTo("STANDARD");
        assertThat(attributes.checksum().checksumCRC32()).isEqualTo(done.checksumCRC32());
        assertThat(attributes.objectParts().totalPartsCount()).isEqualTo(3);
        assertThat(attributes.objectParts().isTruncated()).isTrue();
        assertThat(attributes.objectParts().parts()).extracting(p -> p.partNumber() + ":" + p.size())
                .containsExactly("1:" + 5 * MIB, "2:" + 5 * MIB);
        var rest = s3.getObjectAttributes(b -> b.bucket(bucket).key("mp").partNumberMarker(2).objectAttributes(
                software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_PARTS));
        assertThat(rest.objectParts().parts()).extracting(p -> p.partNumber() + ":" + p.size())
                .containsExactly("3:10");
        assertThat(rest.eTag()).isNull();

        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("hello"));
        var plain = s3.getObjectAttributes(b -> b.bucket(bucket).key("plain").objectAttributes(
                software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE,
                software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_PARTS));
        assertThat(plain.objectSize()).isEqualTo(5L);
        assertThat(plain.objectParts()).isNull();
        assertThatThrownBy(() -> s3.getObjectAttributes(b -> b.bucket(bucket).key("missing").objectAttributes(
                software.amazon.awssdk.services.s3.model.ObjectAttributes.E_TAG)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void conditionalWritesOnPutAndCompleteMultipartUpload() {
        String etag = s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"), RequestBody.fromString("one"))
                .eTag();
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("*"),
                RequestBody.fromString("two"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k").ifMatch("\"0123\""),
                RequestBody.fromString("two"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("absent").ifMatch(etag),
                RequestBody.fromString("two"))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
        s3.putObject(b -> b.bucket(bucket).key("k").ifMatch(etag), RequestBody.fromString("two"));

        String current = s3.headObject(b -> b.bucket(bucket).key("k")).eTag();
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
        String part = s3.uploadPart(b -> b.bucket(bucket).key("k").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("three")).eTag();
        CompletedPart completed = CompletedPart.builder().partNumber(1).eTag(part).build();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .ifMatch(etag).multipartUpload(m -> m.parts(completed))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .ifNoneMatch("*").multipartUpload(m -> m.parts(completed))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId).ifMatch(current)
                .multipartUpload(m -> m.parts(completed)));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String()).isEqualTo("three");
    }

    @Test
    void aRetriedCompleteMultipartUploadAnswersSuccessWhileTheObjectIsThatUploads() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")).uploadId();
        String part = s3.uploadPart(b -> b.bucket(bucket).key("k").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("data")).eTag();
        CompletedPart completed = CompletedPart.builder().partNumber(1).eTag(part).build();
        String first = s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).eTag();
        String again = s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed))).eTag();
        assertThat(again).isEqualTo(first);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("overwritten"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("k").uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)))).isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
    }
}
