package io.s3d.api.auth;

import java.util.List;
import java.util.Map;

/**
 * What the verifier needs from an HTTP request, independent of the HTTP framework.
 *
 * @param method the HTTP method, upper case
 * @param rawPath the path exactly as sent on the request line, still percent-encoded; SigV4 is
 *     computed over the bytes the client encoded, so a decoded path would lose information
 * @param rawQuery the query exactly as sent, without {@code ?}; null when there is none
 * @param headers lower-case header names to their values in the order received
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {

    public SignedRequest {
        headers = headers == null ? Map.of() : headers;
    }

    /** The first value of a header, or null. */
    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
