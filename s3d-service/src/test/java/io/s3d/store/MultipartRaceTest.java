package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.GatedStream;
import io.s3d.backend.MultipartBackend.CompletedPart;
import io.s3d.backend.MultipartBackend.Part;
import io.s3d.backend.MultipartBackend.UploadSpec;
import io.s3d.backend.ObjectData;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipart operations that overlap for real (threads, bodies that arrive slowly): S3's rules are
 * that the last upload of a part number to finish is the part, a completion uses the parts it
 * checked, and an abort frees everything even with a part still arriving.
 */
class MultipartRaceTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;
    LocalStore store;
    String uploadId;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        store.createBucket("bucket");
        uploadId = store.createMultipartUpload(new UploadSpec("bucket", "key", Map.of(), Map.of(), Map.of(),
                Optional.empty(), Optional.empty()));
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private Part upload(int number, InputStream body, long length) {
        return store.uploadPart("bucket", "key", uploadId, number, body, length, Optional.empty(), Map::of);
    }

    private CompletableFuture<Part> uploadSlowly(int number, byte[] body, CountDownLatch reached, CountDownLatch gate) {
        return CompletableFuture.supplyAsync(() -> upload(number, new GatedStream(body, body.length / 2, reached, gate),
                body.length));
    }

    private byte[] read(String key) throws IOException {
        try (ObjectData data = store.getObject("bucket", key); InputStream in = data.open(0, data.meta().size())) {
            return in.readAllBytes();
        }
    }

    private ObjectData complete(Part... parts) {
        List<CompletedPart> list = Stream.of(parts).map(p -> new CompletedPart(p.number(), p.etag())).toList();
        store.completeMultipartUpload("bucket", "key", uploadId, list, WriteCondition.NONE, (u, chosen) -> Map.of());
        return store.getObject("bucket", "key");
    }

    @Test
    void theUploadOfAPartNumberThatFinishesLastIsThePart() throws Exception {
        byte[] slow = random(3 * MIB, 1);
        byte[] fast = random(2 * MIB, 2);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Part> first = uploadSlowly(1, slow, reached, gate);
        assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
        Part second = upload(1, new ByteArrayInputStream(fast), fast.length);
        assertThat(store.listParts("bucket", "key", uploadId, 0, 1000).parts()).singleElement()
                .satisfies(p -> assertThat(p.etag()).isEqualTo(second.etag()));

        gate.countDown();
        Part last = first.get(30, TimeUnit.SECONDS);
        assertThat(store.listParts("bucket", "key", uploadId, 0, 1000).parts()).singleElement()
                .satisfies(p -> {
                    assertThat(p.etag()).as("the upload that finished last").isEqualTo(last.etag());
                    assertThat(p.size()).isEqualTo(slow.length);
                });
        assertThatThrownBy(() -> complete(second)).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo("InvalidPart"));
        complete(last).close();
        assertThat(read("key")).as("one upload's bytes, not a mix of both").isEqualTo(slow);
    }

    @Test
    void aCompletionAssemblesThePartsItCheckedEvenIfOneIsUploadedAgainMeanwhile() throws Exception {
        byte[] checked = random(1000, 3);
        byte[] replacement = random(5000, 4);
        Part part = upload(1, new ByteArrayInputStream(checked), checked.length);
        // The checksum callback runs after the part list is checked and before the bytes are copied.
        store.completeMultipartUpload("bucket", "key", uploadId, List.of(new CompletedPart(1, part.etag())),
                WriteCondition.NONE, (u, chosen) -> {
                    upload(1, new ByteArrayInputStream(replacement), replacement.length);
                    return Map.of();
                });
        assertThat(read("key")).isEqualTo(checked);
        byte[] md5OfMd5 = java.security.MessageDigest.getInstance("MD5")
                .digest(java.util.HexFormat.of().parseHex(part.etag()));
        assertThat(store.headObject("bucket", "key").etag())
                .isEqualTo(java.util.HexFormat.of().formatHex(md5OfMd5) + "-1");
    }

    @Test
    void anAbortWithAPartStillArrivingLeavesNoFileBehind() throws Exception {
        upload(1, new ByteArrayInputStream(random(100, 5)), 100);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Part> inFlight = uploadSlowly(2, random(2 * MIB, 6), reached, gate);
        assertThat(reached.await(30, TimeUnit.SECONDS)).isTrue();
        store.abortMultipartUpload("bucket", "key", uploadId);
        gate.countDown();
        assertThat(inFlight).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(S3Exception.class,
                        e -> assertThat(e.code()).isEqualTo("NoSuchUpload"));
        try (Stream<Path> uploads = Files.list(dir.resolve(".uploads")); Stream<Path> tmp = Files.list(store.tmpDir())) {
            assertThat(uploads).isEmpty();
            assertThat(tmp).isEmpty();
        }
        assertThatThrownBy(() -> store.listParts("bucket", "key", uploadId, 0, 1000)).isInstanceOfSatisfying(
                S3Exception.class, e -> assertThat(e.code()).isEqualTo("NoSuchUpload"));
    }
}
