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
        if (error.remoteAnswer().isPresent()) {
            return asTheRemoteSaidIt(error, error.remoteAnswer().get(), resource, requestId, head);
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

    /**
     * A remote's error on a path s3d serves itself, answered as a forwarded request's would be: the
     * remote's status, headers (its request ids, delete marker, version id...) and error body.
     */
    private static S3Response asTheRemoteSaidIt(S3Exception error, S3Exception.RemoteAnswer answer, String resource,
            String requestId, boolean head) {
        S3Response response;
        if (head || answer.body().length > 0) {
            response = S3Response.status(error.status());
            response.bytes = head ? null : answer.body();
            answer.headers().forEach(response::header);
        } else {
            // The remote sent no body the SDK kept: s3d's rendering of its code, with its headers.
            response = render(S3Exception.fromRemote(error.code(), error.status(), error.getMessage())
                    .withResource(error.resource()).withElements(error.extraElements()), resource, requestId, false);
            answer.headers().forEach((name, value) -> {
                if (!name.equals("content-type")) {
                    response.header(name, value);
                }
            });
        }
        return response;
    }
}
