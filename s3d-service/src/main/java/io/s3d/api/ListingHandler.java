package io.s3d.api;

import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListObjects (v1) and ListObjectsV2. */
final class ListingHandler {
    private final ObjectBackend backend;

    ListingHandler(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response listV1(S3Request request) {
        String prefix = request.query("prefix");
        String delimiter = request.query("delimiter");
        String marker = request.query("marker");
        int maxKeys = maxKeys(request);
        boolean url = urlEncoding(request);
        ListPage page = backend.listObjects(request.bucket, new ListRequest(prefix, delimiter, marker, maxKeys));
        XmlWriter xml = XmlWriter.document("ListBucketResult");
        xml.element("Name", request.bucket).element("Prefix", encode(nullToEmpty(prefix), url))
                .element("Marker", encode(nullToEmpty(marker), url)).element("MaxKeys", maxKeys);
        if (delimiter != null && !delimiter.isEmpty()) {
            xml.element("Delimiter", encode(delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", page.truncated());
        if (page.truncated() && delimiter != null && !delimiter.isEmpty()) {
            xml.element("NextMarker", encode(page.nextStartAfter(), url));
        }
        contents(xml, page, url, request.bucketOwner());
        return S3Response.xml(200, xml.finish("ListBucketResult"));
    }

    S3Response listV2(S3Request request) {
        String prefix = request.query("prefix");
        String delimiter = request.query("delimiter");
        String token = request.query("continuation-token");
        String startAfter = request.query("start-after");
        int maxKeys = maxKeys(request);
        boolean url = urlEncoding(request);
        boolean fetchOwner = "true".equalsIgnoreCase(request.query("fetch-owner"));
        String from = startAfter;
        if (token != null) {
            from = decodeToken(token);
        }
        ListPage page = backend.listObjects(request.bucket, new ListRequest(prefix, delimiter, from, maxKeys));
        XmlWriter xml = XmlWriter.document("ListBucketResult");
        xml.element("Name", request.bucket).element("Prefix", encode(nullToEmpty(prefix), url));
        if (delimiter != null && !delimiter.isEmpty()) {
            // An empty delimiter is no delimiter: AWS leaves the element out.
            xml.element("Delimiter", encode(delimiter, url));
        }
        xml.element("MaxKeys", maxKeys);
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("KeyCount", page.objects().size() + page.commonPrefixes().size());
        if (token != null) {
            xml.element("ContinuationToken", token);
        }
        if (startAfter != null) {
            xml.element("StartAfter", encode(startAfter, url));
        }
        xml.element("IsTruncated", page.truncated());
        if (page.truncated()) {
            xml.element("NextContinuationToken", encodeToken(page.nextStartAfter()));
        }
        contents(xml, page, url, fetchOwner ? request.bucketOwner() : null);
        return S3Response.xml(200, xml.finish("ListBucketResult"));
    }

    private static void contents(XmlWriter xml, ListPage page, boolean url, io.s3d.access.Identity owner) {
        for (ObjectMeta object : page.objects()) {
            xml.start("Contents").element("Key", encode(object.key(), url))
                    .element("LastModified", HttpDates.xml(object.lastModified()))
                    .element("ETag", object.quotedEtag()).element("Size", object.size());
            if (owner != null) {
                xml.start("Owner").element("ID", owner.canonicalId())
                        .element("DisplayName", owner.displayName()).end("Owner");
            }
            xml.element("StorageClass", "STANDARD").end("Contents");
        }
        for (String commonPrefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", encode(commonPrefix, url)).end("CommonPrefixes");
        }
    }

    static int maxKeys(S3Request request) {
        String value = request.query("max-keys");
        if (value == null) {
            return 1000;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return Math.min(parsed, 1000);
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided max-keys not an integer or within integer range")
                    .withElements(java.util.Map.of("ArgumentName", "max-keys", "ArgumentValue", value));
        }
    }

    static boolean urlEncoding(S3Request request) {
        String type = request.query("encoding-type");
        if (type == null) {
            return false;
        }
        if (!type.equals("url")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
                    .withElements(java.util.Map.of("ArgumentName", "encoding-type", "ArgumentValue", type));
        }
        return true;
    }

    /**
     * A key, prefix, marker or delimiter as AWS writes it with {@code encoding-type=url}: form
     * encoding (a space is {@code +}, which the SDKs decode), except that {@code /} stays as it is.
     */
    static String encode(String value, boolean url) {
        return url ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/") : value;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    static String encodeToken(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("1:" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("1:")) {
                return decoded.substring(2);
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
                .withElements(java.util.Map.of("ArgumentName", "continuation-token"));
    }
}
