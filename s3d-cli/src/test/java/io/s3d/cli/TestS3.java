package io.s3d.cli;

import java.net.URI;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Direct S3 access to the test S3Proxy, to arrange and check what the CLI does. */
public final class TestS3 {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Client client;

    private TestS3() {
    }

    public static synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder().endpointOverride(URI.create(S3ProxyServer.endpoint()))
                    .forcePathStyle(true).region(Region.US_EAST_1)
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                    .build();
        }
        return client;
    }

    /** A new, empty bucket with a unique name. */
    public static String bucket(String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    public static void put(String bucket, String key, byte[] data) {
        client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }

    public static byte[] get(String bucket, String key) {
        return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
