package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.bench.wan.CutMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Gateway mode without the write queue: every operation a client makes through s3d happens on the
 * remote (checked with a client talking to the remote directly), bodies stream both ways, and the
 * remote's errors come back with their own code and status.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class GatewayPassThroughIT {
    @TempDir
    static Path localDir;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client client;
    private static S3Client direct;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        s3d = ServiceProcess.start(localDir, remote.gatewayEnv());
        client = S3Client.builder().endpointOverride(URI.create(s3d.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).forcePathStyle(true)
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
        direct = remote.directClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
            direct.close();
        }
        if (s3d != null) {
            s3d.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void bucketsAreTheRemotesBuckets() {
        client.createBucket(b -> b.bucket("pt-buckets"));
        assertThat(direct.listBuckets().buckets()).anyMatch(b -> b.name().equals("pt-buckets"));
        direct.createBucket(b -> b.bucket("pt-made-remotely"));
        assertThat(client.listBuckets().buckets()).extracting(software.amazon.awssdk.services.s3.model.Bucket::name)
                .contains("pt-buckets", "pt-made-remotely");
        client.headBucket(b -> b.bucket("pt-made-remotely"));
        client.deleteBucket(b -> b.bucket("pt-made-remotely"));
        assertThat(direct.listBuckets().buckets()).noneMatch(b -> b.name().equals("pt-made-remotely"));
    }

    @Test
    void objectsGoToTheRemoteWithTheirMetadata() {
        client.createBucket(b -> b.bucket("pt-objects"));
        byte[] body = random(3 * 1024 * 1024 + 17, 1);
        var put = client.putObject(b -> b.bucket("pt-objects").key("dir/a b+c.bin").contentType("application/x-test")
                .cacheControl("max-age=60").metadata(Map.of("owner", "edge-7")),
                RequestBody.fromBytes(body));
        ResponseBytes<GetObjectResponse> onRemote = direct.getObjectAsBytes(b -> b.bucket("pt-objects")
                .key("dir/a b+c.bin"));
        assertThat(onRemote.asByteArray()).isEqualTo(body);
        assertThat(onRemote.response().contentType()).isEqualTo("application/x-test");
        assertThat(onRemote.response().cacheControl()).isEqualTo("max-age=60");
        assertThat(onRemote.response().metadata()).containsEntry("owner", "edge-7");
        assertThat(onRemote.response().eTag()).isEqualTo(put.eTag());
        ResponseBytes<GetObjectResponse> through = client.getObjectAsBytes(b -> b.bucket("pt-objects")
                .key("dir/a b+c.bin"));
        assertThat(through.asByteArray()).isEqualTo(body);
        assertThat(through.response().metadata()).containsEntry("owner", "edge-7");
        var head = client.headObject(b -> b.bucket("pt-objects").key("dir/a b+c.bin"));
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.eTag()).isEqualTo(put.eTag());

        // A range is fetched as a range: the bytes, and the total size in Content-Range.
        var range = client.getObjectAsBytes(b -> b.bucket("pt-objects").key("dir/a b+c.bin").range("bytes=1000-1999"));
        assertThat(range.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 2000));
        assertThat(range.response().contentRange()).isEqualTo("bytes 1000-1999/" + body.length);
        // More reads than s3d keeps connections to the remote: every read gives its connection back.
        for (int i = 0; i < 150; i++) {
            int at = i;
            assertThat(client.getObjectAsBytes(b -> b.bucket("pt-objects").key("dir/a b+c.bin")
                    .range("bytes=" + at + "-" + at)).asByteArray()).containsExactly(body[at]);
            if (i % 3 == 0) {
                // A client that leaves mid-body: s3d drops that remote read, it does not drain it.
                try (var partial = client.getObject(b -> b.bucket("pt-objects").key("dir/a b+c.bin"))) {
                    assertThat(partial.readNBytes(10)).isEqualTo(java.util.Arrays.copyOf(body, 10));
                    partial.abort();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        var suffix = client.getObjectAsBytes(b -> b.bucket("pt-objects").key("dir/a b+c.bin").range("bytes=-10"));
        assertThat(suffix.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(body, body.length - 10, body.length));

        // S3Proxy's file store has no object tags: its answer must come through as it said it.
        String direct501 = code(() -> direct.putObjectTagging(b -> b.bucket("pt-objects").key("dir/a b+c.bin")
                .tagging(t -> t.tagSet(Tag.builder().key("state").value("done").build()))));
        assertThat(code(() -> client.putObjectTagging(b -> b.bucket("pt-objects").key("dir/a b+c.bin")
                .tagging(t -> t.tagSet(Tag.builder().key("state").value("done").build()))))).isEqualTo(direct501);

        client.deleteObject(b -> b.bucket("pt-objects").key("dir/a b+c.bin"));
        assertThatThrownBy(() -> direct.headObject(b -> b.bucket("pt-objects").key("dir/a b+c.bin")))
                .isInstanceOf(S3Exception.class).extracting(e -> ((S3Exception) e).statusCode()).isEqualTo(404);
    }

    @Test
    void listingsPageThroughTheRemotesKeys() {
        client.createBucket(b -> b.bucket("pt-list"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add("flat-" + String.format("%02d", i));
        }
        for (String dir : List.of("d1/", "d2/", "d3/")) {
            for (int i = 0; i < 4; i++) {
                keys.add(dir + "f" + i);
            }
        }
        for (String key : keys) {
            direct.putObject(b -> b.bucket("pt-list").key(key), RequestBody.fromString(key));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket("pt-list").maxKeys(7).continuationToken(t));
            page.contents().forEach(o -> seen.add(o.key()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(seen).containsExactlyElementsOf(keys.stream().sorted().toList());

        List<String> entries = new ArrayList<>();
        token = null;
        do {
            String t = token;
            ListObjectsV2Response page = client.listObjectsV2(b -> b.bucket("pt-list").delimiter("/").maxKeys(2)
                    .continuationToken(t));
            page.commonPrefixes().forEach(p -> entries.add(p.prefix()));
            page.contents().forEach(o -> entries.add(o.key()));
            token = page.nextContinuationToken();
        } while (token != null);
        assertThat(entries).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(keys.stream().filter(k -> k.startsWith("flat")),
                        java.util.stream.Stream.of("d1/", "d2/", "d3/")).toList());
        var v1 = client.listObjects(b -> b.bucket("pt-list").prefix("d2/"));
        assertThat(v1.contents()).extracting(S3Object::key).containsExactly("d2/f0", "d2/f1", "d2/f2", "d2/f3");
    }

    @Test
    void multipartUploadsAndCopiesHappenOnTheRemote() {
        client.createBucket(b -> b.bucket("pt-multipart"));
        byte[] part1 = random(5 * 1024 * 1024, 2);
        byte[] part2 = random(1234, 3);
        String uploadId = client.createMultipartUpload(b -> b.bucket("pt-multipart").key("big")
                .contentType("video/mp4")).uploadId();
        assertThat(client.listMultipartUploads(b -> b.bucket("pt-multipart")).uploads())
                .anyMatch(u -> u.uploadId().equals(uploadId));
        String e1 = client.uploadPart(b -> b.bucket("pt-multipart").key("big").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part1)).eTag();
        String e2 = client.uploadPart(b -> b.bucket("pt-multipart").key("big").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(part2)).eTag();
        assertThat(client.listParts(b -> b.bucket("pt-multipart").key("big").uploadId(uploadId)).parts()).hasSize(2);
        client.completeMultipartUpload(b -> b.bucket("pt-multipart").key("big").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = concat(part1, part2);
        assertThat(direct.getObjectAsBytes(b -> b.bucket("pt-multipart").key("big")).asByteArray()).isEqualTo(whole);

        client.copyObject(b -> b.sourceBucket("pt-multipart").sourceKey("big").destinationBucket("pt-multipart")
                .destinationKey("copy").metadataDirective(MetadataDirective.REPLACE).contentType("text/plain")
                .metadata(Map.of("copied", "yes")));
        var copy = direct.getObjectAsBytes(b -> b.bucket("pt-multipart").key("copy"));
        assertThat(copy.asByteArray()).isEqualTo(whole);
        assertThat(copy.response().metadata()).containsEntry("copied", "yes");

        String abortId = client.createMultipartUpload(b -> b.bucket("pt-multipart").key("aborted")).uploadId();
        client.abortMultipartUpload(b -> b.bucket("pt-multipart").key("aborted").uploadId(abortId));
        assertThat(direct.listMultipartUploads(b -> b.bucket("pt-multipart")).uploads())
                .noneMatch(u -> u.uploadId().equals(abortId));
    }

    @Test
    void theRemotesErrorsComeBackAsTheRemoteSaidThem() {
        assertThat(code(() -> client.getObject(b -> b.bucket("pt-missing-bucket").key("k")))).isEqualTo(
                "404 NoSuchBucket");
        client.createBucket(b -> b.bucket("pt-errors"));
        assertThat(code(() -> client.getObject(b -> b.bucket("pt-errors").key("nope")))).isEqualTo("404 NoSuchKey");
        client.putObject(b -> b.bucket("pt-errors").key("k"), RequestBody.fromString("v"));
        assertThat(code(() -> client.deleteBucket(b -> b.bucket("pt-errors")))).isEqualTo("409 BucketNotEmpty");
        assertThat(code(() -> client.getObject(b -> b.bucket("pt-errors").key("k").ifMatch("\"0000\""))))
                .isEqualTo("412 PreconditionFailed");
        assertThat(code(() -> client.getObject(b -> b.bucket("pt-errors").key("k").range("bytes=10-20"))))
                .isEqualTo("416 InvalidRange");
        assertThat(code(() -> client.createBucket(b -> b.bucket("pt-errors")))).startsWith("409 Bucket");
    }

    /**
     * Runs last: connections the cut reset stay in s3d's pool, and an upload that meets one fails
     * with a 503 the client retries (s3d keeps no copy of a pass-through body to send again).
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void anUnreachableRemoteIsA503AndTheLinkComingBackHealsIt() throws Exception {
        client.createBucket(b -> b.bucket("pt-link"));
        client.putObject(b -> b.bucket("pt-link").key("k"), RequestBody.fromString("v"));
        remote.link().cut(CutMode.RESET);
        try {
            assertThat(code(() -> client.getObject(b -> b.bucket("pt-link").key("k")))).isEqualTo(
                    "503 ServiceUnavailable");
            assertThat(code(() -> client.putObject(b -> b.bucket("pt-link").key("k2"), RequestBody.fromString("v"))))
                    .isEqualTo("503 ServiceUnavailable");
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(s3d.endpoint() + "/_s3d/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.body()).contains("\"mode\":\"gateway\"").contains("\"reachable\":false");
        } finally {
            remote.link().restore();
        }
        assertThat(client.getObjectAsBytes(b -> b.bucket("pt-link").key("k")).asUtf8String()).isEqualTo("v");
    }

    @Test
    void aBodyThatFailsItsChecksumNeverReachesTheRemote() {
        client.createBucket(b -> b.bucket("pt-digest"));
        client.putObject(b -> b.bucket("pt-digest").key("k"), RequestBody.fromString("old"));
        String wrongMd5 = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertThat(code(() -> client.putObject(b -> b.bucket("pt-digest").key("k").contentMD5(wrongMd5),
                RequestBody.fromString("new")))).isEqualTo("400 BadDigest");
        assertThat(direct.getObjectAsBytes(b -> b.bucket("pt-digest").key("k")).asUtf8String()).isEqualTo("old");
    }

    private static String code(Runnable call) {
        try {
            call.run();
        } catch (S3Exception e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode();
        }
        return "no error";
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
