package io.s3d.backend;

import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request s3d does not answer itself but passes to the remote store as the client sent it: same
 * method, bucket, key, query and headers (minus the client's own signature and transfer framing),
 * and the same body bytes, re-signed with s3d's identity.
 *
 * @param method the HTTP method
 * @param bucket the bucket, or null for the service
 * @param key the object key, or null for a bucket request
 * @param query the query parameters, decoded, in the client's order (a parameter may repeat)
 * @param headers the client's headers, lower-case names, minus authentication and framing headers
 * @param body the decoded body (checked against the client's signature and checksums while it streams), or null
 * @param contentLength the body's length, or -1 when unknown (then it is sent chunked)
 * @param trailingChecksum the checksum algorithm the client sent in a trailer, to compute again for the remote
 */
public record ForwardedRequest(String method, String bucket, String key, List<Map.Entry<String, String>> query,
        Map<String, List<String>> headers, InputStream body, long contentLength, Optional<String> trailingChecksum) {

    public ForwardedRequest {
        query = List.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** Whether the request only reads: GET and HEAD. Everything else may change what the remote holds. */
    public boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    /** The first value of a header (lower-case name), or null. */
    public String header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
