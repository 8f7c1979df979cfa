package io.s3d.store.crypto;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * A bucket's default encryption (PutBucketEncryption's {@code ServerSideEncryptionConfiguration}):
 * validated as AWS validates it, and the encryption headers it gives a write that asks for none.
 */
public final class DefaultEncryption {
    private static final String ROOT = "ServerSideEncryptionConfiguration";

    private DefaultEncryption() {
    }

    /** The one rule of a configuration: the algorithm, the KMS key and whether S3 Bucket Keys are on. */
    public record Rule(String algorithm, Optional<String> kmsKeyId, boolean bucketKeyEnabled) {
    }

    /** The encryption headers of a write without its own, under the stored configuration. */
    public static Map<String, String> headers(byte[] configuration) {
        Rule rule = parse(configuration);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Sealing.SSE, rule.algorithm());
        if (!rule.algorithm().equals("AES256")) {
            headers.put(Sealing.KMS_KEY_ID, rule.kmsKeyId().orElse(MasterKeys.DEFAULT));
        }
        if (rule.bucketKeyEnabled()) {
            headers.put(Sealing.BUCKET_KEY, "true");
        }
        return headers;
    }

    /** Whether a write's headers ask for an encryption of their own (SSE-S3, SSE-KMS or SSE-C). */
    public static boolean asked(Map<String, String> headers) {
        return headers.containsKey(Sealing.SSE) || headers.containsKey(Sealing.CUSTOMER_ALGORITHM);
    }

    public static Rule parse(byte[] body) {
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

    public static byte[] render(Rule rule) {
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
