package io.s3d;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs raw HTTP requests with the AWS SDK's SigV4 signer, for tests that need exact bytes on the wire. */
public final class TestSigner {
    private TestSigner() {
    }

    /** A java.net.http request for {@code uri}, signed in headers with a signed payload. */
    public static HttpRequest.Builder signed(String method, URI uri, Map<String, String> headers, byte[] body,
            String accessKey, String secretKey, Instant time) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest
                .builder(AwsCredentialsIdentity.create(accessKey, secretKey)).request(request.build())
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(time, ZoneOffset.UTC))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true);
        if (body != null) {
            sign.payload(ContentStreamProvider.fromByteArray(body));
        }
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(sign.build()).request();
        HttpRequest.Builder out = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return out;
    }

    /** A presigned URL for {@code uri}, valid for {@code validFor} from {@code time}. */
    public static URI presigned(String method, URI uri, String accessKey, String secretKey, Instant time,
            Duration validFor) {
        // The SDK signs payloads over plain http; a presigned URL never signs its payload, so sign the
        // same host and path as https and hand back the http form.
        URI https = URI.create(uri.toString().replaceFirst("^http:", "https:"));
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(https).build();
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest
                .builder(AwsCredentialsIdentity.create(accessKey, secretKey)).request(request)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(time, ZoneOffset.UTC))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, validFor);
        return URI.create(AwsV4HttpSigner.create().sign(sign.build()).request().getUri().toString()
                .replaceFirst("^https:", "http:"));
    }
}
