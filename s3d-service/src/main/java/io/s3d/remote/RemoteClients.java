package io.s3d.remote;

import io.s3d.config.S3dConfig;
import java.net.URI;
import java.net.URISyntaxException;
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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the AWS SDK client s3d talks to the remote store with: endpoint, region and addressing
 * from {@code s3d.remote.*}, credentials from the standard AWS chain (environment, {@code ~/.aws}
 * profiles, web identity for Kubernetes service accounts, container and instance roles).
 */
public final class RemoteClients {
    private RemoteClients() {
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
     * A client for the remote; {@code retries} off for the one that streams clients' bodies, which
     * cannot be sent twice (the client retries instead, on the error it gets).
     */
    public static S3Client create(S3dConfig.Remote remote, boolean retries) {
        URI endpoint = endpointUri(remote.endpoint().orElseThrow());
        boolean pathStyle = remote.pathStyle().orElse(endpoint != null);
        var builder = S3Client.builder()
                .region(Region.of(remote.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(remote.maxConnections())
                        .connectionTimeout(remote.connectTimeout())
                        .socketTimeout(remote.readTimeout())
                        // Below the idle timeouts of common S3 servers, so a pooled connection is not
                        // one the server already closed (fatal for a pass-through upload, which
                        // cannot be sent twice).
                        .connectionMaxIdleTime(java.time.Duration.ofSeconds(15))
                        .expectContinueEnabled(false))
                // s3d verifies client checksums itself and sends stored ones explicitly.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .executionInterceptors(java.util.List.of(TraceHeaders.forClient()))
                        .addExecutionInterceptor(NO_EXPECT_CONTINUE)
                        .retryStrategy(retries ? software.amazon.awssdk.retries.DefaultRetryStrategy.standardStrategyBuilder().build()
                        : software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry())
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
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
