package io.s3d.api;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.w3c.dom.Element;

/** Tag sets: parsing (XML body or {@code x-amz-tagging} header), S3's limits, and the XML answer. */
final class Tagging {
    static final int MAX_OBJECT_TAGS = 10;
    static final int MAX_BUCKET_TAGS = 50;

    private Tagging() {
    }

    static Map<String, String> fromXml(byte[] body, int maxTags) {
        XmlRequest xml = XmlRequest.parse(body, "Tagging");
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element tagSet : XmlRequest.children(xml.root(), "TagSet")) {
            for (Element tag : XmlRequest.children(tagSet, "Tag")) {
                String key = XmlRequest.childText(tag, "Key");
                String value = XmlRequest.childText(tag, "Value");
                if (key == null) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_XML);
                }
                add(tags, key, value == null ? "" : value);
            }
        }
        checkCount(tags, maxTags);
        return tags;
    }

    /** The {@code x-amz-tagging} header: URL-query form, {@code k1=v1&k2=v2}. */
    static Map<String, String> fromHeader(String header) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (header == null || header.isEmpty()) {
            return tags;
        }
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                add(tags, URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
            }
        }
        checkCount(tags, MAX_OBJECT_TAGS);
        return tags;
    }

    private static void add(Map<String, String> tags, String key, String value) {
        if (key.isEmpty() || key.codePointCount(0, key.length()) > 128) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagKey you have provided is invalid");
        }
        if (value.codePointCount(0, value.length()) > 256) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "The TagValue you have provided is invalid");
        }
        if (key.startsWith("aws:")) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "System tags cannot be added/updated by requester");
        }
        if (tags.put(key, value) != null) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key");
        }
    }

    private static void checkCount(Map<String, String> tags, int max) {
        if (tags.size() > max) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST_TOO_MANY_TAGS,
                    max == MAX_OBJECT_TAGS ? "Object tags cannot be greater than 10" : "Bucket tag count cannot be greater than 50");
        }
    }

    static byte[] toXml(Map<String, String> tags) {
        XmlWriter xml = XmlWriter.document("Tagging").start("TagSet");
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            xml.start("Tag").element("Key", tag.getKey()).element("Value", tag.getValue()).end("Tag");
        }
        return xml.end("TagSet").finish("Tagging");
    }
}
