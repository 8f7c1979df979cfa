package io.s3d.api;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.List;
import org.w3c.dom.Element;

/** DeleteObjects: the multi-object delete, up to 1,000 keys (or versions of keys), with Quiet mode. */
final class DeleteObjectsHandler {
    private final ObjectBackend backend;

    DeleteObjectsHandler(ObjectBackend backend) {
        this.backend = backend;
    }

    S3Response deleteObjects(S3Request request) {
        backend.headBucket(request.bucket);
        XmlRequest xml = XmlRequest.parse(request.digestedSmallBody(2 * 1024 * 1024), "Delete");
        boolean quiet = "true".equalsIgnoreCase(XmlRequest.childText(xml.root(), "Quiet"));
        List<Element> objects = XmlRequest.children(xml.root(), "Object");
        if (objects.isEmpty() || objects.size() > 1000) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        for (Element object : objects) {
            // Checked for all keys before any is deleted: a bad request deletes nothing.
            String key = XmlRequest.childText(object, "Key");
            if (key == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            if (key.isEmpty()) {
                throw new S3Exception(S3ErrorCode.USER_KEY_MUST_BE_SPECIFIED);
            }
            S3Request.requireKeyLength(key);
        }
        boolean bypassGovernance = ObjectLockHandler.bypassGovernance(request);
        XmlWriter out = XmlWriter.document("DeleteResult");
        for (Element object : objects) {
            String key = XmlRequest.childText(object, "Key");
            String versionId = XmlRequest.childText(object, "VersionId");
            try {
                ObjectVersions.Deleted deleted = backend.deleteObjectVersion(request.bucket, key, versionId,
                        bypassGovernance);
                if (!quiet) {
                    out.start("Deleted").element("Key", key);
                    if (versionId != null) {
                        out.element("VersionId", versionId);
                    }
                    if (deleted.deleteMarker()) {
                        out.element("DeleteMarker", true).element("DeleteMarkerVersionId", deleted.versionId());
                    }
                    out.end("Deleted");
                }
            } catch (S3Exception e) {
                out.start("Error").element("Key", key);
                if (versionId != null) {
                    out.element("VersionId", versionId);
                }
                out.element("Code", e.code()).element("Message", e.getMessage()).end("Error");
            }
        }
        return S3Response.xml(200, out.finish("DeleteResult"));
    }
}
