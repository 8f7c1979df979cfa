package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import java.net.URL;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3's checksum rules for SHA-256 and CRC64NVME on every upload path (multipart COMPOSITE and
 * FULL_OBJECT, UploadPartCopy, CopyObject), through the AWS SDK for Java v2 as its users call it.
 * The SDK computes CRC64NVME only with the AWS CRT, which this build does not have: the tests hand it
 * CRC64NVME values computed with s3d's own CRC64NVME (checked against AWS's test vectors in
 * ChecksumAlgorithmTest), and SHA-256 values with the JDK.
 */
@QuarkusTest
class ChecksumRulesTest {
    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    /** A client that sends no checksum unless asked, as SDKs before 2025 did. */
    S3Client plain;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        plain = S3Client.builder().endpointOverride(TestClients.endpoint(base))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(TestClients.ACCESS_KEY,
                                TestClients.SECRET_KEY)))
                .forcePathStyle(true).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build();
        bucket = "sum-" + UUID.randomUUID().toString().substring(0, 8);
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
        plain.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] sha256(byte[]... pieces) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] piece : pieces) {
            digest.update(piece);
        }
        return digest.digest();
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String crc64nvme(byte[]... pieces) {
        io.s3d.api.auth.Hasher hasher = io.s3d.api.auth.ChecksumAlgorithm.CRC64NVME.newHasher();
        for (byte[] piece : pieces) {
            hasher.update(piece, 0, piece.length);
        }
        return hasher.digestBase64();
    }

    private static void assertError(Runnable call, int status, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            if (message != null) {
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            }
        });
    }

    @Test
    void createRefusesTheCombinationsS3Refuses() {
        assertError(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key("k")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME).checksumType(ChecksumType.COMPOSITE)), 400,
                "InvalidRequest", "The CRC64NVME algorithm does not support the checksum type COMPOSITE.");
        assertError(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key("k")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumType(ChecksumType.FULL_OBJECT)), 400,
                "InvalidRequest", "The SHA256 algorithm does not support the checksum type FULL_OBJECT.");
        CreateMultipartUploadResponse crc64 = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME));
        assertThat(crc64.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC64_NVME);
        assertThat(crc64.checksumType()).as("CRC64NVME is always FULL_OBJECT").isEqualTo(ChecksumType.FULL_OBJECT);
        CreateMultipartUploadResponse sha = s3.createMultipartUpload(b -> b.bucket(bucket).key("k")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256));
        assertThat(sha.checksumType()).as("SHA-256 is always COMPOSITE").isEqualTo(ChecksumType.COMPOSITE);
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads())
                .extracting(MultipartUpload::checksumAlgorithm, MultipartUpload::checksumType)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ChecksumAlgorithm.CRC64_NVME, ChecksumType.FULL_OBJECT),
                        org.assertj.core.groups.Tuple.tuple(ChecksumAlgorithm.SHA256, ChecksumType.COMPOSITE));
    }

    @Test
    void sha256UploadIsCompositeOfItsPartChecksums() throws Exception {
        byte[] one = random(5 * MIB, 1);
        byte[] two = random(1000, 2);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("sha")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        UploadPartResponse p1 = s3.uploadPart(b -> b.bucket(bucket).key("sha").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(one));
        UploadPartResponse p2 = s3.uploadPart(b -> b.bucket(bucket).key("sha").uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256), RequestBody.fromBytes(two));
        assertThat(p1.checksumSHA256()).isEqualTo(base64(sha256(one)));
        assertThat(p2.checksumSHA256()).isEqualTo(base64(sha256(two)));

        // The SDK's default for a part is CRC32: an upload created with SHA-256 refuses it.
        assertError(() -> s3.uploadPart(b -> b.bucket(bucket).key("sha").uploadId(uploadId).partNumber(3),
                RequestBody.fromBytes(two)), 400, "InvalidRequest",
                "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32");
        assertError(() -> plain.uploadPart(b -> b.bucket(bucket).key("sha").uploadId(uploadId).partNumber(3),
                RequestBody.fromBytes(two)), 400, "InvalidRequest",
                "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: null");

        ListPartsResponse parts = s3.listParts(b -> b.bucket(bucket).key("sha").uploadId(uploadId));
        assertThat(parts.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.SHA256);
        assertThat(parts.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(parts.parts()).extracting(software.amazon.awssdk.services.s3.model.Part::checksumSHA256)
                .containsExactly(p1.checksumSHA256(), p2.checksumSHA256());

        CompletedPart first = CompletedPart.builder().partNumber(1).eTag(p1.eTag()).checksumSHA256(p1.checksumSHA256())
                .build();
        assertError(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("sha").uploadId(uploadId)
                .multipartUpload(m -> m.parts(first, CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build()))),
                400, "InvalidRequest", "The upload was created using a sha256 checksum. The complete request must "
                        + "include the checksum for each part. It was missing for part 2 in the request.");
        assertError(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("sha").uploadId(uploadId)
                .multipartUpload(m -> m.parts(first, CompletedPart.builder().partNumber(2).eTag(p2.eTag())
                        .checksumSHA256(p1.checksumSHA256()).build()))), 400, "InvalidPart", null);
        assertError(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("sha").uploadId(uploadId)
                .checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(first, CompletedPart.builder()
                        .partNumber(2).eTag(p2.eTag()).checksumSHA256(p2.checksumSHA256()).build()))), 400,
                "InvalidRequest", "The upload was created using the COMPOSITE checksum mode. The complete request must "
                        + "use the same checksum mode.");

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("sha")
                .uploadId(uploadId).multipartUpload(m -> m.parts(first, CompletedPart.builder().partNumber(2)
                        .eTag(p2.eTag()).checksumSHA256(p2.checksumSHA256()).build())));
        String composite = base64(sha256(sha256(one), sha256(two))) + "-2";
        assertThat(done.checksumSHA256()).isEqualTo(composite);
        assertThat(done.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("sha").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumSHA256()).isEqualTo(composite);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("sha")
                .objectAttributes(ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_SIZE));
        assertThat(attributes.checksum().checksumSHA256()).isEqualTo(composite);
        assertThat(attributes.checksum().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(attributes.objectSize()).isEqualTo(one.length + two.length);
    }

    @Test
    void crc64nvmeUploadIsTheCrcOfTheWholeObject() {
        byte[] one = random(5 * MIB, 3);
        byte[] two = random(5 * MIB, 4);
        byte[] three = random(4321, 5);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("crc")
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME)).uploadId();
        UploadPartResponse p1 = s3.uploadPart(b -> b.bucket(bucket).key("crc").uploadId(uploadId).partNumber(1)
                .checksumCRC64NVME(crc64nvme(one)), RequestBody.fromBytes(one));
        assertThat(p1.checksumCRC64NVME()).isEqualTo(crc64nvme(one));
        assertError(() -> plain.uploadPart(b -> b.bucket(bucket).key("crc").uploadId(uploadId).partNumber(2)
                .checksumCRC64NVME(crc64nvme(three)), RequestBody.fromBytes(two)), 400, "BadDigest", null);
        // A FULL_OBJECT upload takes a part without a checksum: s3d computes the part's CRC itself.
        UploadPartResponse p2 = plain.uploadPart(b -> b.bucket(bucket).key("crc").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(two));
        UploadPartResponse p3 = s3.uploadPart(b -> b.bucket(bucket).key("crc").uploadId(uploadId).partNumber(3)
                .checksumCRC64NVME(crc64nvme(three)), RequestBody.fromBytes(three));
        ListPartsResponse parts = s3.listParts(b -> b.bucket(bucket).key("crc").uploadId(uploadId));
        assertThat(parts.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(parts.parts()).extracting(software.amazon.awssdk.services.s3.model.Part::checksumCRC64NVME)
                .containsExactly(crc64nvme(one), crc64nvme(two), crc64nvme(three));

        String whole = crc64nvme(one, two, three);
        CompletedPart[] list = { CompletedPart.builder().partNumber(1).eTag(p1.eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(p2.eTag()).build(),
                CompletedPart.builder().partNumber(3).eTag(p3.eTag()).checksumCRC64NVME(p3.checksumCRC64NVME())
                        .build() };
        assertError(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("crc").uploadId(uploadId)
                .checksumType(ChecksumType.FULL_OBJECT).checksumCRC64NVME(crc64nvme(one))
                .multipartUpload(m -> m.parts(list))), 400, "BadDigest", null);
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("crc")
                .uploadId(uploadId).checksumType(ChecksumType.FULL_OBJECT).checksumCRC64NVME(whole)
                .multipartUpload(m -> m.parts(list)));
        assertThat(done.checksumCRC64NVME()).as("a CRC of the content, no part count").isEqualTo(whole);
        assertThat(done.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("crc").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC64NVME()).isEqualTo(whole);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("crc")
                .objectAttributes(ObjectAttributes.CHECKSUM));
        assertThat(attributes.checksum().checksumCRC64NVME()).isEqualTo(whole);
        assertThat(attributes.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }

    @Test
    void uploadPartCopyGetsTheChecksumOfTheUploadsAlgorithm() throws Exception {
        byte[] source = random(6 * MIB, 6);
        plain.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromBytes(source));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("dst")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        UploadPartCopyResponse first = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("dst").uploadId(uploadId).partNumber(1)
                .copySourceRange("bytes=0-" + (5 * MIB - 1)));
        UploadPartCopyResponse second = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("dst").uploadId(uploadId).partNumber(2)
                .copySourceRange("bytes=" + 5 * MIB + "-" + (6 * MIB - 1)));
        byte[] head = Arrays.copyOfRange(source, 0, 5 * MIB);
        byte[] tail = Arrays.copyOfRange(source, 5 * MIB, 6 * MIB);
        assertThat(first.copyPartResult().checksumSHA256()).isEqualTo(base64(sha256(head)));
        assertThat(second.copyPartResult().checksumSHA256()).isEqualTo(base64(sha256(tail)));
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("dst")
                .uploadId(uploadId).multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(first.copyPartResult().eTag())
                                .checksumSHA256(first.copyPartResult().checksumSHA256()).build(),
                        CompletedPart.builder().partNumber(2).eTag(second.copyPartResult().eTag())
                                .checksumSHA256(second.copyPartResult().checksumSHA256()).build())));
        assertThat(done.checksumSHA256()).isEqualTo(base64(sha256(sha256(head), sha256(tail))) + "-2");
    }

    @Test
    void copyObjectComputesTheAskedChecksumOrKeepsTheSources() throws Exception {
        byte[] content = random(300_000, 7);
        plain.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromBytes(content));
        CopyObjectResponse sha = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket)
                .destinationKey("sha").checksumAlgorithm(ChecksumAlgorithm.SHA256));
        assertThat(sha.copyObjectResult().checksumSHA256()).isEqualTo(base64(sha256(content)));
        assertThat(sha.copyObjectResult().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        CopyObjectResponse crc = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("sha").destinationBucket(bucket)
                .destinationKey("crc").checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME));
        assertThat(crc.copyObjectResult().checksumCRC64NVME()).isEqualTo(crc64nvme(content));
        assertThat(crc.copyObjectResult().checksumSHA256()).as("replaced, not added").isNull();
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("crc").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC64NVME()).isEqualTo(crc64nvme(content));
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        // without x-amz-checksum-algorithm the copy keeps the source's checksum
        CopyObjectResponse kept = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("sha").destinationBucket(bucket)
                .destinationKey("kept"));
        assertThat(kept.copyObjectResult().checksumSHA256()).isEqualTo(base64(sha256(content)));
    }

    @Test
    void putWithSha256AndCrc64nvmeStoresAndReturnsThem() throws Exception {
        byte[] content = random(100_000, 8);
        assertThat(s3.putObject(b -> b.bucket(bucket).key("crc").checksumCRC64NVME(crc64nvme(content)),
                RequestBody.fromBytes(content)).checksumCRC64NVME()).isEqualTo(crc64nvme(content));
        assertError(() -> s3.putObject(b -> b.bucket(bucket).key("bad").checksumCRC64NVME(crc64nvme(new byte[1])),
                RequestBody.fromBytes(content)), 400, "BadDigest", null);
        HeadObjectResponse crc = s3.headObject(b -> b.bucket(bucket).key("crc").checksumMode(ChecksumMode.ENABLED));
        assertThat(crc.checksumCRC64NVME()).isEqualTo(crc64nvme(content));
        assertThat(crc.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        s3.putObject(b -> b.bucket(bucket).key("sha").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(content));
        GetObjectAttributesResponse attributes = s3.getObjectAttributes(b -> b.bucket(bucket).key("sha")
                .objectAttributes(ObjectAttributes.CHECKSUM));
        assertThat(attributes.checksum().checksumSHA256()).isEqualTo(base64(sha256(content)));
        assertThat(attributes.checksum().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }
}
