package io.s3d.remote;

import io.s3d.backend.ForwardedRequest;
import io.s3d.backend.ForwardedResponse;
import io.s3d.backend.S3Exception;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The one generic path to the remote for everything s3d does not answer itself: the client's
 * request (method, bucket, key, query, headers, body) is sent to the remote re-signed with s3d's
 * credentials (SigV4, the SDK's own signer), and the remote's status, headers and body come back
 * as they are. Bodies stream both ways; nothing is buffered whole.
 *
 * <p>Payloads are sent unsigned ({@code UNSIGNED-PAYLOAD}): the body was already checked against
 * the client's signature and checksums while it streams (a failed check aborts the request before
 * its last byte, so the remote never completes it). A checksum the client sent in a trailer is
 * computed again by the signer over the same bytes and sent to the remote in a trailer too.
 */
public final class RemoteForwarder {
    /** Headers that describe the client's connection or signature, not its request. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "authorization", "x-amz-date",
            "x-amz-content-sha256", "x-amz-security-token", "content-length", "transfer-encoding", "connection",
            "keep-alive", "expect", "te", "upgrade", "proxy-authorization", "proxy-connection",
            "x-amz-decoded-content-length", "x-amz-trailer");
    /** A presigned URL's signature: s3d checked it, the remote gets s3d's own. */
    private static final Set<String> PRESIGN_PARAMETERS = Set.of("x-amz-algorithm", "x-amz-credential",
            "x-amz-date", "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token",
            "awsaccesskeyid", "signature", "expires");
    /** Headers of the remote's answer about its connection to s3d, not about the answer. */
    static final Set<String> NOT_RETURNED = Set.of("connection", "keep-alive", "transfer-encoding",
            "content-length", "date", "server");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final URI endpoint;
    private final boolean pathStyle;

    /**
     * @param endpoint the remote's endpoint, e.g. {@code http://minio:9000}
     * @param pathStyle {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}
     */
    public RemoteForwarder(SdkHttpClient http, AwsCredentialsProvider credentials, String region, URI endpoint,
            boolean pathStyle) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = endpoint;
        this.pathStyle = pathStyle;
    }

    public ForwardedResponse forward(ForwardedRequest request) {
        try (Traced span = Traces.client("S3.forward")) {
            span.set("rpc.system", "aws-api").set("rpc.service", "S3").set("http.request.method", request.method())
                    .set("aws.s3.bucket", request.bucket());
            try {
                ForwardedResponse response = forwardTraced(request);
                span.set("http.response.status_code", (long) response.status());
                return response;
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
    }

    private ForwardedResponse forwardTraced(ForwardedRequest request) {
        VerifiedBody body = request.body() == null ? null : new VerifiedBody(request.body(), request.contentLength());
        SdkHttpRequest unsigned = TraceHeaders.withTraceparent(toRemote(request));
        SignedRequest signed = sign(unsigned, request, body);
        SdkHttpRequest wire = signed.request().toBuilder().protocol(endpoint.getScheme()).build();
        HttpExecuteResponse response;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(wire)
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
        } catch (IOException | RuntimeException e) {
            Optional<S3Exception> clientSide = body == null ? Optional.empty() : body.failure();
            if (clientSide.isPresent()) {
                throw clientSide.get();
            }
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new RemoteUnreachableException("The remote S3 store is unreachable: " + RemoteErrors.rootMessage(e),
                    e);
        }
        return answer(response);
    }

    private SdkHttpRequest toRemote(ForwardedRequest request) {
        StringBuilder path = new StringBuilder(endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
        while (!path.isEmpty() && path.charAt(path.length() - 1) == '/') {
            path.setLength(path.length() - 1);
        }
        String host = endpoint.getHost();
        if (request.bucket() != null) {
            if (pathStyle) {
                path.append('/').append(SdkHttpUtils.urlEncode(request.bucket()));
            } else {
                host = request.bucket() + "." + host;
            }
        }
        path.append('/');
        if (request.key() != null) {
            path.append(SdkHttpUtils.urlEncodeIgnoreSlashes(request.key()));
        }
        var builder = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
                // Signed as https: the SDK's signer then leaves the payload unsigned instead of reading
                // it twice; the scheme is not part of the signature, and the request goes out as the
                // endpoint says. The port is explicit so the signed Host is the one sent.
                .protocol("https").host(host).port(port()).encodedPath(path.toString());
        for (Map.Entry<String, String> parameter : request.query()) {
            if (!PRESIGN_PARAMETERS.contains(parameter.getKey().toLowerCase(Locale.ROOT))) {
                builder.appendRawQueryParameter(parameter.getKey(),
                        parameter.getValue().isEmpty() ? null : parameter.getValue());
            }
        }
        request.headers().forEach((name, values) -> {
            if (NOT_FORWARDED.contains(name)) {
                return;
            }
            if (name.equals("content-encoding")) {
                List<String> kept = values.stream().map(RemoteForwarder::withoutAwsChunked)
                        .filter(v -> !v.isEmpty()).toList();
                if (!kept.isEmpty()) {
                    builder.putHeader(name, kept);
                }
                return;
            }
            builder.putHeader(name, values);
        });
        if (request.body() != null && request.contentLength() >= 0) {
            builder.putHeader("Content-Length", Long.toString(request.contentLength()));
        }
        builder.putHeader("Host", hostHeader(host));
        return builder.build();
    }

    private int port() {
        if (endpoint.getPort() > 0) {
            return endpoint.getPort();
        }
        return endpoint.getScheme().equals("https") ? 443 : 80;
    }

    /** The Host header the HTTP client will send for this host on the endpoint's real scheme. */
    private String hostHeader(String host) {
        boolean defaultPort = endpoint.getPort() <= 0
                || (endpoint.getScheme().equals("https") ? endpoint.getPort() == 443 : endpoint.getPort() == 80);
        return defaultPort ? host : host + ":" + endpoint.getPort();
    }

    private static String withoutAwsChunked(String contentEncoding) {
        List<String> kept = new ArrayList<>();
        for (String part : contentEncoding.split(",")) {
            if (!part.isBlank() && !part.trim().equalsIgnoreCase("aws-chunked")) {
                kept.add(part.trim());
            }
        }
        return String.join(",", kept);
    }

    private SignedRequest sign(SdkHttpRequest request, ForwardedRequest forwarded, VerifiedBody body) {
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        ContentStreamProvider payload = body == null ? null : body.provider();
        Optional<ChecksumAlgorithm> trailer = body == null || forwarded.contentLength() < 0 ? Optional.empty()
                : forwarded.trailingChecksum().flatMap(RemoteForwarder::algorithm);
        var sign = SignRequest.builder(identity).request(request).payload(payload)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false);
        if (trailer.isPresent()) {
            sign.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                    .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, trailer.get());
        }
        return AwsV4HttpSigner.create().sign(sign.build());
    }

    private static Optional<ChecksumAlgorithm> algorithm(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "CRC32" -> Optional.of(DefaultChecksumAlgorithm.CRC32);
            case "CRC32C" -> Optional.of(DefaultChecksumAlgorithm.CRC32C);
            case "CRC64NVME" -> Optional.of(DefaultChecksumAlgorithm.CRC64NVME);
            case "SHA1" -> Optional.of(DefaultChecksumAlgorithm.SHA1);
            case "SHA256" -> Optional.of(DefaultChecksumAlgorithm.SHA256);
            default -> Optional.empty();
        };
    }

    private static ForwardedResponse answer(HttpExecuteResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        long length = -1;
        for (Map.Entry<String, List<String>> header : response.httpResponse().headers().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") && !header.getValue().isEmpty()) {
                length = Long.parseLong(header.getValue().getFirst().trim());
            }
            if (!NOT_RETURNED.contains(name)) {
                headers.put(name, List.copyOf(header.getValue()));
            }
        }
        InputStream body = response.responseBody().map(InputStream.class::cast).orElse(null);
        if (body == null && length > 0) {
            // A HEAD answer: the length describes the object, there is no body to send.
            headers.put("content-length", List.of(Long.toString(length)));
            length = 0;
        } else if (body == null) {
            length = 0;
        }
        return new ForwardedResponse(response.httpResponse().statusCode(), headers, body, length);
    }
}
