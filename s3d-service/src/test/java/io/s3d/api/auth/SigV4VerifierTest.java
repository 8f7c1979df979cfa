package io.s3d.api.auth;

import static io.s3d.api.auth.SdkOracle.ACCESS_KEY;
import static io.s3d.api.auth.SdkOracle.NOW;
import static io.s3d.api.auth.SdkOracle.encodeKey;
import static io.s3d.api.auth.SdkOracle.sign;
import static io.s3d.api.auth.SdkOracle.verifier;
import static io.s3d.api.auth.SdkOracle.withHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SigV4VerifierTest {

    static final String[] KEYS = {"plain.txt", "ünïcödé/日本語 ✓.txt", "with space", "a+b", "100%", "50%25",
        "tilde~x", "a/../b", "a//b", "//lead", "trailing/", "./dot", "weird&=?#;:,@$!'()*[]{}|^`\"<>\\key",
        "emoji 😀", "tab\tand\nnewline"};

    static void assertCode(S3ErrorCode code, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(code, e.errorCode(), () -> "message: " + e.getMessage());
    }

    @Test
    void headerSignedGetWithEmptyPayloadHash() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        AuthContext auth = verifier().verify(signed.request());
        assertEquals(ACCESS_KEY, auth.accessKeyId());
        assertEquals(PayloadMode.SIGNED, auth.payloadMode());
        assertEquals(SigV4.EMPTY_SHA256, auth.declaredSha256Hex());
        assertEquals("20261127/us-east-1/s3/aws4_request", auth.scope());
        assertEquals("us-east-1", auth.region());
    }

    @Test
    void unsignedPayload() {
        var signed = sign("PUT", "/bucket/key", "hello".getBytes(StandardCharsets.UTF_8),
                SdkOracle.Options.header().unsignedPayload());
        assertEquals("UNSIGNED-PAYLOAD", signed.request().header("x-amz-content-sha256"));
        AuthContext auth = verifier().verify(signed.request());
        assertEquals(PayloadMode.UNSIGNED, auth.payloadMode());
        assertNull(auth.declaredSha256Hex());
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.txt", "ünïcödé/日本語 ✓.txt", "with space", "a+b", "100%", "50%25", "tilde~x",
        "a/../b", "a//b", "//lead", "trailing/", "./dot", "weird&=?#;:,@$!'()*[]{}|^`\"<>\\key", "emoji 😀",
        "tab\tand\nnewline"})
    void keysAreCanonicalisedLikeS3(String key) {
        byte[] body = ("body of " + key).getBytes(StandardCharsets.UTF_8);
        var signed = sign("PUT", "/bucket/" + encodeKey(key), body, SdkOracle.Options.header());
        AuthContext auth = verifier().verify(signed.request());
        DecodedBody decoded = RequestBodyDecoder.decode(signed.request(), auth, signed.bodyStream());
        assertArrayEquals(body, SdkOracle.readAll(decoded.stream()));
        assertEquals("/bucket/" + key, SigV4.percentDecode(signed.request().rawPath(), false));
    }

    @Test
    void rawUnencodedCharactersInPathSignLikeTheirEncoding() {
        // Some clients send '~', '!' or '$' raw; the canonical form is the same either way.
        var signed = sign("GET", "/bucket/a~b%21c", null, SdkOracle.Options.header());
        SignedRequest raw = new SignedRequest("GET", "/bucket/a%7Eb!c", null, signed.request().headers());
        verifier().verify(raw);
    }

    @Test
    void pathSignedExactlyAsSentIsAccepted() throws Exception {
        // Clients that send sub-delimiters raw (or lower-case escapes) and sign the path as sent.
        for (String rawPath : List.of("/bucket/a!b$c'd(e)f*g,h;i=j:k@l", "/bucket/lower%2fcase%c3%bc")) {
            var headers = new java.util.LinkedHashMap<String, List<String>>();
            headers.put("host", List.of("localhost:33333"));
            headers.put("x-amz-date", List.of("20261127T030000Z"));
            headers.put("x-amz-content-sha256", List.of(SigV4.UNSIGNED_PAYLOAD));
            SignedRequest request = new SignedRequest("GET", rawPath, null, headers);
            String canonical = "GET\n" + rawPath + "\n\nhost:localhost:33333\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"
                    + "x-amz-date:20261127T030000Z\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD";
            byte[] key = SigV4.signingKey(SdkOracle.SECRET_KEY, "20261127", "us-east-1", "s3");
            String signature = SigV4.sign(key,
                    SigV4Verifier.stringToSign("20261127T030000Z", "20261127/us-east-1/s3/aws4_request", canonical));
            headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
                    + "/20261127/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
                    + signature));
            verifier().verify(request);
        }
    }

    @Test
    void queryIsSortedAndReEncoded() {
        String query = "?list-type=2&prefix=" + encodeKey("dir ü+/%x").replace("/", "%2F")
                + "&delimiter=%2F&max-keys=10&encoding-type=url&start-after=&uploads";
        var signed = sign("GET", "/bucket" + query, null, SdkOracle.Options.header());
        verifier().verify(signed.request());
    }

    @Test
    void repeatedAndPaddedHeaderValues() {
        var signed = sign("PUT", "/bucket/key",
                Map.of("x-amz-meta-spaced", "  a   lot    of  space  ", "Content-Type", "text/plain"),
                new byte[0], SdkOracle.Options.header());
        verifier().verify(signed.request());
        // Our view of the same request with the padding folded differently still canonicalises equally.
        verifier().verify(withHeader(signed.request(), "x-amz-meta-spaced", "a lot of space"));
    }

    @Test
    void anyRegionIsAccepted() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().region("eu-central-1"));
        assertEquals("eu-central-1", verifier().verify(signed.request()).region());
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        var other = new SigV4Verifier(CredentialStore.of(Map.of(ACCESS_KEY, "not-the-secret")), SdkOracle.CLOCK);
        S3Exception e = assertThrows(S3Exception.class, () -> other.verify(signed.request()));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.errorCode());
        assertEquals(ACCESS_KEY, e.extraElements().get("AWSAccessKeyId"));
        assertTrue(e.extraElements().get("CanonicalRequest").startsWith("GET\n/bucket/key\n\nhost:localhost:33333\n"));
        assertTrue(e.extraElements().get("StringToSign").startsWith("AWS4-HMAC-SHA256\n20261127T030000Z\n"));
    }

    @Test
    void tamperedRequestIsSignatureDoesNotMatch() {
        var signed = sign("GET", "/bucket/key?versionId=1", Map.of("Range", "bytes=0-9"), null,
                SdkOracle.Options.header());
        SignedRequest r = signed.request();
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("GET", "/bucket/key2", r.rawQuery(), r.headers())));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("GET", r.rawPath(), "versionId=2", r.headers())));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("HEAD", r.rawPath(), r.rawQuery(), r.headers())));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(withHeader(r, "range", "bytes=0-99")));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("GET", "/bucket/a/../key", r.rawQuery(), r.headers())));
        String auth = r.header("authorization");
        String flipped = auth.substring(0, auth.length() - 1) + (auth.endsWith("0") ? "1" : "0");
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(withHeader(r, "authorization", flipped)));
    }

    @Test
    void unknownAccessKey() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        var other = new SigV4Verifier(CredentialStore.of(Map.of("OTHERKEY", "x")), SdkOracle.CLOCK);
        assertCode(S3ErrorCode.INVALID_ACCESS_KEY_ID, () -> other.verify(signed.request()));
    }

    @Test
    void clockSkew() {
        var late = sign("GET", "/bucket/key", null, SdkOracle.Options.header().at(NOW.minus(Duration.ofMinutes(16))));
        S3Exception e = assertThrows(S3Exception.class, () -> verifier().verify(late.request()));
        assertEquals(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, e.errorCode());
        assertEquals(Map.of("RequestTime", "20261127T024400Z", "ServerTime", "2026-11-27T03:00:00Z",
                "MaxAllowedSkewMilliseconds", "900000"), e.extraElements());
        var early = sign("GET", "/bucket/key", null, SdkOracle.Options.header().at(NOW.plus(Duration.ofMinutes(16))));
        assertCode(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, () -> verifier().verify(early.request()));
        var fine = sign("GET", "/bucket/key", null, SdkOracle.Options.header().at(NOW.minus(Duration.ofMinutes(14))));
        verifier().verify(fine.request());
    }

    @Test
    void missingAuthenticationIsAccessDenied() {
        var anonymous = new SignedRequest("GET", "/bucket/key", null, Map.of("host", List.of("localhost")));
        assertCode(S3ErrorCode.ACCESS_DENIED, () -> verifier().verify(anonymous));
    }

    @Test
    void emptyStoreAcceptsEverythingButReadsThePayloadMode() {
        var open = new SigV4Verifier(CredentialStore.of(Map.of()), SdkOracle.CLOCK);
        var anonymous = new SignedRequest("PUT", "/bucket/key", null,
                Map.of("x-amz-content-sha256", List.of("STREAMING-UNSIGNED-PAYLOAD-TRAILER")));
        AuthContext a = open.verify(anonymous);
        assertNull(a.accessKeyId());
        assertEquals(PayloadMode.STREAMING_UNSIGNED_TRAILER, a.payloadMode());
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().at(NOW.minus(Duration.ofDays(3))));
        AuthContext b = open.verify(withHeader(signed.request(), "authorization",
                signed.request().header("authorization").replace("Signature=", "Signature=00")));
        assertEquals(ACCESS_KEY, b.accessKeyId());
        assertEquals(PayloadMode.SIGNED, b.payloadMode());
        assertNull(b.signingKey());
        assertEquals(PayloadMode.UNSIGNED, open.verify(new SignedRequest("GET", "/", null, Map.of())).payloadMode());
    }

    @Test
    void sigV2IsHandedToTheV2Verifier() {
        // A V2 header is verified as V2 (see SigV2VerifierTest), not refused: here its date is far off.
        var v2 = new SignedRequest("GET", "/bucket/key", null,
                Map.of("authorization", List.of("AWS " + ACCESS_KEY + ":frJIUN8DYpKDtOLCwo//yllqDzg="),
                        "date", List.of("Fri, 27 Nov 2026 03:00:00 GMT")));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, () -> verifier().verify(v2));
        var v2Query = new SignedRequest("GET", "/bucket/key",
                "AWSAccessKeyId=" + ACCESS_KEY + "&Expires=1900000000&Signature=abc", Map.of());
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, () -> verifier().verify(v2Query));
    }

    @Test
    void malformedAuthorizationHeader() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        SignedRequest r = signed.request();
        String auth = r.header("authorization");
        for (String bad : List.of(
                "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/20261127/us-east-1/s3/aws4_request",
                auth.replace("SignedHeaders=", "SignedHeaderz="),
                auth.replace("/s3/", "/ec2/"),
                auth.replace("/aws4_request", "/aws5_request"),
                auth.replace("/20261127/", "/2026-11-27/"),
                auth.replace("/20261127/", "/20261126/"),
                auth.replace("/us-east-1/", "/"),
                "AWS4-HMAC-SHA512 Credential=x")) {
            assertCode(S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED, () -> verifier().verify(withHeader(r, "authorization", bad)));
        }
    }

    @Test
    void missingOrBadContentSha256() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        assertCode(S3ErrorCode.INVALID_REQUEST,
                () -> verifier().verify(withHeader(signed.request(), "x-amz-content-sha256", null)));
        assertCode(S3ErrorCode.INVALID_ARGUMENT,
                () -> verifier().verify(withHeader(signed.request(), "x-amz-content-sha256", "abc")));
    }

    @Test
    void missingDate() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        assertCode(S3ErrorCode.ACCESS_DENIED, () -> verifier().verify(withHeader(signed.request(), "x-amz-date", null)));
    }

    @Test
    void multipleValuesOfOneHeaderAreJoinedWithCommas() {
        var request = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.GET)
                .uri(java.net.URI.create("http://localhost:33333/bucket/key"))
                .appendHeader("x-amz-meta-multi", "one")
                .appendHeader("x-amz-meta-multi", "  two  three ")
                .build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(ACCESS_KEY, SdkOracle.SECRET_KEY))
                .request(request)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SIGNING_CLOCK, SdkOracle.CLOCK));
        SignedRequest ours = SdkOracle.toSignedRequest(signed.request());
        assertEquals(List.of("one", "  two  three "), ours.headers().get("x-amz-meta-multi"));
        verifier().verify(ours);
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, () -> verifier().verify(withHeader(ours, "x-amz-meta-multi", "one")));
    }

    @Test
    void dateHeaderInsteadOfXAmzDate() {
        // Clients may sign the Date header instead of x-amz-date; the string to sign uses its ISO form.
        String amzDate = "20261127T025900Z";
        var headers = new java.util.LinkedHashMap<String, List<String>>();
        headers.put("host", List.of("localhost:33333"));
        headers.put("date", List.of("Fri, 27 Nov 2026 02:59:00 GMT"));
        headers.put("x-amz-content-sha256", List.of(SigV4.UNSIGNED_PAYLOAD));
        SignedRequest unsigned = new SignedRequest("GET", "/bucket/key", null, headers);
        List<String> signedHeaders = List.of("date", "host", "x-amz-content-sha256");
        String canonical = SigV4Verifier.canonicalRequest(unsigned, signedHeaders, null, SigV4.UNSIGNED_PAYLOAD);
        byte[] key = SigV4.signingKey(SdkOracle.SECRET_KEY, "20261127", "us-east-1", "s3");
        String signature = SigV4.sign(key, SigV4Verifier.stringToSign(amzDate, "20261127/us-east-1/s3/aws4_request", canonical));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
                + "/20261127/us-east-1/s3/aws4_request,SignedHeaders=date;host;x-amz-content-sha256,Signature=" + signature));
        assertEquals(amzDate, verifier().verify(unsigned).amzDate());
        headers.put("date", List.of("not a date"));
        assertCode(S3ErrorCode.ACCESS_DENIED, () -> verifier().verify(unsigned));
    }

    @Test
    void emptyStoreAcceptsPresignedAndSigV2() {
        var open = new SigV4Verifier(CredentialStore.of(Map.of()), SdkOracle.CLOCK);
        var expired = sign("GET", "/bucket/key", null,
                SdkOracle.Options.header().at(NOW.minus(Duration.ofDays(30))).presigned(Duration.ofHours(1)));
        AuthContext auth = open.verify(expired.request());
        assertEquals(ACCESS_KEY, auth.accessKeyId());
        assertEquals(PayloadMode.UNSIGNED, auth.payloadMode());
        open.verify(new SignedRequest("GET", "/bucket/key", null, Map.of("authorization", List.of("AWS a:b"))));
    }

    // ---- presigned URLs

    @Test
    void presignedGet() {
        var signed = sign("GET", "/bucket/" + encodeKey("ünïcödé/a b+c"), null,
                SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        assertTrue(signed.request().rawQuery().contains("X-Amz-Signature="));
        AuthContext auth = verifier().verify(signed.request());
        assertTrue(auth.presigned());
        assertEquals(PayloadMode.UNSIGNED, auth.payloadMode());
        assertEquals(ACCESS_KEY, auth.accessKeyId());
    }

    @Test
    void presignedWithExtraQueryParameters() {
        var signed = sign("GET", "/bucket/key?response-content-type=text%2Fplain&partNumber=1", null,
                SdkOracle.Options.header().presigned(Duration.ofMinutes(5)));
        verifier().verify(signed.request());
    }

    @Test
    void presignedExpired() {
        var signed = sign("GET", "/bucket/key", null,
                SdkOracle.Options.header().at(NOW.minus(Duration.ofHours(2))).presigned(Duration.ofHours(1)));
        S3Exception e = assertThrows(S3Exception.class, () -> verifier().verify(signed.request()));
        assertEquals(S3ErrorCode.ACCESS_DENIED, e.errorCode());
        assertEquals("Request has expired", e.getMessage());
        // Still valid just before expiry, even though older than the 15 minute skew.
        var old = sign("GET", "/bucket/key", null,
                SdkOracle.Options.header().at(NOW.minus(Duration.ofMinutes(59))).presigned(Duration.ofHours(1)));
        verifier().verify(old.request());
    }

    @Test
    void presignedExpiresOutOfRangeOrMalformed() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        SignedRequest r = signed.request();
        for (String expires : List.of("604801", "abc", "-1", "")) {
            SignedRequest bad = new SignedRequest("GET", r.rawPath(),
                    r.rawQuery().replace("X-Amz-Expires=3600", "X-Amz-Expires=" + expires), r.headers());
            assertCode(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, () -> verifier().verify(bad));
        }
        SignedRequest noSignature = new SignedRequest("GET", r.rawPath(),
                r.rawQuery().replaceAll("&?X-Amz-Signature=[0-9a-f]+", ""), r.headers());
        assertCode(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, () -> verifier().verify(noSignature));
        SignedRequest badAlgorithm = new SignedRequest("GET", r.rawPath(),
                r.rawQuery().replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"), r.headers());
        assertCode(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, () -> verifier().verify(badAlgorithm));
    }

    @Test
    void presignedCredentialProblems() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        SignedRequest r = signed.request();
        for (String[] swap : new String[][] {
                {"%2F20261127%2F", "%2F20261126%2F"},
                {"%2Fs3%2F", "%2Fiam%2F"},
                {"%2Faws4_request", "%2Faws4"},
                {"X-Amz-Credential=" + ACCESS_KEY + "%2F", "X-Amz-Credential="},
                {"X-Amz-Date=20261127T030000Z", "X-Amz-Date=2026-11-27T03:00:00Z"}}) {
            assertTrue(r.rawQuery().contains(swap[0]), r.rawQuery());
            SignedRequest bad = new SignedRequest("GET", r.rawPath(), r.rawQuery().replace(swap[0], swap[1]), r.headers());
            assertCode(S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR, () -> verifier().verify(bad));
        }
    }

    @Test
    void presignedExpiryElements() {
        var signed = sign("GET", "/bucket/key", null,
                SdkOracle.Options.header().at(NOW.minus(Duration.ofHours(2))).presigned(Duration.ofHours(1)));
        S3Exception e = assertThrows(S3Exception.class, () -> verifier().verify(signed.request()));
        assertEquals("3600", e.extraElements().get("X-Amz-Expires"));
        assertEquals("2026-11-27T02:00:00Z", e.extraElements().get("Expires"));
    }

    @Test
    void presignedTampered() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        SignedRequest r = signed.request();
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("GET", "/bucket/other", r.rawQuery(), r.headers())));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("PUT", r.rawPath(), r.rawQuery(), r.headers())));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, () -> verifier().verify(
                new SignedRequest("GET", r.rawPath(), r.rawQuery().replace("X-Amz-Expires=3600", "X-Amz-Expires=3601"), r.headers())));
        assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifier().verify(new SignedRequest("GET", r.rawPath(), r.rawQuery() + "&extra=1", r.headers())));
    }

    @Test
    void presignedUnknownKey() {
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        var other = new SigV4Verifier(CredentialStore.of(Map.of("OTHERKEY", "x")), SdkOracle.CLOCK);
        assertCode(S3ErrorCode.INVALID_ACCESS_KEY_ID, () -> other.verify(signed.request()));
    }

    @Test
    void presignedNotYetValid() {
        var signed = sign("GET", "/bucket/key", null,
                SdkOracle.Options.header().at(NOW.plus(Duration.ofHours(1))).presigned(Duration.ofHours(1)));
        assertCode(S3ErrorCode.ACCESS_DENIED, () -> verifier().verify(signed.request()));
    }

    @Test
    void headerAndQueryAuthTogether() {
        var presigned = sign("GET", "/bucket/key", null, SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        var header = sign("GET", "/bucket/key", null, SdkOracle.Options.header());
        SignedRequest both = new SignedRequest("GET", "/bucket/key", presigned.request().rawQuery(),
                header.request().headers());
        assertCode(S3ErrorCode.INVALID_ARGUMENT, () -> verifier().verify(both));
    }

    @Test
    void systemClockVerifierAcceptsFreshRequests() {
        Clock clock = Clock.system(ZoneOffset.UTC);
        var signed = sign("GET", "/bucket/key", null, SdkOracle.Options.header().at(clock.instant()));
        new SigV4Verifier(SdkOracle.credentials(), clock).verify(signed.request());
    }

    // ---- headers the signature does not cover (issue 14)

    @ParameterizedTest
    @ValueSource(strings = {"x-amz-copy-source", "x-amz-meta-evil", "x-amz-tagging", "x-amz-acl",
        "x-amz-metadata-directive"})
    void anUnsignedAmzHeaderOnAHeaderSignedRequestIsRefused(String name) {
        var signed = sign("PUT", "/bucket/key", new byte[0], SdkOracle.Options.header());
        S3Exception e = assertThrows(S3Exception.class,
                () -> verifier().verify(withHeader(signed.request(), name, "/other-bucket/secret")));
        assertEquals(S3ErrorCode.ACCESS_DENIED, e.errorCode());
        assertEquals("There were headers present in the request which were not signed", e.getMessage());
        assertEquals(name, e.extraElements().get("HeadersNotSigned"));
    }

    @Test
    void anAddedAmzHeaderOnAPresignedUrlIsRefused() {
        var signed = sign("PUT", "/bucket/key", null, SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        verifier().verify(signed.request());
        assertCode(S3ErrorCode.ACCESS_DENIED,
                () -> verifier().verify(withHeader(signed.request(), "x-amz-copy-source", "/other-bucket/secret")));
    }

    @Test
    void aPresignedUrlMayCarryAnAmzHeaderInItsSignedQuery() {
        var signed = sign("PUT", "/bucket/key?x-amz-acl=private", null,
                SdkOracle.Options.header().presigned(Duration.ofHours(1)));
        verifier().verify(withHeader(signed.request(), "x-amz-acl", "private"));
        assertCode(S3ErrorCode.ACCESS_DENIED,
                () -> verifier().verify(withHeader(signed.request(), "x-amz-acl", "public-read")));
    }

    @Test
    void hostMustBeSigned() {
        var signed = sign("GET", "/bucket/key", Map.of("x-amz-meta-a", "b"), null, SdkOracle.Options.header());
        String authorization = signed.request().header("authorization");
        assertTrue(authorization.contains("SignedHeaders=host;"), authorization);
        // Without host in the list (and its line) the signature no longer binds the request to this server.
        SignedRequest stripped = withHeader(signed.request(), "authorization",
                authorization.replace("SignedHeaders=host;", "SignedHeaders="));
        S3Exception e = assertThrows(S3Exception.class, () -> verifier().verify(stripped));
        assertEquals(S3ErrorCode.ACCESS_DENIED, e.errorCode());
        assertEquals("host", e.extraElements().get("HeadersNotSigned"));
    }
}
