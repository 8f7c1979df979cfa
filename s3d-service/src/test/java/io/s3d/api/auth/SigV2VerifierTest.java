package io.s3d.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Signature V2 against the worked examples of AWS's "Signing and authenticating REST requests"
 * (key AKIAIOSFODNN7EXAMPLE), then the verifier's time, expiry and error rules.
 */
class SigV2VerifierTest {
    static final String AKID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final CredentialStore STORE = CredentialStore.of(Map.of(AKID, SECRET));

    /** A verifier whose clock reads {@code now}, with virtual-hosted buckets under s3.amazonaws.com. */
    static SigV4Verifier verifierAt(String now) {
        Clock clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
        return new SigV4Verifier(STORE, clock,
                new SigV2Verifier(STORE, clock, Optional.of("s3.amazonaws.com"), true));
    }

    static SignedRequest request(String method, String path, String query, String... headerPairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.computeIfAbsent(headerPairs[i], k -> new java.util.ArrayList<>()).add(headerPairs[i + 1]);
        }
        return new SignedRequest(method, path, query, headers);
    }

    @Test
    void awsDocumentedStringsToSignGiveTheDocumentedSignatures() {
        assertEquals("bWq2s1WEIj+Ydj0vQ697zp+IXMU=", SigV2.sign(SECRET,
                "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg"));
        assertEquals("MyyxeRY7whkBe+bq8fHCL/2kKUg=", SigV2.sign(SECRET,
                "PUT\n\nimage/jpeg\nTue, 27 Mar 2007 21:15:45 +0000\n/johnsmith/photos/puppy.jpg"));
        assertEquals("NpgCjnDzrM+WFzoENXmpNDUsSn8=", SigV2.sign(SECRET,
                "GET\n\n\n1175139620\n/johnsmith/photos/puppy.jpg"));
    }

    @Test
    void virtualHostedObjectGet() {
        var get = request("GET", "/photos/puppy.jpg", null, "host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "authorization", "AWS " + AKID + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        AuthContext auth = verifierAt("2007-03-27T19:40:00Z").verify(get);
        assertEquals(AKID, auth.accessKeyId());
        assertEquals(PayloadMode.UNSIGNED, auth.payloadMode());
        assertNull(auth.signingKey());
        assertEquals(false, auth.presigned());
    }

    @Test
    void putWithContentType() {
        var put = request("PUT", "/photos/puppy.jpg", null, "content-type", "image/jpeg", "content-length", "94328",
                "host", "johnsmith.s3.amazonaws.com", "date", "Tue, 27 Mar 2007 21:15:45 +0000",
                "authorization", "AWS " + AKID + ":MyyxeRY7whkBe+bq8fHCL/2kKUg=");
        assertEquals(AKID, verifierAt("2007-03-27T21:15:00Z").verify(put).accessKeyId());
    }

    @Test
    void listBucketLeavesOrdinaryParametersOutAndKeepsSubResources() {
        var list = request("GET", "/", "prefix=photos&max-keys=50&marker=puppy", "host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:42:41 +0000", "user-agent", "Mozilla/5.0",
                "authorization", "AWS " + AKID + ":htDYFYduRNen8P9ZfE/s9SuKy0U=");
        verifierAt("2007-03-27T19:42:41Z").verify(list);
        var acl = request("GET", "/", "acl", "host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:44:46 +0000",
                "authorization", "AWS " + AKID + ":c2WLPFtWHVgbEmeEG93a4cG37dM=");
        verifierAt("2007-03-27T19:44:46Z").verify(acl);
        // The same signature does not cover the bucket listing: ?acl is part of what is signed.
        var notAcl = request("GET", "/", null, "host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:44:46 +0000",
                "authorization", "AWS " + AKID + ":c2WLPFtWHVgbEmeEG93a4cG37dM=");
        SigV4VerifierTest.assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifierAt("2007-03-27T19:44:46Z").verify(notAcl));
    }

    @Test
    void aPathStyleBucketRequestSignsTheBucketWithATrailingSlash() {
        // botocore sends GET /johnsmith and signs /johnsmith/, as for the virtual-hosted form.
        var list = request("GET", "/johnsmith", "prefix=photos&max-keys=50&marker=puppy", "host", "s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:42:41 +0000",
                "authorization", "AWS " + AKID + ":htDYFYduRNen8P9ZfE/s9SuKy0U=");
        verifierAt("2007-03-27T19:42:41Z").verify(list);
        var slashed = request("GET", "/johnsmith/", "prefix=photos", "host", "s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:42:41 +0000",
                "authorization", "AWS " + AKID + ":htDYFYduRNen8P9ZfE/s9SuKy0U=");
        verifierAt("2007-03-27T19:42:41Z").verify(slashed);
    }

    @Test
    void amzHeadersAreCanonicalizedAsDocumented() {
        // AWS's upload example: repeated x-amz-meta-reviewedby joined with ',', names lower-cased and sorted.
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("X-Amz-Meta-ReviewedBy", List.of("joe@johnsmith.net", "jane@johnsmith.net"));
        headers.put("x-amz-acl", List.of("public-read"));
        headers.put("X-Amz-Meta-FileChecksum", List.of("0x02661779"));
        headers.put("X-Amz-Meta-ChecksumAlgorithm", List.of("crc32"));
        headers.put("content-type", List.of("application/x-download"));
        String amz = SigV2.canonicalizedAmzHeaders(headers);
        assertEquals("x-amz-acl:public-read\nx-amz-meta-checksumalgorithm:crc32\nx-amz-meta-filechecksum:0x02661779\n"
                + "x-amz-meta-reviewedby:joe@johnsmith.net,jane@johnsmith.net\n", amz);
        String stringToSign = SigV2.stringToSign("PUT", "4gJE4saaMU4BqNR0kLY+lw==", "application/x-download",
                "Tue, 27 Mar 2007 21:06:08 +0000", amz, "/static.johnsmith.net/db-backup.dat.gz");
        assertEquals("ilyl83RwaSoYIEdixDQcA4OnAnc=", SigV2.sign(SECRET, stringToSign));
    }

    @Test
    void listAllBucketsAndUnicodeKeysSignThePathAsSent() {
        var buckets = request("GET", "/", null, "host", "s3.amazonaws.com", "date", "Wed, 28 Mar 2007 01:29:59 +0000",
                "authorization", "AWS " + AKID + ":qGdzdERIC03wnaRNKh6OqZehG9s=");
        verifierAt("2007-03-28T01:29:59Z").verify(buckets);
        var unicode = request("GET", "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re", null, "host", "s3.amazonaws.com",
                "date", "Wed, 28 Mar 2007 01:49:49 +0000",
                "authorization", "AWS " + AKID + ":DNEZGsoieTZ92F3bUfSPQcbGmlM=");
        verifierAt("2007-03-28T01:49:49Z").verify(unicode);
    }

    @Test
    void xAmzDateReplacesTheDateLine() {
        String stringToSign = "DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 21:20:26 +0000\n/johnsmith/photos/puppy.jpg";
        var delete = request("DELETE", "/johnsmith/photos/puppy.jpg", null, "host", "s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 21:20:27 +0000", "x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000",
                "authorization", "AWS " + AKID + ":" + SigV2.sign(SECRET, stringToSign));
        verifierAt("2007-03-27T21:20:30Z").verify(delete);
    }

    @Test
    void presignedUrlFromTheDocumentation() {
        String query = "AWSAccessKeyId=" + AKID + "&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";
        var presigned = request("GET", "/photos/puppy.jpg", query, "host", "johnsmith.s3.amazonaws.com");
        AuthContext auth = verifierAt("2007-03-29T03:00:00Z").verify(presigned);
        assertEquals(AKID, auth.accessKeyId());
        assertTrue(auth.presigned());

        S3Exception expired = assertThrows(S3Exception.class, () -> verifierAt("2007-03-29T03:40:21Z").verify(presigned));
        assertEquals(S3ErrorCode.ACCESS_DENIED, expired.errorCode());
        assertEquals("Request has expired", expired.getMessage());
        assertEquals("2007-03-29T03:40:20Z", expired.extraElements().get("Expires"));
        assertEquals("2007-03-29T03:40:21Z", expired.extraElements().get("ServerTime"));

        var tampered = request("GET", "/photos/kitten.jpg", query, "host", "johnsmith.s3.amazonaws.com");
        SigV4VerifierTest.assertCode(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                () -> verifierAt("2007-03-29T03:00:00Z").verify(tampered));
        var noExpires = request("GET", "/photos/puppy.jpg", "AWSAccessKeyId=" + AKID + "&Signature=x",
                "host", "johnsmith.s3.amazonaws.com");
        SigV4VerifierTest.assertCode(S3ErrorCode.ACCESS_DENIED, () -> verifierAt("2007-03-29T03:00:00Z").verify(noExpires));
        var withHeader = request("GET", "/photos/puppy.jpg", query, "host", "johnsmith.s3.amazonaws.com",
                "authorization", "AWS " + AKID + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        SigV4VerifierTest.assertCode(S3ErrorCode.INVALID_ARGUMENT, () -> verifierAt("2007-03-29T03:00:00Z").verify(withHeader));
    }

    @Test
    void requestTimeMustBeWithinFifteenMinutes() {
        var get = request("GET", "/photos/puppy.jpg", null, "host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "authorization", "AWS " + AKID + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        verifierAt("2007-03-27T19:51:42Z").verify(get);
        verifierAt("2007-03-27T19:21:42Z").verify(get);
        S3Exception late = assertThrows(S3Exception.class, () -> verifierAt("2007-03-27T19:51:43Z").verify(get));
        assertEquals(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, late.errorCode());
        assertEquals("Tue, 27 Mar 2007 19:36:42 +0000", late.extraElements().get("RequestTime"));
        assertEquals("2007-03-27T19:51:43Z", late.extraElements().get("ServerTime"));
        assertEquals("900000", late.extraElements().get("MaxAllowedSkewMilliseconds"));
        SigV4VerifierTest.assertCode(S3ErrorCode.REQUEST_TIME_TOO_SKEWED,
                () -> verifierAt("2007-03-27T19:21:41Z").verify(get));

        var undated = request("GET", "/photos/puppy.jpg", null, "host", "johnsmith.s3.amazonaws.com",
                "authorization", "AWS " + AKID + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        S3Exception e = assertThrows(S3Exception.class, () -> verifierAt("2007-03-27T19:36:42Z").verify(undated));
        assertEquals(S3ErrorCode.ACCESS_DENIED, e.errorCode());
        assertEquals("AWS authentication requires a valid Date or x-amz-date header", e.getMessage());
    }

    @Test
    void mismatchShowsTheStringToSignAndItsBytes() {
        var get = request("GET", "/photos/puppy.jpg", null, "host", "johnsmith.s3.amazonaws.com",
                "date", "Tue, 27 Mar 2007 19:36:42 +0000", "authorization", "AWS " + AKID + ":AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        S3Exception e = assertThrows(S3Exception.class, () -> verifierAt("2007-03-27T19:36:42Z").verify(get));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.errorCode());
        assertEquals("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
                e.extraElements().get("StringToSign"));
        assertTrue(e.extraElements().get("StringToSignBytes").startsWith("47 45 54 0a 0a 0a 54 75 65"),
                e.extraElements().get("StringToSignBytes"));
        assertEquals(AKID, e.extraElements().get("AWSAccessKeyId"));
        assertEquals("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", e.extraElements().get("SignatureProvided"));
    }

    @Test
    void unknownKeyAndMalformedHeader() {
        var unknown = request("GET", "/photos/puppy.jpg", null, "date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "authorization", "AWS AKIDUNKNOWN:bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        S3Exception e = assertThrows(S3Exception.class, () -> verifierAt("2007-03-27T19:36:42Z").verify(unknown));
        assertEquals(S3ErrorCode.INVALID_ACCESS_KEY_ID, e.errorCode());
        assertEquals("AKIDUNKNOWN", e.extraElements().get("AWSAccessKeyId"));
        var malformed = request("GET", "/photos/puppy.jpg", null, "date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "authorization", "AWS " + AKID);
        S3Exception bad = assertThrows(S3Exception.class, () -> verifierAt("2007-03-27T19:36:42Z").verify(malformed));
        assertEquals(S3ErrorCode.INVALID_ARGUMENT, bad.errorCode());
        assertEquals("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature", bad.getMessage());
    }

    @Test
    void subResourcesAreSortedAndResponseOverridesDecoded() {
        assertEquals("?partNumber=2&uploadId=abc", SigV2.subResources("uploadId=abc&partNumber=2&foo=bar", true));
        assertEquals("?response-content-type=text/plain&versionId=v 1",
                SigV2.subResources("versionId=v+1&response-content-type=text%2Fplain&max-keys=3", true));
        assertEquals("?uploads", SigV2.subResources("uploads", true));
        assertEquals("?uploads=", SigV2.subResources("uploads=", true));
        assertEquals("", SigV2.subResources("prefix=a&delimiter=%2F", true));
    }

    @Test
    void aSignedContentSha256IsCheckedAsTheBodyHash() {
        String hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        String stringToSign = "PUT\n\n\nTue, 27 Mar 2007 21:15:45 +0000\nx-amz-content-sha256:" + hash
                + "\n/johnsmith/empty";
        var put = request("PUT", "/johnsmith/empty", null, "date", "Tue, 27 Mar 2007 21:15:45 +0000",
                "x-amz-content-sha256", hash, "authorization", "AWS " + AKID + ":" + SigV2.sign(SECRET, stringToSign));
        AuthContext auth = verifierAt("2007-03-27T21:15:45Z").verify(put);
        assertEquals(PayloadMode.SIGNED, auth.payloadMode());
        assertEquals(hash, auth.declaredSha256Hex());
    }

    @Test
    void turnedOffAnswersAsAVersion4OnlyRegion() {
        Clock clock = Clock.fixed(Instant.parse("2007-03-27T19:36:42Z"), ZoneOffset.UTC);
        var off = new SigV4Verifier(STORE, clock, new SigV2Verifier(STORE, clock, Optional.empty(), false));
        var get = request("GET", "/johnsmith/photos/puppy.jpg", null, "date", "Tue, 27 Mar 2007 19:36:42 +0000",
                "authorization", "AWS " + AKID + ":bWq2s1WEIj+Ydj0vQ697zp+IXMU=");
        S3Exception e = assertThrows(S3Exception.class, () -> off.verify(get));
        assertEquals(S3ErrorCode.INVALID_REQUEST, e.errorCode());
        assertEquals("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
                e.getMessage());
        var presigned = request("GET", "/johnsmith/photos/puppy.jpg",
                "AWSAccessKeyId=" + AKID + "&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D");
        SigV4VerifierTest.assertCode(S3ErrorCode.INVALID_REQUEST, () -> off.verify(presigned));
    }

    @Test
    void withoutCredentialsTheKeyIsNamedButNotChecked() {
        var open = new SigV4Verifier(CredentialStore.of(Map.of()), Clock.systemUTC());
        var get = request("GET", "/bucket/key", null, "authorization", "AWS someone:not-a-signature");
        assertEquals("someone", open.verify(get).accessKeyId());
    }
}
