package io.s3d.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, headers and one kind of body. Bodies that hold resources
 * (streams, pinned files) are released by the sender once the response is written.
 */
final class S3Response {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] bytes;
    InputStream stream;
    Path file;
    long fileOffset;
    long length = -1;
    AutoCloseable resource;

    /** Bytes of body this answer sends (none for HEAD), for the metrics and the access log. */
    long bodyLength(boolean head) {
        if (head) {
            return 0;
        }
        if (file != null || stream != null) {
            return Math.max(length, 0);
        }
        return bytes == null ? 0 : bytes.length;
    }

    private S3Response(int status) {
        this.status = status;
    }

    static S3Response status(int status) {
        return new S3Response(status);
    }

    static S3Response xml(int status, byte[] xml) {
        S3Response response = new S3Response(status);
        response.bytes = xml;
        response.headers.put("Content-Type", "application/xml");
        return response;
    }

    /** The remote's answer to a forwarded request, as it came (repeated headers joined, as HTTP allows). */
    static S3Response forwarded(io.s3d.backend.ForwardedResponse answer, boolean head) {
        S3Response response = new S3Response(answer.status());
        answer.headers().forEach((name, values) -> response.headers.put(name, String.join(",", values)));
        if (head || answer.contentLength() == 0) {
            answer.close();
        } else {
            response.stream(answer.body(), answer.contentLength(), answer);
        }
        return response;
    }

    S3Response header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    S3Response stream(InputStream body, long length, AutoCloseable resource) {
        this.stream = body;
        this.length = length;
        this.resource = resource;
        return this;
    }

    S3Response file(Path path, long offset, long length, AutoCloseable resource) {
        this.file = path;
        this.fileOffset = offset;
        this.length = length;
        this.resource = resource;
        return this;
    }
}
