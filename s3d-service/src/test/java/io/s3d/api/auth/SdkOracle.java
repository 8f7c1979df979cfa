package io.s3d.api.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the AWS SDK's own SigV4 signer, the oracle the verifier is tested against. */
final class SdkOracle {
    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** A request as the SDK would put it on the wire, plus its body. */
    record Signed(SignedRequest request, byte[] body) {
        InputStream bodyStream() {
            return new ByteArrayInputStream(body);
        }

        Signed withRequest(SignedRequest other) {
            return new Signed(other, body);
        }

        Signed withBody(byte[] other) {
            return new Signed(request, other);
        }
    }

    /** Options for one signing. */
    record Options(boolean payloadSigning, boolean chunked, ChecksumAlgorithm checksum, Instant time,
            boolean presign, Duration expires, String region) {
        static Options header() {
            return new Options(true, false, null, NOW, false, null, "us-east-1");
        }

        Options unsignedPayload() {
            return new Options(false, chunked, checksum, time, presign, expires, region);
        }

        Options chunked(ChecksumAlgorithm algorithm) {
            return new Options(payloadSigning, true, algorithm, time, presign, expires, region);
        }

        Options checksum(ChecksumAlgorithm algorithm) {
            return new Options(payloadSigning, chunked, algorithm, time, presign, expires, region);
        }

        Options at(Instant when) {
            return new Options(payloadSigning, chunked, checksum, when, presign, expires, region);
        }

        Options presigned(Duration validFor) {
            return new Options(false, false, checksum, time, true, validFor, region);
        }

        Options region(String name) {
            return new Options(payloadSigning, chunked, checksum, time, presign, expires, name);
        }
    }

    private SdkOracle() {
    }

    static CredentialStore credentials() {
        return CredentialStore.of(Map.of(ACCESS_KEY, SECRET_KEY));
    }

    static SigV4Verifier verifier() {
        return new SigV4Verifier(credentials(), CLOCK);
    }

    /**
     * Signs {@code method uri} with extra headers and a body. {@code encodedPathAndQuery} must be
     * encoded the way an SDK encodes it (see {@link #encodeKey}).
     */
    static Signed sign(String method, String encodedPathAndQuery, Map<String, String> headers, byte[] body,
            Options options) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                // The SDK always signs payloads over plain http, so unsigned payloads need an https URI.
                .uri(URI.create((options.payloadSigning() ? "http" : "https") + "://localhost:33333"
                        + encodedPathAndQuery));
        headers.forEach(builder::putHeader);
        if (body != null && !options.presign()) {
            builder.putHeader("Content-Length", Long.toString(body.length));
        }
        SdkHttpRequest request = builder.build();
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest.builder(
                AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                .request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, options.region())
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(options.time(), ZoneOffset.UTC))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, options.payloadSigning())
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, options.chunked());
        if (body != null) {
            sign.payload(ContentStreamProvider.fromByteArray(body));
        }
        if (options.checksum() != null) {
            sign.putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, options.checksum());
        }
        if (options.presign()) {
            sign.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING);
            sign.putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, options.expires());
        }
        var signed = AwsV4HttpSigner.create().sign(sign.build());
        byte[] wire = signed.payload().map(SdkOracle::readAll).orElse(new byte[0]);
        return new Signed(toSignedRequest(signed.request()), wire);
    }

    static Signed sign(String method, String encodedPathAndQuery, byte[] body, Options options) {
        return sign(method, encodedPathAndQuery, Map.of(), body, options);
    }

    static SignedRequest toSignedRequest(SdkHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.forEachHeader((name, values) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).addAll(values));
        headers.computeIfAbsent("host", k -> new ArrayList<>(List.of(hostHeader(request))));
        URI uri = request.getUri();
        return new SignedRequest(request.method().name(), uri.getRawPath(), uri.getRawQuery(), headers);
    }

    static String hostHeader(SdkHttpRequest request) {
        int port = request.port();
        boolean standard = (port == 80 && request.protocol().equals("http"))
                || (port == 443 && request.protocol().equals("https"));
        return standard ? request.host() : request.host() + ":" + port;
    }

    /** Encodes a key as the SDK puts it in a path: every byte but unreserved characters and '/'. */
    static String encodeKey(String key) {
        return software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    }

    static byte[] readAll(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same request with one header replaced (or removed when value is null). */
    static SignedRequest withHeader(SignedRequest request, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, List.of(value));
        }
        return new SignedRequest(request.method(), request.rawPath(), request.rawQuery(), headers);
    }

    static byte[] bytes(int size, int seed) {
        byte[] out = new byte[size];
        new java.util.Random(seed).nextBytes(out);
        return out;
    }
}
