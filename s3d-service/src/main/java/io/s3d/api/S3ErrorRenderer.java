package io.s3d.api;

import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.Map;

/** The one place S3 errors become responses: AWS's XML body, status and headers. */
final class S3ErrorRenderer {
    private S3ErrorRenderer() {
    }

    static S3Response render(S3Exception error, String resource, String requestId, boolean head) {
        if (error.status() == 304) {
            return S3Response.status(304);
        }
        S3Response response;
        if (head) {
            // HEAD answers carry no body; S3 still tells the code in a header-less status.
            response = S3Response.status(error.status());
        } else {
            XmlWriter xml = XmlWriter.plainDocument("Error").element("Code", error.code())
                    .element("Message", error.getMessage());
            for (Map.Entry<String, String> extra : error.extraElements().entrySet()) {
                xml.element(extra.getKey(), extra.getValue());
            }
            xml.element("Resource", error.resource() != null ? error.resource() : resource)
                    .element("RequestId", requestId).element("HostId", RequestIds.hostId(requestId));
            response = S3Response.xml(error.status(), xml.finish("Error"));
        }
        error.headers().forEach(response::header);
        if (error.errorCode() == S3ErrorCode.INVALID_RANGE && error.extraElements().containsKey("ActualObjectSize")) {
            response.header("Content-Range", "bytes */" + error.extraElements().get("ActualObjectSize"));
        }
        if (error.errorCode() == S3ErrorCode.SLOW_DOWN || error.errorCode() == S3ErrorCode.SERVICE_UNAVAILABLE) {
            response.header("Retry-After", "1");
        }
        return response;
    }
}
