package io.s3d.backend;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The remote's answer to a {@link ForwardedRequest}, as it came: status, headers (lower-case names)
 * and the body still streaming from the remote. Close it to release the connection.
 *
 * @param contentLength the body's length from Content-Length, or -1 when the remote sent it chunked
 */
public record ForwardedResponse(int status, Map<String, List<String>> headers, InputStream body, long contentLength)
        implements AutoCloseable {

    public ForwardedResponse {
        headers = Map.copyOf(headers);
        body = body == null ? InputStream.nullInputStream() : body;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // An aborted transfer: nothing more to release.
        }
    }
}
