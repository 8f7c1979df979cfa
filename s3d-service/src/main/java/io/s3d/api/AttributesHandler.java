package io.s3d.api;

import io.s3d.api.auth.ChecksumAlgorithm;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** GetObjectAttributes: ETag, Checksum, ObjectParts (paged), StorageClass and ObjectSize of an object version. */
final class AttributesHandler {
    private static final Set<String> ATTRIBUTES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass",
            "ObjectSize");
    private final ObjectBackend backend;

    AttributesHandler(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response get(S3Request request) {
        // The SDKs send the list as one comma-separated header or as one header per attribute.
        Set<String> wanted = wanted(String.join(",", request.headers().getAll("x-amz-object-attributes")));
        int maxParts = number(request, "x-amz-max-parts", 1000);
        int marker = number(request, "x-amz-part-number-marker", 0);
        String versionId = request.query("versionId");
        ObjectMeta meta = versionId == null ? backend.headObject(request.bucket, request.key)
                : backend.headObjectVersion(request.bucket, request.key, versionId);
        meta = EncryptionHeaders.checkedHead(backend, request, versionId, meta);
        XmlWriter xml = XmlWriter.document("GetObjectAttributesResponse");
        if (wanted.contains("ETag")) {
            xml.element("ETag", meta.etag()); // unquoted here, as AWS writes it
        }
        if (wanted.contains("Checksum") && !meta.checksums().isEmpty()) {
            xml.start("Checksum");
            meta.checksums().forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                    .ifPresent(a -> xml.element(a.xmlName(), value)));
            ObjectHandler.checksumType(meta).ifPresent(type -> xml.element("ChecksumType", type));
            xml.end("Checksum");
        }
        if (wanted.contains("ObjectParts") && meta.partsCount() > 0) {
            parts(xml, meta, marker, maxParts);
        }
        if (wanted.contains("StorageClass")) {
            xml.element("StorageClass", "STANDARD");
        }
        if (wanted.contains("ObjectSize")) {
            xml.element("ObjectSize", meta.size());
        }
        S3Response response = S3Response.xml(200, xml.finish("GetObjectAttributesResponse"))
                .header("Last-Modified", HttpDates.header(meta.lastModified()));
        return ObjectHandler.versionHeader(response, meta);
    }

    /** The part list, when the part sizes are known (objects completed by this s3d), else only the count. */
    private static void parts(XmlWriter xml, ObjectMeta meta, int marker, int maxParts) {
        xml.start("ObjectParts").element("PartsCount", meta.partsCount());
        if (meta.partRange(1).isPresent()) {
            int last = Math.min(meta.partsCount(), marker + maxParts);
            xml.element("PartNumberMarker", marker).element("MaxParts", maxParts)
                    .element("IsTruncated", last < meta.partsCount());
            if (last < meta.partsCount()) {
                xml.element("NextPartNumberMarker", last);
            }
            for (int number = marker + 1; number <= last; number++) {
                long[] range = meta.partRange(number).orElseThrow();
                xml.start("Part").element("PartNumber", number).element("Size", range[1] - range[0] + 1).end("Part");
            }
        }
        xml.end("ObjectParts");
    }

    private static Set<String> wanted(String header) {
        if (header == null || header.isBlank()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The x-amz-object-attributes header specifying the attributes to be retrieved is either "
                            + "missing or empty");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : header.split(",")) {
            String attribute = name.trim();
            if (!ATTRIBUTES.contains(attribute)) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid attribute name specified.")
                        .withElements(Map.of("ArgumentName", "x-amz-object-attributes", "ArgumentValue", attribute));
            }
            wanted.add(attribute);
        }
        return wanted;
    }

    private static int number(S3Request request, String header, int absent) {
        String value = request.header(header);
        if (value == null) {
            return absent;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0) {
                return header.equals("x-amz-max-parts") ? Math.min(parsed, 1000) : parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided " + header + " not an integer or within "
                + "integer range").withElements(Map.of("ArgumentName", header, "ArgumentValue", value));
    }
}
