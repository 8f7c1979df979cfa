package io.s3d;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** AWS SDK v2 clients for the running app, configured as a user would: endpoint, path style, keys. */
public final class TestClients {
    public static final String ACCESS_KEY = "s3d-test-key";
    public static final String SECRET_KEY = "s3d-test-secret";

    private TestClients() {
    }

    public static S3Client s3(URL base) {
        return s3(base, ACCESS_KEY, SECRET_KEY);
    }

    public static S3Client s3(URL base, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint(base)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofMinutes(2)))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    public static S3Presigner presigner(URL base) {
        return S3Presigner.builder().endpointOverride(endpoint(base)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    public static URI endpoint(URL base) {
        return URI.create("http://" + base.getHost() + ":" + base.getPort());
    }
}
