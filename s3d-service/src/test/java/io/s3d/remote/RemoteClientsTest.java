package io.s3d.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.instrumentation.awssdk.v2_2.AwsSdkTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.s3d.config.S3dConfig;
import io.s3d.telemetry.Traces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The interceptors s3d's remote clients get on top of the extension's: with tracing off the AWS SDK
 * instrumentation the extension adds is taken out (no per-call cost), with tracing on it stays first and
 * s3d's {@code traceparent} follows it; the {@code Expect: 100-continue} remover is always last.
 */
class RemoteClientsTest {
    private final ExecutionInterceptor configured = new ExecutionInterceptor() {
    };

    @AfterEach
    void tracingOff() {
        Traces.use(null);
    }

    @Test
    void tracingOffDropsTheSdkInstrumentationAndAddsNoTraceHeader() {
        ExecutionInterceptor sdkSpans = AwsSdkTelemetry.create(OpenTelemetrySdk.builder().build())
                .newExecutionInterceptor();
        List<ExecutionInterceptor> all = RemoteClients.interceptors(List.of(sdkSpans, configured));
        assertThat(all).hasSize(2).doesNotContain(sdkSpans);
        assertThat(all.get(0)).isSameAs(configured);
        assertThat(all.get(1).getClass().getEnclosingClass()).isEqualTo(RemoteClients.class);
    }

    @Test
    void tracingOnKeepsTheSdkSpanFirstThenTheTraceparent() {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build())
                .build();
        Traces.use(sdk);
        ExecutionInterceptor sdkSpans = AwsSdkTelemetry.create(sdk).newExecutionInterceptor();
        List<ExecutionInterceptor> all = RemoteClients.interceptors(List.of(sdkSpans, configured));
        assertThat(all).hasSize(4);
        assertThat(all.get(0)).isSameAs(sdkSpans);
        assertThat(TraceHeaders.isSdkInstrumentation(all.get(0))).isTrue();
        assertThat(all.get(1)).isSameAs(configured);
        assertThat(all.get(2).getClass().getEnclosingClass()).isEqualTo(TraceHeaders.class);
        assertThat(all.get(3).getClass().getEnclosingClass()).isEqualTo(RemoteClients.class);
    }

    /**
     * Both clients from one builder set up as the extension sets it up (its interceptor in the override
     * configuration, addressing in an S3Configuration): the extension's interceptor kept, s3d's added, one
     * client retrying and one not, and the second build does not trip over the first.
     */
    @Test
    void bothClientsKeepTheExtensionsSetUpAndDifferOnlyInRetries() {
        var extensionBuilder = S3Client.builder().httpClientBuilder(ApacheHttpClient.builder())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(false).build())
                .overrideConfiguration(o -> o.addExecutionInterceptor(configured));
        RemoteClients.Clients clients = RemoteClients.create(extensionBuilder, remote("http://127.0.0.1:9"));
        try (S3Client calls = clients.calls(); S3Client uploads = clients.uploads()) {
            var callsConfig = calls.serviceClientConfiguration().overrideConfiguration();
            var uploadsConfig = uploads.serviceClientConfiguration().overrideConfiguration();
            // The SDK's own S3 interceptors come along; the configured ones are the extension's and s3d's.
            assertThat(callsConfig.executionInterceptors()).filteredOn(i -> !i.getClass().getName()
                    .startsWith("software.amazon.awssdk.")).hasSize(2).first().isSameAs(configured);
            assertThat(uploadsConfig.executionInterceptors()).filteredOn(i -> !i.getClass().getName()
                    .startsWith("software.amazon.awssdk.")).hasSize(2).first().isSameAs(configured);
            assertThat(callsConfig.retryStrategy().orElseThrow().maxAttempts()).isGreaterThan(1);
            assertThat(uploadsConfig.retryStrategy().orElseThrow().maxAttempts()).isEqualTo(1);
            assertThat(calls.serviceClientConfiguration().region().id()).isEqualTo("eu-west-3");
            assertThat(calls.serviceClientConfiguration().endpointOverride()).contains(java.net.URI.create("http://127.0.0.1:9"));
        }
    }

    private static S3dConfig.Remote remote(String endpoint) {
        return new S3dConfig.Remote() {
            public Optional<String> endpoint() {
                return Optional.of(endpoint);
            }

            public String region() {
                return "eu-west-3";
            }

            public Optional<Boolean> pathStyle() {
                return Optional.empty();
            }

            public int maxConnections() {
                return 4;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(1);
            }

            public Duration readTimeout() {
                return Duration.ofSeconds(1);
            }

            public io.quarkus.runtime.configuration.MemorySize multipartThreshold() {
                return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.valueOf(16 << 20));
            }

            public io.quarkus.runtime.configuration.MemorySize partSize() {
                return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.valueOf(8 << 20));
            }
        };
    }
}
