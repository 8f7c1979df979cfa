package io.s3d.bench.load;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the SDK clients the suite uses: SigV4, path style, the SDK's default checksums, no retries. */
public final class S3Clients {
    private S3Clients() {
    }

    /**
     * A client for one endpoint with a pool as large as the concurrency. Retries are off so that a
     * failure is counted, not hidden inside a longer latency.
     */
    public static S3Client create(URI endpoint, String accessKey, String secretKey, int maxConnections) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofMinutes(10)))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(2, maxConnections))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(5))
                        .tcpKeepAlive(true))
                .build();
    }
}
