package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side encryption of the standalone store through the AWS SDK for Java v2: SSE-S3, SSE-KMS
 * and SSE-C on PUT, GET (whole, ranges, parts), HEAD, copy and multipart, bucket default
 * encryption, the errors AWS answers, and the bytes on disk, which never hold the plaintext.
 */
@QuarkusTest
class ServerSideEncryptionTest {
    private static final String MARKER = "plaintext-marker-that-must-not-reach-the-disk ";
    private static final Path STORE = Path.of("target/s3d-test-store");

    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "sse-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket))) {
            for (S3Object object : page.contents()) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
        }
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    private static byte[] text(int size) {
        byte[] repeated = MARKER.repeat(size / MARKER.length() + 1).getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(repeated, size);
    }

    private static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    private static String md5Base64(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    /** Every file of the bucket's directory (objects, tags, uploads' parts live beside) holds no plaintext. */
    private void assertNoPlaintextOnDisk() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(STORE.resolve(bucket)), Files.walk(STORE))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes;
                try {
                    bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue;
                }
                assertThat(bytes).as("bytes of %s", file).doesNotContain(MARKER.strip());
            }
        }
    }

    private Consumer<S3Exception> error(int status, String code) {
        return e -> {
            assertThat(e.statusCode()).isEqualTo(status);
            if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            }
        };
    }

    @Test
    void sseS3PutGetHeadAndRangesDecryptAndTheDiskHoldsNoPlaintext() throws Exception {
        byte[] content = text(300_000);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("doc.txt")
                .serverSideEncryption(ServerSideEncryption.AES256), RequestBody.fromBytes(content));
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(put.eTag()).isEqualTo('"' + md5Hex(content) + '"'); // SSE-S3 ETags are the MD5, as AWS

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc.txt"));
        assertThat(got.asByteArray()).isEqualTo(content);
        assertThat(got.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        for (long[] range : new long[][] { { 0, 0 }, { 65_535, 65_536 }, { 70_000, 140_000 }, { 299_990, 299_999 } }) {
            byte[] part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc.txt")
                    .range("bytes=" + range[0] + "-" + range[1])).asByteArray();
            assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(content, (int) range[0], (int) range[1] + 1));
        }
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("doc.txt"));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(head.contentLength()).isEqualTo(content.length);
        assertNoPlaintextOnDisk();

        // a plain PUT beside it stays readable and plain: no header on its answers
        PutObjectResponse plain = s3.putObject(b -> b.bucket(bucket).key("plain.txt"), RequestBody.fromString("hi"));
        assertThat(plain.serverSideEncryption()).isNull();
    }

    @Test
    void sseKmsNamesItsKeyAndAnUnknownKeyIsKmsNotFound() throws Exception {
        byte[] content = text(1000);
        String context = Base64.getEncoder().encodeToString("{\"team\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption("aws:kms")
                .ssekmsEncryptionContext(context), RequestBody.fromBytes(content));
        assertThat(put.ssekmsEncryptionContext()).isEqualTo(context);
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo("arn:aws:kms:us-east-1:000000000000:key/default");
        assertThat(put.eTag()).isNotEqualTo('"' + md5Hex(content) + '"');
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("k"));
        assertThat(head.ssekmsKeyId()).isEqualTo(put.ssekmsKeyId());
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray()).isEqualTo(content);

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k2").serverSideEncryption("aws:kms")
                .ssekmsKeyId("arn:aws:kms:us-east-1:111122223333:key/no-such-key"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, error(400, "KMS.NotFoundException"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(bucket).key("k2").serverSideEncryption("AES512"),
                RequestBody.fromString("x"))).isInstanceOfSatisfying(S3Exception.class, error(400, "InvalidArgument"));
        assertNoPlaintextOnDisk();
    }

    @Test
    void multipartUploadsAreEncryptedPartsAndWholeAndReadByPart() throws Exception {
        byte[] first = text(5 * 1024 * 1024);
        byte[] second = text(1024 * 1024 + 17);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")
                .serverSideEncryption(ServerSideEncryption.AES256)).uploadId();
        String etag1 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(first)).eTag();
        String etag2 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(second)).eTag();
        assertNoPlaintextOnDisk(); // the parts waiting for completion too
        var done = s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                        CompletedPart.builder().partNumber(2).eTag(etag2).build())));
        assertThat(done.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp")).asByteArray()).isEqualTo(whole);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp").partNumber(2)).asByteArray())
                .isEqualTo(second);
        assertNoPlaintextOnDisk();
    }

    @Test
    void sseCObjectsOpenOnlyWithTheirKeyAndErrorsAreAws() throws Exception {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key); // unlike a seeded one, found in no other test's data
        String keyB64 = Base64.getEncoder().encodeToString(key);
        String keyMd5 = md5Base64(key);
        byte[] content = text(200_000);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(keyB64).sseCustomerKeyMD5(keyMd5), RequestBody.fromBytes(content));
        assertThat(put.sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(put.sseCustomerKeyMD5()).isEqualTo(keyMd5);
        assertThat(put.eTag()).isNotEqualTo('"' + md5Hex(content) + '"');

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64).sseCustomerKeyMD5(keyMd5)
                .range("bytes=100000-130000"));
        assertThat(got.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(content, 100_000, 130_001));
        assertThat(got.response().sseCustomerKeyMD5()).isEqualTo(keyMd5);
        assertThat(s3.headObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(keyB64).sseCustomerKeyMD5(keyMd5)).contentLength()).isEqualTo(content.length);

        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")))
                .isInstanceOfSatisfying(S3Exception.class, error(400, "InvalidRequest"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("c")))
                .isInstanceOfSatisfying(S3Exception.class, error(400, null));
        assertThatThrownBy(() -> s3.getObjectAttributes(b -> b.bucket(bucket).key("c")
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE)))
                .isInstanceOfSatisfying(S3Exception.class, error(400, "InvalidRequest"));
        assertThat(s3.getObjectAttributes(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(keyB64).sseCustomerKeyMD5(keyMd5)
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE))
                .objectSize()).isEqualTo(content.length);
        byte[] other = new byte[32];
        String otherB64 = Base64.getEncoder().encodeToString(other);
        String otherMd5 = md5Base64(other);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(otherB64).sseCustomerKeyMD5(otherMd5)))
                .isInstanceOfSatisfying(S3Exception.class, error(403, "AccessDenied"));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(keyB64).sseCustomerKeyMD5(otherMd5)))
                .isInstanceOfSatisfying(S3Exception.class, error(400, "InvalidArgument"));
        assertNoPlaintextOnDisk();
        // the key itself is never written either
        try (Stream<Path> files = Files.walk(STORE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try {
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).doesNotContain(keyB64)
                            .doesNotContain(new String(key, StandardCharsets.ISO_8859_1));
                } catch (java.nio.file.NoSuchFileException ignored) {
                    // a temporary file gone meanwhile
                }
            }
        }
    }

    @Test
    void copiesMoveObjectsBetweenModes() throws Exception {
        byte[] content = text(150_000);
        byte[] key = new byte[32];
        new java.util.Random(2).nextBytes(key);
        String keyB64 = Base64.getEncoder().encodeToString(key);
        String keyMd5 = md5Base64(key);
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromBytes(content));

        var toS3 = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("plain").destinationBucket(bucket)
                .destinationKey("s3").serverSideEncryption(ServerSideEncryption.AES256));
        assertThat(toS3.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        var toC = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("s3").destinationBucket(bucket)
                .destinationKey("c").sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64).sseCustomerKeyMD5(keyMd5));
        assertThat(toC.sseCustomerKeyMD5()).isEqualTo(keyMd5);
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(bucket)
                .destinationKey("back"))).isInstanceOfSatisfying(S3Exception.class, error(400, "InvalidRequest"));
        var back = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(bucket)
                .destinationKey("back").copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(keyB64)
                .copySourceSSECustomerKeyMD5(keyMd5));
        assertThat(back.serverSideEncryption()).isNull();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("back")).asByteArray()).isEqualTo(content);
        // re-encrypting an object in place under another mode is a legal copy to itself
        var kms = s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("s3").destinationBucket(bucket)
                .destinationKey("s3").serverSideEncryption("aws:kms"));
        assertThat(kms.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3")).asByteArray()).isEqualTo(content);
    }

    @Test
    void bucketDefaultEncryptionAppliesToWritesWithoutHeaders() throws Exception {
        assertThatThrownBy(() -> s3.getBucketEncryption(b -> b.bucket(bucket))).isInstanceOfSatisfying(
                S3Exception.class, error(404, "ServerSideEncryptionConfigurationNotFoundError"));
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        assertThat(s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
        byte[] content = text(70_000);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("d"), RequestBody.fromBytes(content));
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("d")).asByteArray()).isEqualTo(content);
        assertNoPlaintextOnDisk();

        assertThatThrownBy(() -> s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c
                .rules(r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)
                        .kmsMasterKeyID("default")))))).isInstanceOfSatisfying(S3Exception.class,
                                error(400, "InvalidArgument"));
        s3.deleteBucketEncryption(b -> b.bucket(bucket));
        assertThatThrownBy(() -> s3.getBucketEncryption(b -> b.bucket(bucket))).isInstanceOfSatisfying(
                S3Exception.class, error(404, "ServerSideEncryptionConfigurationNotFoundError"));
        assertThat(s3.putObject(b -> b.bucket(bucket).key("e"), RequestBody.fromString("x")).serverSideEncryption())
                .isNull();
    }

    @Test
    void aLargeEncryptedObjectStreamsWithBoundedHeap() throws Exception {
        long size = 160L * 1024 * 1024;
        long before = DigestingPattern.heapInUseAfterGc();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        s3.putObject(b -> b.bucket(bucket).key("big").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromContentProvider(() -> new DigestingPattern(size, sent), size, "application/octet-stream"));
        MessageDigest received = MessageDigest.getInstance("SHA-256");
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
        assertThat(received.digest()).isEqualTo(sent.digest());
        assertThat(DigestingPattern.heapInUseAfterGc() - before).isLessThan(100L * 1024 * 1024);
    }
}
