package io.s3d.api;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.store.crypto.Sealing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * PutBucketEncryption, GetBucketEncryption and DeleteBucketEncryption on the local store, and the
 * encryption a bucket's default applies to writes that ask for none.
 */
final class BucketEncryption {
    private static final int MAX_BODY = 64 * 1024;
    private static final String ROOT = "ServerSideEncryptionConfiguration";

    private final ObjectBackend backend;

    BucketEncryption(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response get(S3Request request) {
        backend.headBucket(request.bucket);
        byte[] stored = backend.bucketEncryption(request.bucket).orElseThrow(() -> new S3Exception(
                S3ErrorCode.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND_ERROR)
                .withElements(Map.of("BucketName", request.bucket)));
        return S3Response.xml(200, stored);
    }

    S3Response put(S3Request request) {
        backend.headBucket(request.bucket);
        Rule rule = parse(request.digestedSmallBody(MAX_BODY));
        backend.putBucketEncryption(request.bucket, render(rule));
        return S3Response.status(200);
    }

    S3Response delete(S3Request request) {
        backend.headBucket(request.bucket);
        backend.deleteBucketEncryption(request.bucket);
        return S3Response.status(204);
    }

    /** The encryption headers a write to {@code bucket} without its own takes from the bucket's default. */
    static Map<String, String> defaultHeaders(ObjectBackend backend, String bucket) {
        Optional<byte[]> stored = backend.forwards() ? Optional.empty() : backend.bucketEncryption(bucket);
        if (stored.isEmpty()) {
            return Map.of();
        }
        Rule rule = parse(stored.get());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Sealing.SSE, rule.algorithm());
        if (!rule.algorithm().equals("AES256")) {
            headers.put(Sealing.KMS_KEY_ID, rule.kmsKeyId().orElse("default"));
        }
        if (rule.bucketKeyEnabled()) {
            headers.put(Sealing.BUCKET_KEY, "true");
        }
        return headers;
    }

    /** The one rule of a configuration: the algorithm, the KMS key and whether S3 Bucket Keys are on. */
    record Rule(String algorithm, Optional<String> kmsKeyId, boolean bucketKeyEnabled) {
    }

    static Rule parse(byte[] body) {
        Element root = XmlRequest.parse(body, ROOT).root();
        List<Element> rules = XmlRequest.children(root, "Rule");
        if (rules.size() != 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        Element rule = rules.get(0);
        List<Element> defaults = XmlRequest.children(rule, "ApplyServerSideEncryptionByDefault");
        if (defaults.size() != 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String algorithm = trimmed(XmlRequest.childText(defaults.get(0), "SSEAlgorithm"));
        if (algorithm == null || !List.of("AES256", "aws:kms", "aws:kms:dsse").contains(algorithm)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        Optional<String> keyId = Optional.ofNullable(trimmed(XmlRequest.childText(defaults.get(0), "KMSMasterKeyID")))
                .filter(id -> !id.isEmpty());
        if (keyId.isPresent() && algorithm.equals("AES256")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
                    .withElements(Map.of("ArgumentName", "ApplyServerSideEncryptionByDefault"));
        }
        String bucketKey = trimmed(XmlRequest.childText(rule, "BucketKeyEnabled"));
        if (bucketKey != null && !bucketKey.equals("true") && !bucketKey.equals("false")) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        return new Rule(algorithm, keyId, "true".equals(bucketKey));
    }

    static byte[] render(Rule rule) {
        XmlWriter xml = XmlWriter.document(ROOT).start("Rule").start("ApplyServerSideEncryptionByDefault")
                .element("SSEAlgorithm", rule.algorithm());
        rule.kmsKeyId().ifPresent(id -> xml.element("KMSMasterKeyID", id));
        xml.end("ApplyServerSideEncryptionByDefault").element("BucketKeyEnabled", Boolean.toString(
                rule.bucketKeyEnabled())).end("Rule");
        return xml.finish(ROOT);
    }

    private static String trimmed(String text) {
        return text == null ? null : text.trim();
    }
}
