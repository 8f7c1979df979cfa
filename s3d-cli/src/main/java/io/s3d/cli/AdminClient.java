package io.s3d.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * Reads s3d's admin JSON ({@code GET /_s3d/status...}), signed with SigV4 (service {@code s3})
 * when there are credentials, as the daemon requires once it has any configured.
 */
final class AdminClient {
    /** SHA-256 of the empty body. */
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;

    AdminClient(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    record Response(int status, String body) {
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
        URI uri = URI.create(endpoint.toString().replaceAll("/+$", "") + path);
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri)
                .putHeader("x-amz-content-sha256", EMPTY_SHA256)
                .putHeader("Accept", "application/json").build();
        SdkHttpRequest request = unsigned;
        if (!(credentials instanceof AnonymousCredentialsProvider)) {
            AwsCredentials identity = credentials.resolveCredentials();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            request = signed.request();
        }
        HttpURLConnection c = (HttpURLConnection) request.getUri().toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        c.setRequestMethod("GET");
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host")) {
                c.setRequestProperty(h.getKey(), String.join(",", h.getValue()));
            }
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
