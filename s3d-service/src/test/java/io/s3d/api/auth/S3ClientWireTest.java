package io.s3d.api.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Drives the real {@link S3Client} against an HTTP client that captures what would go on the wire,
 * then verifies and decodes it: whatever the SDK's defaults are (aws-chunked, CRC trailers), s3d
 * must accept them unchanged.
 */
class S3ClientWireTest {
    static final Clock CLOCK = Clock.system(ZoneOffset.UTC);

    /** One captured request. */
    record Captured(SignedRequest request, byte[] body) {
    }

    static final class CapturingHttpClient implements SdkHttpClient {
        final List<Captured> captured = new ArrayList<>();
        String responseBody = "";

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    byte[] body = request.contentStreamProvider().isPresent()
                            ? request.contentStreamProvider().get().newStream().readAllBytes() : new byte[0];
                    captured.add(new Captured(SdkOracle.toSignedRequest(request.httpRequest()), body));
                    byte[] response = responseBody.getBytes(StandardCharsets.UTF_8);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Length", Integer.toString(response.length))
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }

        Captured last() {
            return captured.get(captured.size() - 1);
        }
    }

    final CapturingHttpClient http = new CapturingHttpClient();
    final SigV4Verifier verifier = new SigV4Verifier(SdkOracle.credentials(), CLOCK);
    S3Client client;

    S3Client client(String scheme) {
        return client(scheme, true);
    }

    S3Client client(String scheme, boolean pathStyle) {
        client = S3Client.builder()
                .httpClient(http)
                .endpointOverride(URI.create(scheme + "://localhost:33333"))
                .region(Region.EU_WEST_3)
                .forcePathStyle(pathStyle)
                // The SDK default, pinned so an AWS_REQUEST_CHECKSUM_CALCULATION in the environment
                // cannot turn the checksums under test off.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SdkOracle.ACCESS_KEY, SdkOracle.SECRET_KEY)))
                .build();
        return client;
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    DecodedBody verifyAndDecode(Captured c) {
        AuthContext auth = verifier.verify(c.request());
        return RequestBodyDecoder.decode(c.request(), auth, new ByteArrayInputStream(c.body()));
    }

    static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "https"})
    void putObjectWithDefaultChecksums(String scheme) {
        S3Client s3 = client(scheme);
        for (String key : SigV4VerifierTest.KEYS) {
            byte[] data = SdkOracle.bytes(200_000, key.hashCode());
            s3.putObject(b -> b.bucket("bucket").key(key), RequestBody.fromBytes(data));
            Captured c = http.last();
            assertEquals("/bucket/" + key, SigV4.percentDecode(c.request().rawPath(), false));
            DecodedBody body = verifyAndDecode(c);
            assertArrayEquals(data, SdkOracle.readAll(body.stream()), key);
            assertEquals(data.length, body.contentLength());
            // Current SDKs add a CRC32 by default; it must have been verified.
            assertNotNull(body.checksums().get(io.s3d.api.auth.ChecksumAlgorithm.CRC32), () -> "headers " + c.request().headers());
        }
        String mode = http.last().request().header("x-amz-content-sha256");
        assertEquals(scheme.equals("http") ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                mode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void putObjectWithChosenChecksum(String algorithm) {
        S3Client s3 = client("http");
        byte[] data = SdkOracle.bytes(300_000, 3);
        s3.putObject(b -> b.bucket("bucket").key("k").checksumAlgorithm(ChecksumAlgorithm.fromValue(algorithm)),
                RequestBody.fromInputStream(new ByteArrayInputStream(data), data.length));
        DecodedBody body = verifyAndDecode(http.last());
        assertArrayEquals(data, SdkOracle.readAll(body.stream()));
        var ours = io.s3d.api.auth.ChecksumAlgorithm.fromName(algorithm).orElseThrow();
        assertTrue(body.checksums().containsKey(ours), body.checksums().toString());
    }

    @Test
    void tamperedCapturedChunkIsRejected() {
        S3Client s3 = client("http");
        byte[] data = SdkOracle.bytes(10_000, 5);
        s3.putObject(b -> b.bucket("bucket").key("k"), RequestBody.fromBytes(data));
        Captured c = http.last();
        byte[] body = c.body().clone();
        body[body.length / 2] ^= 1;
        S3Exception e = assertThrows(S3Exception.class,
                () -> SdkOracle.readAll(verifyAndDecode(new Captured(c.request(), body)).stream()));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.errorCode());
    }

    @Test
    void uploadPartAndEmptyObject() {
        S3Client s3 = client("https");
        byte[] data = SdkOracle.bytes(70_000, 9);
        s3.uploadPart(b -> b.bucket("bucket").key("a/../b").uploadId("u p+1").partNumber(3),
                RequestBody.fromBytes(data));
        assertArrayEquals(data, SdkOracle.readAll(verifyAndDecode(http.last()).stream()));
        s3.putObject(b -> b.bucket("bucket").key("empty/"), RequestBody.empty());
        assertEquals(0, SdkOracle.readAll(verifyAndDecode(http.last()).stream()).length);
    }

    @Test
    void getsListsAndDeletes() throws Exception {
        S3Client s3 = client("http");
        s3.getObject(b -> b.bucket("bucket").key("ünï code/x+y").range("bytes=0-10").versionId("v 1"));
        verifier.verify(http.last().request());
        http.responseBody = "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></ListBucketResult>";
        s3.listObjectsV2(b -> b.bucket("bucket").prefix("dir ü+/%x/").delimiter("/").startAfter("").maxKeys(5)
                .encodingType("url"));
        verifier.verify(http.last().request());
        s3.listObjects(b -> b.bucket("bucket").prefix("a=b&c").marker("~m"));
        verifier.verify(http.last().request());
        http.responseBody = "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></DeleteResult>";
        s3.deleteObjects(b -> b.bucket("bucket").delete(d -> d.objects(o -> o.key("a"), o -> o.key("b ü"))));
        Captured c = http.last();
        DecodedBody body = verifyAndDecode(c);
        assertTrue(new String(SdkOracle.readAll(body.stream()), StandardCharsets.UTF_8).contains("<Key>b ü</Key>"));
    }

    @Test
    void virtualHostedStyle() {
        S3Client s3 = client("http", false);
        byte[] data = SdkOracle.bytes(1000, 11);
        s3.putObject(b -> b.bucket("bucket").key("a//b/../c"), RequestBody.fromBytes(data));
        Captured c = http.last();
        assertEquals("bucket.localhost:33333", c.request().header("host"));
        assertEquals("/a//b/../c", c.request().rawPath());
        assertArrayEquals(data, SdkOracle.readAll(verifyAndDecode(c).stream()));
    }

    @Test
    void completeMultipartUploadWithObjectChecksum() {
        S3Client s3 = client("http");
        http.responseBody = "<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "</CompleteMultipartUploadResult>";
        s3.completeMultipartUpload(b -> b.bucket("bucket").key("k").uploadId("id")
                .checksumCRC32("AAAAAQ==").checksumType("FULL_OBJECT")
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag("\"e1\"").checksumCRC32("AAAAAg=="))));
        Captured c = http.last();
        assertEquals("AAAAAQ==", c.request().header("x-amz-checksum-crc32"));
        String xml = new String(SdkOracle.readAll(verifyAndDecode(c).stream()), StandardCharsets.UTF_8);
        assertTrue(xml.contains("<ChecksumCRC32>AAAAAg==</ChecksumCRC32>"), xml);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "ünïcödé/日本語 ✓.txt", "with space", "a+b", "100%", "a/../b", "a//b", "trailing/"})
    void presignedGetAndPut(String key) {
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(URI.create("http://localhost:33333"))
                .region(Region.US_WEST_2)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SdkOracle.ACCESS_KEY, SdkOracle.SECRET_KEY)))
                .build()) {
            var get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .getObjectRequest(g -> g.bucket("bucket").key(key).responseContentType("text/plain")));
            AuthContext auth = verifier.verify(toRequest("GET", get.url(), get.signedHeaders()));
            assertTrue(auth.presigned());
            assertEquals("us-west-2", auth.region());

            var put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .putObjectRequest(o -> o.bucket("bucket").key(key).contentType("application/octet-stream")));
            SignedRequest request = toRequest("PUT", put.url(), put.signedHeaders());
            AuthContext putAuth = verifier.verify(request);
            assertEquals(PayloadMode.UNSIGNED, putAuth.payloadMode());
            byte[] data = "presigned body".getBytes(StandardCharsets.UTF_8);
            DecodedBody body = RequestBodyDecoder.decode(request, putAuth, new ByteArrayInputStream(data));
            assertArrayEquals(data, SdkOracle.readAll(body.stream()));

            // A presigned URL is good only for what was signed.
            SignedRequest other = new SignedRequest("DELETE", request.rawPath(), request.rawQuery(), request.headers());
            S3Exception e = assertThrows(S3Exception.class, () -> verifier.verify(other));
            assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.errorCode());
        }
    }

    static SignedRequest toRequest(String method, URL url, Map<String, List<String>> signedHeaders) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signedHeaders.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        return new SignedRequest(method, url.getPath().isEmpty() ? "/" : rawPath(url), rawQuery(url), headers);
    }

    static String rawPath(URL url) {
        try {
            return url.toURI().getRawPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String rawQuery(URL url) {
        try {
            return url.toURI().getRawQuery();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
