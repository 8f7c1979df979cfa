package io.s3d.remote;

import io.s3d.config.S3dConfig;
import java.net.URI;
import java.net.URISyntaxException;
import io.s3d.telemetry.Traces;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The AWS SDK clients s3d talks to the remote store with, built from the {@link S3ClientBuilder} the
 * quarkus-amazon-s3 extension injects. The extension brings the HTTP client (Apache, pooled; its
 * connection limit and timeouts are s3d's {@code s3d.remote.*}, handed over as
 * {@code quarkus.s3.sync-client.*} in application.properties), the credentials (the standard AWS chain:
 * environment, {@code ~/.aws} profiles, web identity for Kubernetes service accounts, container and
 * instance roles), OpenTelemetry's AWS SDK instrumentation and the native-image registrations. s3d
 * sets what its own settings decide: endpoint, region and addressing from {@code s3d.remote.*},
 * checksums, retries, and its interceptors.
 */
public final class RemoteClients {
    private RemoteClients() {
    }

    /**
     * The two clients of one remote: {@code calls} retries (the SDK's standard strategy), {@code uploads}
     * does not, for the one that streams clients' bodies, which cannot be sent twice (the client retries
     * instead, on the error it gets). Each has its own connection pool.
     */
    public record Clients(S3Client calls, S3Client uploads) {
    }

    /**
     * The SDK asks S3 for {@code 100 Continue} before every upload body: one more round trip per
     * PUT, which over a WAN doubles a small PUT's latency. s3d sends the body straight away.
     */
    private static final ExecutionInterceptor NO_EXPECT_CONTINUE = new ExecutionInterceptor() {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("Expect").isPresent()
                    ? request.toBuilder().removeHeader("Expect").build() : request;
        }
    };

    /** The endpoint as a URI, or null for AWS's own endpoints. Fails naming the key when it is not a URL. */
    public static URI endpointUri(String endpoint) {
        if (endpoint.equalsIgnoreCase("aws")) {
            return null;
        }
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new URISyntaxException(endpoint, "not an http:// or https:// URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("s3d.remote.endpoint (S3_ENDPOINT): '" + endpoint
                    + "' is not an http(s) URL nor 'aws': " + e.getMessage());
        }
    }

    /**
     * Both clients from the extension's builder (which this configures: it is s3d's alone). Tracing
     * decided first ({@link Traces#on()}): off, the extension's OpenTelemetry interceptor is taken out,
     * so a request pays nothing for tracing; on, the SDK's span of each call is followed by s3d's W3C
     * {@code traceparent} header.
     */
    public static Clients create(S3ClientBuilder builder, S3dConfig.Remote remote) {
        URI endpoint = endpointUri(remote.endpoint().orElseThrow());
        boolean pathStyle = remote.pathStyle().orElse(endpoint != null);
        builder.region(Region.of(remote.region()))
                // s3d verifies client checksums itself and sends stored ones explicitly.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Addressing from s3d.remote.path-style. The extension's S3Configuration (quarkus.s3.path-style-access
                // and the other S3 options, all at the SDK's defaults) is replaced by an empty one: the SDK copies
                // what it holds into the builder at build(), and the second client built from this builder would
                // then fail with "ForcePathStyle has been configured on both S3Configuration and the client".
                .serviceConfiguration(S3Configuration.builder().build())
                .forcePathStyle(pathStyle);
        override(builder, c -> c.executionInterceptors(interceptors(c.executionInterceptors())));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        S3Client calls = override(builder, c -> c.retryStrategy(DefaultRetryStrategy.standardStrategyBuilder().build()))
                .build();
        S3Client uploads = override(builder, c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
        return new Clients(calls, uploads);
    }

    /**
     * Changes the builder's override configuration, keeping what the extension put there (its
     * interceptors): the SDK's {@code overrideConfiguration(Consumer)} would start from an empty one.
     */
    private static S3ClientBuilder override(S3ClientBuilder builder,
            UnaryOperator<ClientOverrideConfiguration.Builder> change) {
        builder.overrideConfiguration(change.apply(builder.overrideConfiguration().toBuilder()).build());
        return builder;
    }

    /**
     * The interceptors of s3d's clients: the extension's (its OpenTelemetry instrumentation only while
     * tracing is on), then the {@code traceparent} header when tracing, then the one that drops
     * {@code Expect: 100-continue}.
     */
    static List<ExecutionInterceptor> interceptors(List<ExecutionInterceptor> fromExtension) {
        List<ExecutionInterceptor> all = new ArrayList<>();
        for (ExecutionInterceptor i : fromExtension) {
            if (Traces.on() || !TraceHeaders.isSdkInstrumentation(i)) {
                all.add(i);
            }
        }
        all.addAll(List.of(TraceHeaders.forClient()));
        all.add(NO_EXPECT_CONTINUE);
        return all;
    }

    /**
     * The generic path for requests passed on as the client sent them: its own HTTP client (the
     * same timeouts and connection limits), s3d's credentials, the endpoint and addressing above.
     */
    public static RemoteForwarder forwarder(S3dConfig.Remote remote) {
        URI endpoint = endpointUri(remote.endpoint().orElseThrow());
        boolean pathStyle = remote.pathStyle().orElse(endpoint != null);
        URI target = endpoint != null ? endpoint : URI.create("https://s3." + remote.region() + ".amazonaws.com");
        var http = ApacheHttpClient.builder()
                .maxConnections(remote.maxConnections())
                .connectionTimeout(remote.connectTimeout())
                .socketTimeout(remote.readTimeout())
                .connectionMaxIdleTime(java.time.Duration.ofSeconds(15))
                .expectContinueEnabled(false)
                .build();
        return new RemoteForwarder(http, DefaultCredentialsProvider.builder().build(), remote.region(), target,
                pathStyle);
    }
}
