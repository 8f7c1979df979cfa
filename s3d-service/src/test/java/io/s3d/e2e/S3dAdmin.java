package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the write-queue tests use to talk to a running s3d: an anonymous S3 client, as a user on the
 * same machine would have, and the admin endpoints of docs/contract.md ({@code /_s3d/status},
 * {@code /_s3d/queue}, flush and retry) with their JSON answers.
 */
final class S3dAdmin {
    /** One admin answer: the HTTP status and the JSON body. */
    record Answer(int status, String body) {
        JsonPath json() {
            return JsonPath.from(body);
        }
    }

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    S3dAdmin(String endpoint) {
        this.endpoint = endpoint;
    }

    /** An anonymous client of s3d (no client credentials are configured: s3d accepts any request on loopback). */
    static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).maxConnections(16))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofSeconds(30)).GET());
    }

    Answer post(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code GET /_s3d/status}. */
    JsonPath status() {
        Answer a = get("/_s3d/status");
        assertThat(a.status()).as("GET /_s3d/status: %s", a.body()).isEqualTo(200);
        return a.json();
    }

    /** {@code GET /_s3d/status/{bucket}/{key}}. */
    JsonPath objectStatus(String bucket, String key) {
        Answer a = get("/_s3d/status/" + bucket + "/" + key);
        assertThat(a.status()).as("GET /_s3d/status/%s/%s: %s", bucket, key, a.body()).isEqualTo(200);
        return a.json();
    }

    /** {@code GET /_s3d/queue?bucket=...} plus extra query parameters ({@code &state=parked}). */
    JsonPath queue(String bucket, String extraQuery) {
        Answer a = get("/_s3d/queue?bucket=" + enc(bucket) + "&max-items=100000" + extraQuery);
        assertThat(a.status()).as("GET /_s3d/queue: %s", a.body()).isEqualTo(200);
        return a.json();
    }

    /** {@code POST /_s3d/queue/flush?bucket=...&timeout=...}: the barrier, answered 200, 409 or 504. */
    Answer flush(String bucket, Duration timeout) {
        return post("/_s3d/queue/flush?bucket=" + enc(bucket) + "&timeout=" + timeout.toMillis() + "ms",
                timeout.plusSeconds(30));
    }

    /** Flushes {@code bucket} and asserts that everything queued for it reached the remote. */
    JsonPath flushed(String bucket, Duration timeout) {
        Answer a = flush(bucket, timeout);
        if (a.status() != 200) {
            Answer queued = get("/_s3d/queue?bucket=" + enc(bucket) + "&max-items=20");
            assertThat(a.status()).as("flush of %s: %s; queued: %s", bucket, a.body(), queued.body()).isEqualTo(200);
        }
        assertThat(a.json().getBoolean("flushed")).isTrue();
        assertThat(a.json().getLong("remaining")).isZero();
        return a.json();
    }

    /** {@code POST /_s3d/queue/retry?bucket=...}. */
    Answer retry(String bucket) {
        return post("/_s3d/queue/retry?bucket=" + enc(bucket), Duration.ofSeconds(30));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
