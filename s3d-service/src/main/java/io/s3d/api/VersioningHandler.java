package io.s3d.api;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.Map;

/** PutBucketVersioning, GetBucketVersioning and ListObjectVersions. */
final class VersioningHandler {
    private final ObjectBackend backend;

    VersioningHandler(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response get(S3Request request) {
        ObjectVersions.Status status = backend.bucketVersioning(request.bucket);
        XmlWriter xml = XmlWriter.document("VersioningConfiguration");
        if (status != ObjectVersions.Status.UNVERSIONED) {
            xml.element("Status", status.xml());
        }
        return S3Response.xml(200, xml.finish("VersioningConfiguration"));
    }

    S3Response put(S3Request request) {
        backend.headBucket(request.bucket);
        XmlRequest xml = XmlRequest.parse(request.digestedSmallBody(64 * 1024), "VersioningConfiguration");
        String mfaDelete = XmlRequest.childText(xml.root(), "MfaDelete");
        if (mfaDelete != null && !mfaDelete.equals("Enabled") && !mfaDelete.equals("Disabled")) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if ("Enabled".equals(mfaDelete) || request.header("x-amz-mfa") != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "MFA delete is not supported by s3d: it has no "
                    + "MFA devices to check a token against. Leave MfaDelete out or set it to Disabled.");
        }
        String status = XmlRequest.childText(xml.root(), "Status");
        if (status == null) {
            return S3Response.status(200); // no Status: the bucket's versioning stays as it is
        }
        backend.putBucketVersioning(request.bucket, switch (status) {
            case "Enabled" -> ObjectVersions.Status.ENABLED;
            case "Suspended" -> ObjectVersions.Status.SUSPENDED;
            default -> throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        });
        return S3Response.status(200);
    }

    S3Response list(S3Request request) {
        String prefix = request.query("prefix");
        String delimiter = request.query("delimiter");
        String keyMarker = request.query("key-marker");
        String versionIdMarker = request.query("version-id-marker");
        boolean url = ListingHandler.urlEncoding(request);
        int maxKeys = ListingHandler.maxKeys(request);
        io.s3d.access.Identity owner = request.bucketOwner();
        if (versionIdMarker != null && (keyMarker == null || keyMarker.isEmpty())) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "A version-id marker cannot be specified without a key marker.")
                    .withElements(Map.of("ArgumentName", "version-id-marker", "ArgumentValue", versionIdMarker));
        }
        if (versionIdMarker != null && versionIdMarker.isEmpty()) {
            versionIdMarker = null;
        }
        ObjectVersions.Page page = backend.listObjectVersions(request.bucket, new ObjectVersions.ListRequest(
                prefix == null ? "" : prefix, delimiter == null || delimiter.isEmpty() ? null : delimiter,
                keyMarker, versionIdMarker, maxKeys));
        XmlWriter xml = XmlWriter.document("ListVersionsResult");
        xml.element("Name", request.bucket).element("Prefix", encode(prefix == null ? "" : prefix, url))
                .element("KeyMarker", encode(keyMarker == null ? "" : keyMarker, url))
                .element("VersionIdMarker", versionIdMarker == null ? "" : versionIdMarker);
        if (page.truncated()) {
            xml.element("NextKeyMarker", encode(page.nextKeyMarker(), url));
            if (page.nextVersionIdMarker() != null) {
                xml.element("NextVersionIdMarker", page.nextVersionIdMarker());
            }
        }
        xml.element("MaxKeys", maxKeys);
        if (delimiter != null && !delimiter.isEmpty()) {
            xml.element("Delimiter", encode(delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", page.truncated());
        for (ObjectVersions.Version version : page.versions()) {
            String element = version.deleteMarker() ? "DeleteMarker" : "Version";
            xml.start(element).element("Key", encode(version.key(), url)).element("VersionId", version.versionId())
                    .element("IsLatest", version.latest())
                    .element("LastModified", HttpDates.xml(version.lastModified()));
            if (!version.deleteMarker()) {
                xml.element("ETag", version.meta().quotedEtag()).element("Size", version.meta().size());
            }
            xml.start("Owner").element("ID", owner.canonicalId())
                    .element("DisplayName", owner.displayName()).end("Owner");
            if (!version.deleteMarker()) {
                xml.element("StorageClass", "STANDARD");
            }
            xml.end(element);
        }
        for (String commonPrefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", encode(commonPrefix, url)).end("CommonPrefixes");
        }
        return S3Response.xml(200, xml.finish("ListVersionsResult"));
    }

    private static String encode(String value, boolean url) {
        return ListingHandler.encode(value, url);
    }
}
