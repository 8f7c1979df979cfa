package io.s3d.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Talks to s3d's admin endpoints ({@code GET /_s3d/status...}, {@code GET /_s3d/queue},
 * {@code POST /_s3d/queue/flush|retry}, {@code GET /_s3d/cache}, {@code POST /_s3d/cache/prefetch|unpin}): JSON answers, requests without a body, signed with SigV4
 * (service {@code s3}, query included) when there are credentials, as the daemon requires once it
 * has any configured.
 */
final class AdminClient {
    /** SHA-256 of the empty body. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** How long an answer may take unless the caller says otherwise. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;

    private final java.util.function.Function<URI, HttpURLConnection> connections;

    AdminClient(URI endpoint, String region, AwsCredentialsProvider credentials,
            java.util.function.Function<URI, HttpURLConnection> connections) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.connections = connections;
    }

    record Response(int status, String body) {
        /** The body as a JSON object, or null when it is not one (an S3 XML error, an HTML page). */
        Map<?, ?> json() {
            try {
                return Json.parse(body) instanceof Map<?, ?> m ? m : null;
            } catch (IllegalArgumentException notJson) {
                return null;
            }
        }
    }

    static String path(S3Location loc) {
        StringBuilder p = new StringBuilder("/_s3d/status");
        if (loc != null) {
            p.append('/').append(encode(loc.bucket()));
            if (loc.hasKey()) {
                for (String segment : loc.key().split("/", -1)) {
                    p.append('/').append(encode(segment));
                }
            }
        }
        return p.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
    }

    Response get(String path) throws IOException {
        return send(SdkHttpMethod.GET, path, Map.of(), READ_TIMEOUT);
    }

    Response get(String path, Map<String, String> query) throws IOException {
        return send(SdkHttpMethod.GET, path, query, READ_TIMEOUT);
    }

    /** A POST without a body; {@code readTimeout} covers endpoints that wait, like flush. */
    Response post(String path, Map<String, String> query, Duration readTimeout) throws IOException {
        return send(SdkHttpMethod.POST, path, query, readTimeout);
    }

    /**
     * @param path the encoded path, e.g. from {@link #path(S3Location)}
     * @param query parameters, not encoded; sent in this order (the signature sorts them itself)
     */
    Response send(SdkHttpMethod method, String path, Map<String, String> query, Duration readTimeout)
            throws IOException {
        URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + path);
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(method).uri(uri)
                .putHeader("x-amz-content-sha256", EMPTY_SHA256)
                .putHeader("Accept", "application/json");
        query.forEach(builder::putRawQueryParameter);
        SdkHttpRequest unsigned = builder.build();
        SdkHttpRequest request = unsigned;
        if (!(credentials instanceof AnonymousCredentialsProvider)) {
            AwsCredentials identity = credentials.resolveCredentials();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            request = signed.request();
        }
        HttpURLConnection c = connections.apply(request.getUri());
        c.setConnectTimeout(5000);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        c.setRequestMethod(method.name());
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host")) {
                c.setRequestProperty(h.getKey(), String.join(",", h.getValue()));
            }
        }
        if (method == SdkHttpMethod.POST) {
            // an explicit empty body: Content-Length 0, as servers expect of a POST
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(0);
            c.getOutputStream().close();
        }
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, body);
        } finally {
            c.disconnect();
        }
    }
}
