package io.s3d.api.auth;

import static io.s3d.api.auth.SdkOracle.bytes;
import static io.s3d.api.auth.SdkOracle.sign;
import static io.s3d.api.auth.SdkOracle.verifier;
import static io.s3d.api.auth.SdkOracle.withHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

class RequestBodyDecoderTest {

    static final byte[] BIG = bytes(300_000, 1);

    record Decoded(byte[] bytes, DecodedBody body, AuthContext auth) {
    }

    static Decoded verifyAndDecode(SdkOracle.Signed signed) {
        AuthContext auth = verifier().verify(signed.request());
        DecodedBody body = RequestBodyDecoder.decode(signed.request(), auth, signed.bodyStream());
        return new Decoded(SdkOracle.readAll(body.stream()), body, auth);
    }

    static void assertBodyFails(S3ErrorCode code, SdkOracle.Signed signed) {
        S3Exception e = assertThrows(S3Exception.class, () -> verifyAndDecode(signed));
        assertEquals(code, e.errorCode(), () -> "message: " + e.getMessage());
    }

    static String sdkChecksum(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm algorithm, byte[] data) {
        if (algorithm == DefaultChecksumAlgorithm.CRC64NVME) {
            // The SDK computes CRC64NVME only through the native CRT, which s3d does not ship.
            return Base64.getEncoder().encodeToString(ChecksumAlgorithmTest.referenceCrc64Nvme(data));
        }
        SdkChecksum checksum = SdkChecksum.forAlgorithm(algorithm);
        checksum.update(data, 0, data.length);
        return Base64.getEncoder().encodeToString(checksum.getChecksumBytes());
    }

    /** What the SDK can sign without the native CRT (so not CRC64NVME, covered by hand-made bodies). */
    static Stream<Arguments> sdkAlgorithms() {
        return Stream.of(
                Arguments.of(DefaultChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32),
                Arguments.of(DefaultChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC32C),
                Arguments.of(DefaultChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA1),
                Arguments.of(DefaultChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA256));
    }

    static Stream<Arguments> allAlgorithms() {
        return Stream.concat(sdkAlgorithms(),
                Stream.of(Arguments.of(DefaultChecksumAlgorithm.CRC64NVME, ChecksumAlgorithm.CRC64NVME)));
    }

    // ---- bodies as the SDK sends them

    @Test
    void signedPayload() {
        Decoded d = verifyAndDecode(sign("PUT", "/b/k", BIG, SdkOracle.Options.header()));
        assertEquals(PayloadMode.SIGNED, d.auth().payloadMode());
        assertArrayEquals(BIG, d.bytes());
        assertEquals(BIG.length, d.body().contentLength());
        assertEquals(Map.of(), d.body().checksums());
    }

    @Test
    void streamingSigned() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(null));
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", signed.request().header("x-amz-content-sha256"));
        Decoded d = verifyAndDecode(signed);
        assertEquals(PayloadMode.STREAMING_SIGNED, d.auth().payloadMode());
        assertArrayEquals(BIG, d.bytes());
        assertEquals(BIG.length, d.body().contentLength());
    }

    @Test
    void streamingSignedEmptyBody() {
        Decoded d = verifyAndDecode(sign("PUT", "/b/k", new byte[0], SdkOracle.Options.header().chunked(null)));
        assertEquals(0, d.bytes().length);
    }

    @ParameterizedTest
    @MethodSource("sdkAlgorithms")
    void streamingSignedTrailer(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk, ChecksumAlgorithm ours) {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(sdk));
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", signed.request().header("x-amz-content-sha256"));
        Decoded d = verifyAndDecode(signed);
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, d.auth().payloadMode());
        assertArrayEquals(BIG, d.bytes());
        assertEquals(Map.of(ours, sdkChecksum(sdk, BIG)), d.body().checksums());
    }

    @ParameterizedTest
    @MethodSource("sdkAlgorithms")
    void streamingUnsignedTrailer(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk, ChecksumAlgorithm ours) {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().unsignedPayload().chunked(sdk));
        assertEquals("STREAMING-UNSIGNED-PAYLOAD-TRAILER", signed.request().header("x-amz-content-sha256"));
        Decoded d = verifyAndDecode(signed);
        assertEquals(PayloadMode.STREAMING_UNSIGNED_TRAILER, d.auth().payloadMode());
        assertArrayEquals(BIG, d.bytes());
        assertEquals(Map.of(ours, sdkChecksum(sdk, BIG)), d.body().checksums());
    }

    @ParameterizedTest
    @MethodSource("allAlgorithms")
    void checksumInHeader(software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdk, ChecksumAlgorithm ours) {
        var signed = sign("PUT", "/b/k", Map.of(ours.headerName(), sdkChecksum(sdk, BIG)), BIG,
                SdkOracle.Options.header().unsignedPayload());
        Decoded d = verifyAndDecode(signed);
        assertEquals(Map.of(ours, sdkChecksum(sdk, BIG)), d.body().checksums());
    }

    @Test
    void requestedAlgorithmWithoutValueIsComputed() {
        var signed = sign("PUT", "/b/k", Map.of("x-amz-sdk-checksum-algorithm", "CRC32C"), BIG,
                SdkOracle.Options.header());
        Decoded d = verifyAndDecode(signed);
        assertEquals(Map.of(ChecksumAlgorithm.CRC32C, sdkChecksum(DefaultChecksumAlgorithm.CRC32C, BIG)),
                d.body().checksums());
    }

    @Test
    void checksumHeadersAboutTheObjectAreNotCheckedAgainstTheBody() {
        byte[] xml = "<CompleteMultipartUpload/>".getBytes(StandardCharsets.UTF_8);
        // CompleteMultipartUpload carries the whole object's checksum (here a composite one).
        var complete = sign("POST", "/b/k?uploadId=abc", Map.of("x-amz-checksum-crc32", "AAAAAA==-3",
                "x-amz-checksum-type", "COMPOSITE"), xml, SdkOracle.Options.header());
        Decoded d = verifyAndDecode(complete);
        assertArrayEquals(xml, d.bytes());
        assertEquals(Map.of(), d.body().checksums());
        var create = sign("POST", "/b/k?uploads", Map.of("x-amz-checksum-algorithm", "SHA256"), new byte[0],
                SdkOracle.Options.header());
        assertEquals(Map.of(), verifyAndDecode(create).body().checksums());
        var copy = sign("PUT", "/b/k", Map.of("x-amz-copy-source", "/b/other", "x-amz-checksum-algorithm", "CRC32C"),
                new byte[0], SdkOracle.Options.header());
        assertEquals(Map.of(), verifyAndDecode(copy).body().checksums());
        // An upload part's checksum header is about the part: checked.
        var part = sign("PUT", "/b/k?partNumber=1&uploadId=abc", Map.of("x-amz-checksum-crc32", "AAAAAQ=="), BIG,
                SdkOracle.Options.header());
        assertBodyFails(S3ErrorCode.BAD_DIGEST, part);
    }

    @Test
    void checksumsBeforeEndOfStreamAreAnError() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header());
        DecodedBody body = RequestBodyDecoder.decode(signed.request(), verifier().verify(signed.request()),
                signed.bodyStream());
        assertThrows(IllegalStateException.class, body::checksums);
    }

    @Test
    void unauthenticatedServerStillDecodesSignedChunks() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32));
        var open = new SigV4Verifier(CredentialStore.of(Map.of()), SdkOracle.CLOCK);
        AuthContext auth = open.verify(signed.request());
        byte[] tampered = signed.body().clone();
        // Signatures are not checked without credentials, but framing and checksums still are.
        int sig = indexOf(tampered, "chunk-signature=".getBytes(StandardCharsets.US_ASCII), 0) + 16;
        tampered[sig] = (byte) (tampered[sig] == 'a' ? 'b' : 'a');
        DecodedBody body = RequestBodyDecoder.decode(signed.request(), auth, new ByteArrayInputStream(tampered));
        assertArrayEquals(BIG, SdkOracle.readAll(body.stream()));
        assertEquals(1, body.checksums().size());
    }

    @Test
    void readingExactlyTheDeclaredLengthSettlesEveryCheck() throws IOException {
        // A consumer that stops after contentLength() bytes still gets the failure, and the checksums.
        var good = sign("PUT", "/b/k", BIG,
                SdkOracle.Options.header().unsignedPayload().chunked(DefaultChecksumAlgorithm.CRC32));
        AuthContext auth = verifier().verify(good.request());
        DecodedBody body = RequestBodyDecoder.decode(good.request(), auth, good.bodyStream());
        assertArrayEquals(BIG, body.stream().readNBytes(BIG.length));
        assertEquals(sdkChecksum(DefaultChecksumAlgorithm.CRC32, BIG), body.checksums().get(ChecksumAlgorithm.CRC32));

        byte[] wrongTrailer = replaceTrailerValue(good.body(), "x-amz-checksum-crc32:", "AAAAAA==");
        DecodedBody bad = RequestBodyDecoder.decode(good.request(), auth, new ByteArrayInputStream(wrongTrailer));
        S3Exception e = assertThrows(S3Exception.class, () -> bad.stream().readNBytes(BIG.length));
        assertEquals(S3ErrorCode.BAD_DIGEST, e.errorCode());

        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header());
        byte[] tampered = signed.body().clone();
        tampered[5] ^= 1;
        DecodedBody badSha = RequestBodyDecoder.decode(signed.request(), verifier().verify(signed.request()),
                new ByteArrayInputStream(tampered));
        e = assertThrows(S3Exception.class, () -> badSha.stream().readNBytes(BIG.length));
        assertEquals(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH, e.errorCode());
    }

    @Test
    void emptyChunkedBodyIsCheckedWithoutAnyRead() {
        var signed = sign("PUT", "/b/k", new byte[0],
                SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32));
        // CRC32 of nothing is 0, i.e. AAAAAA==; anything else is a tampered trailer.
        byte[] wrong = replaceTrailerValue(signed.body(), "x-amz-checksum-crc32:", "AAAAAQ==");
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(wrong));
        Decoded d = verifyAndDecode(signed);
        assertEquals("AAAAAA==", d.body().checksums().get(ChecksumAlgorithm.CRC32));
    }

    @Test
    void trailingGarbageAfterTheDeclaredLength() {
        byte[] wire = "5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        S3Exception e = assertThrows(S3Exception.class,
                () -> SdkOracle.readAll(decodeOpen(unsignedChunked(5, null), wire).stream()));
        assertEquals(S3ErrorCode.INCOMPLETE_BODY, e.errorCode());
    }

    // ---- tampering

    @Test
    void tamperedSignedPayload() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header());
        byte[] body = signed.body().clone();
        body[1000] ^= 1;
        assertBodyFails(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH, signed.withBody(body));
    }

    @Test
    void tamperedChunkData() {
        for (var signed : List.of(sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(null)),
                sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32)))) {
            byte[] body = signed.body().clone();
            body[250_000] ^= 1;
            assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(body));
        }
    }

    @Test
    void tamperedFinalChunkSignature() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(null));
        byte[] body = signed.body().clone();
        int last = lastIndexOf(body, "0;chunk-signature=".getBytes(StandardCharsets.US_ASCII)) + 18;
        body[last] = (byte) (body[last] == 'a' ? 'b' : 'a');
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(body));
    }

    @Test
    void droppedOrReorderedChunk() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(null));
        byte[] body = signed.body();
        // Remove the second chunk entirely: framing stays valid but the signature chain breaks.
        int first = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        int secondStart = first + 2 + 131072 + 2;
        int secondEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), secondStart) + 2 + 131072 + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, secondStart);
        out.write(body, secondEnd, body.length - secondEnd);
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(out.toByteArray()));
    }

    @Test
    void unsignedChunksInASignedStream() {
        // Stripping the chunk signatures keeps valid framing but must not pass as signed.
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(null));
        String text = new String(signed.body(), StandardCharsets.ISO_8859_1);
        byte[] stripped = text.replaceAll(";chunk-signature=[0-9a-f]{64}", "").getBytes(StandardCharsets.ISO_8859_1);
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(stripped));
    }

    @Test
    void tamperedTrailerSigned() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32));
        byte[] body = replaceTrailerValue(signed.body(), "x-amz-checksum-crc32:", "AAAAAA==");
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(body));
    }

    @Test
    void tamperedTrailerSignature() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32));
        byte[] body = signed.body().clone();
        int sig = lastIndexOf(body, "x-amz-trailer-signature:".getBytes(StandardCharsets.US_ASCII)) + 24;
        body[sig] = (byte) (body[sig] == 'a' ? 'b' : 'a');
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, signed.withBody(body));
    }

    @Test
    void missingTrailerSignature() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32));
        String text = new String(signed.body(), StandardCharsets.ISO_8859_1);
        String stripped = text.replaceAll("x-amz-trailer-signature:[0-9a-f]+\r\n", "");
        assertBodyFails(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                signed.withBody(stripped.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void wrongUnsignedTrailerIsBadDigest() {
        var signed = sign("PUT", "/b/k", BIG,
                SdkOracle.Options.header().unsignedPayload().chunked(DefaultChecksumAlgorithm.CRC32));
        byte[] body = replaceTrailerValue(signed.body(), "x-amz-checksum-crc32:", "AAAAAA==");
        S3Exception e = assertThrows(S3Exception.class, () -> verifyAndDecode(signed.withBody(body)));
        assertEquals(S3ErrorCode.BAD_DIGEST, e.errorCode());
        assertEquals("The CRC32 you specified did not match the calculated checksum.", e.getMessage());
    }

    @Test
    void tamperedUnsignedChunkIsBadDigest() {
        var signed = sign("PUT", "/b/k", BIG,
                SdkOracle.Options.header().unsignedPayload().chunked(DefaultChecksumAlgorithm.CRC32C));
        byte[] body = signed.body().clone();
        body[200_000] ^= 1;
        assertBodyFails(S3ErrorCode.BAD_DIGEST, signed.withBody(body));
    }

    @Test
    void wrongHeaderChecksum() {
        var signed = sign("PUT", "/b/k", Map.of("x-amz-checksum-crc32", "AAAAAA=="), BIG,
                SdkOracle.Options.header().unsignedPayload());
        S3Exception e = assertThrows(S3Exception.class, () -> verifyAndDecode(signed));
        assertEquals(S3ErrorCode.BAD_DIGEST, e.errorCode());
        assertEquals("The CRC32 you specified did not match the calculated checksum.", e.getMessage());
    }

    @Test
    void malformedChecksumHeaders() {
        var signed = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().unsignedPayload());
        AuthContext auth = verifier().verify(signed.request());
        for (SignedRequest bad : List.of(
                withHeader(signed.request(), "x-amz-checksum-crc32", "not base64!"),
                withHeader(signed.request(), "x-amz-checksum-crc32", "AAAAAAAA"),
                withHeader(withHeader(signed.request(), "x-amz-checksum-crc32", "AAAAAA=="),
                        "x-amz-checksum-sha1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                withHeader(signed.request(), "x-amz-sdk-checksum-algorithm", "MD5"),
                withHeader(signed.request(), "x-amz-trailer", "x-amz-checksum-crc32"))) {
            S3Exception e = assertThrows(S3Exception.class,
                    () -> RequestBodyDecoder.decode(bad, auth, signed.bodyStream()));
            assertEquals(S3ErrorCode.INVALID_REQUEST, e.errorCode(), e.getMessage());
        }
    }

    @Test
    void truncatedBodies() {
        var plain = sign("PUT", "/b/k", BIG, SdkOracle.Options.header());
        assertBodyFails(S3ErrorCode.INCOMPLETE_BODY, plain.withBody(Arrays.copyOf(plain.body(), 1000)));
        var unsigned = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().unsignedPayload());
        assertBodyFails(S3ErrorCode.INCOMPLETE_BODY, unsigned.withBody(Arrays.copyOf(unsigned.body(), 1000)));
        var chunked = sign("PUT", "/b/k", BIG, SdkOracle.Options.header().chunked(DefaultChecksumAlgorithm.CRC32));
        for (int cut : new int[] {0, 10, 1000, 131_100, chunked.body().length - 100, chunked.body().length - 3}) {
            assertBodyFails(S3ErrorCode.INCOMPLETE_BODY, chunked.withBody(Arrays.copyOf(chunked.body(), cut)));
        }
    }

    @Test
    void decodedLengthMismatch() {
        // The header is signed, so the client itself must have declared the wrong length.
        for (int declared : new int[] {BIG.length + 1, BIG.length - 1, 0}) {
            assertBodyFails(S3ErrorCode.INCOMPLETE_BODY, sign("PUT", "/b/k",
                    Map.of("x-amz-decoded-content-length", Integer.toString(declared)), BIG,
                    SdkOracle.Options.header().chunked(null)));
        }
    }

    // ---- hand-made framing (unsigned chunks, where any framing can be expressed)

    static SignedRequest unsignedChunked(long decodedLength, String trailer) {
        var headers = new java.util.LinkedHashMap<String, List<String>>();
        headers.put("x-amz-content-sha256", List.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER"));
        headers.put("content-encoding", List.of("aws-chunked"));
        headers.put("x-amz-decoded-content-length", List.of(Long.toString(decodedLength)));
        if (trailer != null) {
            headers.put("x-amz-trailer", List.of(trailer));
        }
        return new SignedRequest("PUT", "/b/k", null, headers);
    }

    static DecodedBody decodeOpen(SignedRequest request, byte[] body) {
        AuthContext auth = new SigV4Verifier(CredentialStore.of(Map.of()), SdkOracle.CLOCK).verify(request);
        return RequestBodyDecoder.decode(request, auth, new ByteArrayInputStream(body));
    }

    static void assertFraming(String body) {
        S3Exception e = assertThrows(S3Exception.class, () -> SdkOracle.readAll(
                decodeOpen(unsignedChunked(5, null), body.getBytes(StandardCharsets.ISO_8859_1)).stream()));
        assertEquals(S3ErrorCode.INCOMPLETE_BODY, e.errorCode(), e.getMessage());
    }

    @Test
    void badFraming() {
        assertFraming("zz\r\nhello\r\n0\r\n\r\n");
        assertFraming("5\r\nhelloXX0\r\n\r\n");
        assertFraming("6\r\nhello\r\n0\r\n\r\n");
        assertFraming("5\r\nhel");
        assertFraming("5" + "0".repeat(20) + "\r\nhello\r\n0\r\n\r\n");
        assertFraming("5;" + "x".repeat(10_000) + "\r\nhello\r\n0\r\n\r\n");
        assertFraming("5\r\nhello\r\n");
        assertFraming("5\r\nhello\r\n0\r\nnot a trailer\r\n\r\n");
        assertFraming("");
    }

    @Test
    void unsignedChunksWithExtensionsAndTrailers() throws IOException {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        String crc = sdkChecksum(DefaultChecksumAlgorithm.CRC32, data);
        DecodedBody body = decodeOpen(unsignedChunked(5, "x-amz-checksum-crc32"),
                ("2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nx-amz-checksum-crc32:" + crc + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream in = body.stream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0;) {
            out.write(c);
        }
        assertArrayEquals(data, out.toByteArray());
        assertEquals(Map.of(ChecksumAlgorithm.CRC32, crc), body.checksums());
        assertEquals(5, body.contentLength());
    }

    @Test
    void missingAnnouncedTrailer() {
        S3Exception e = assertThrows(S3Exception.class, () -> SdkOracle.readAll(decodeOpen(
                unsignedChunked(5, "x-amz-checksum-crc32"),
                "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).stream()));
        assertEquals(S3ErrorCode.INVALID_REQUEST, e.errorCode());
    }

    @Test
    void failuresAreSticky() {
        DecodedBody body = decodeOpen(unsignedChunked(5, null), "zz\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = body.stream();
        S3Exception first = assertThrows(S3Exception.class, () -> in.read(new byte[10]));
        S3Exception second = assertThrows(S3Exception.class, () -> in.read(new byte[10]));
        assertTrue(first == second);
    }

    @Test
    void largeChunksAreReadThrough() throws IOException {
        // An 8 MiB + 1 chunk in one piece, read with a 1 MiB buffer: nothing needs the whole chunk in memory.
        int size = 8 * 1024 * 1024 + 1;
        byte[] data = bytes(size, 7);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(data);
        wire.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        var request = withHeader(unsignedChunked(size, null), "x-amz-sdk-checksum-algorithm", "CRC64NVME");
        DecodedBody body = decodeOpen(request, wire.toByteArray());
        InputStream in = body.stream();
        byte[] buffer = new byte[1024 * 1024];
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (int n; (n = in.read(buffer)) >= 0;) {
            assertTrue(n <= buffer.length);
            out.write(buffer, 0, n);
        }
        assertArrayEquals(data, out.toByteArray());
        assertEquals(sdkChecksum(DefaultChecksumAlgorithm.CRC64NVME, data), body.checksums().get(ChecksumAlgorithm.CRC64NVME));
    }

    @Test
    void largeSignedChunkedBodyStreamsEndToEnd() throws IOException {
        // 64 MiB produced by the SDK's chunk signer and consumed by the decoder as one pipeline:
        // neither side ever holds the body, so this passes with a small heap.
        long size = 64L * 1024 * 1024;
        var request = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.PUT)
                .uri(java.net.URI.create("http://localhost:33333/bucket/big"))
                .putHeader("Content-Length", Long.toString(size))
                .build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
                        SdkOracle.ACCESS_KEY, SdkOracle.SECRET_KEY))
                .request(request)
                .payload(() -> new PatternStream(size))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SIGNING_CLOCK, SdkOracle.CLOCK)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.CHECKSUM_ALGORITHM,
                        DefaultChecksumAlgorithm.CRC32C));
        SignedRequest ours = SdkOracle.toSignedRequest(signed.request());
        AuthContext auth = verifier().verify(ours);
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, auth.payloadMode());
        DecodedBody body = RequestBodyDecoder.decode(ours, auth, signed.payload().orElseThrow().newStream());
        InputStream in = body.stream();
        InputStream expected = new PatternStream(size);
        byte[] buffer = new byte[256 * 1024];
        byte[] want = new byte[buffer.length];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0;) {
            assertEquals(n, expected.readNBytes(want, 0, n));
            assertTrue(Arrays.equals(buffer, 0, n, want, 0, n), "content at " + total);
            total += n;
        }
        assertEquals(size, total);
        assertEquals(size, body.contentLength());
        assertEquals(1, body.checksums().size());
    }

    /** A deterministic, never-materialised body. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) ((position++ * 31 + 7) >>> 3) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (((position++ * 31 + 7) >>> 3) & 0xff);
            }
            return n;
        }
    }

    @Test
    void contentEncodingAwsChunkedWithUnsignedPayload() {
        byte[] wire = "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        var headers = Map.of("x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD"),
                "content-encoding", List.of("gzip, aws-chunked"),
                "x-amz-decoded-content-length", List.of("5"));
        DecodedBody body = decodeOpen(new SignedRequest("PUT", "/b/k", null, headers), wire);
        assertEquals("hello", new String(SdkOracle.readAll(body.stream()), StandardCharsets.UTF_8));
    }

    // ---- byte helpers

    static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int lastIndexOf(byte[] hay, byte[] needle) {
        int found = -1;
        for (int i = indexOf(hay, needle, 0); i >= 0; i = indexOf(hay, needle, i + 1)) {
            found = i;
        }
        return found;
    }

    static byte[] replaceTrailerValue(byte[] body, String prefix, String value) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        int start = lastIndexOf(body, p) + p.length;
        int end = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), start);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, start);
        out.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
        out.write(body, end, body.length - end);
        return out.toByteArray();
    }
}
