package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ListRequest;
import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.MultipartBackend.CopyTarget;
import io.s3d.backend.CopyConditions;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.ObjectVersions.Status;
import io.s3d.backend.ObjectVersions.Version;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store's versioning: histories, delete markers, the null version, listing, crash repair. */
class VersionedStoreTest {
    @TempDir
    Path dir;
    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        store.createBucket("bkt");
    }

    private ObjectMeta put(String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return store.putObject(new PutRequest("bkt", key, new ByteArrayInputStream(bytes), bytes.length,
                Optional.empty(), Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }

    private String read(String key, String versionId) throws IOException {
        try (ObjectData data = store.getObjectVersion("bkt", key, versionId);
                InputStream in = data.open(0, data.meta().size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> versions(String prefix) {
        List<String> out = new ArrayList<>();
        for (Version v : store.listObjectVersions("bkt", new ObjectVersions.ListRequest(prefix, null, null, null, 1000))
                .versions()) {
            out.add(v.key() + ":" + (v.deleteMarker() ? "marker" : "object") + (v.latest() ? ":latest" : ""));
        }
        return out;
    }

    @Test
    void anUnversionedBucketWritesNoVersionIdsAndKeepsNoHistory() throws Exception {
        ObjectMeta meta = put("a/k", "one");
        assertThat(meta.versionId()).isEmpty();
        assertThat(store.bucketVersioning("bkt")).isEqualTo(Status.UNVERSIONED);
        put("a/k", "two");
        assertThat(Files.exists(dir.resolve("bkt/a.d/k.v"))).isFalse();
        assertThat(store.listObjectVersions("bkt", new ObjectVersions.ListRequest("", null, null, null, 1000))
                .versions()).singleElement().satisfies(v -> assertThat(v.versionId()).isEqualTo("null"));
    }

    @Test
    void everyPutOfAVersionedKeyIsKeptAndReadableById() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta first = put("k", "one");
        ObjectMeta second = put("k", "two");
        assertThat(first.versionId()).isPresent();
        assertThat(second.versionId()).isPresent().isNotEqualTo(first.versionId());
        assertThat(read("k", null)).isEqualTo("two");
        assertThat(read("k", first.versionId().get())).isEqualTo("one");
        assertThat(read("k", second.versionId().get())).isEqualTo("two");
        assertThat(store.headObject("bkt", "k").versionId()).isEqualTo(second.versionId());
        assertThat(versions("")).containsExactly("k:object:latest", "k:object");
        assertThat(store.listObjects("bkt", new ListRequest("", null, "", 1000)).objects()).hasSize(1);
    }

    @Test
    void aDeleteAddsAMarkerThatHidesTheKeyAndRemovingTheMarkerBringsItBack() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta first = put("dir/k", "one");
        ObjectVersions.Deleted deleted = store.deleteObjectVersion("bkt", "dir/k", null);
        assertThat(deleted.deleteMarker()).isTrue();
        assertThat(deleted.versionId()).isNotEqualTo("null");
        assertThatThrownBy(() -> store.getObject("bkt", "dir/k")).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo("NoSuchKey");
            assertThat(e.headers()).containsEntry("x-amz-delete-marker", "true")
                    .containsEntry("x-amz-version-id", deleted.versionId());
        });
        assertThatThrownBy(() -> store.getObjectVersion("bkt", "dir/k", deleted.versionId()))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.code()).isEqualTo("MethodNotAllowed");
                    assertThat(e.headers()).containsEntry("x-amz-delete-marker", "true");
                });
        assertThat(store.listObjects("bkt", new ListRequest("", "/", "", 1000)).commonPrefixes()).isEmpty();
        assertThat(versions("")).containsExactly("dir/k:marker:latest", "dir/k:object");
        assertThatThrownBy(() -> store.deleteBucket("bkt")).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.code()).isEqualTo("BucketNotEmpty"));

        ObjectVersions.Deleted removed = store.deleteObjectVersion("bkt", "dir/k", deleted.versionId());
        assertThat(removed.deleteMarker()).isTrue();
        assertThat(read("dir/k", null)).isEqualTo("one");
        assertThat(store.headObject("bkt", "dir/k").versionId()).isEqualTo(first.versionId());
    }

    @Test
    void deletingTheCurrentVersionByIdPromotesThePreviousOneAndTheLastLeavesNothing() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta first = put("k", "one");
        ObjectMeta second = put("k", "two");
        store.deleteObjectVersion("bkt", "k", second.versionId().get());
        assertThat(read("k", null)).isEqualTo("one");
        store.deleteObjectVersion("bkt", "k", first.versionId().get());
        assertThatThrownBy(() -> store.getObject("bkt", "k")).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.headers()).doesNotContainKey("x-amz-delete-marker"));
        assertThat(versions("")).isEmpty();
        assertThat(Files.exists(dir.resolve("bkt/k.v"))).isFalse();
        store.deleteBucket("bkt");
    }

    @Test
    void anObjectWrittenBeforeVersioningBecomesTheNullVersion() throws Exception {
        put("k", "old");
        store.putBucketVersioning("bkt", Status.ENABLED);
        assertThat(store.headObject("bkt", "k").versionId()).contains("null");
        ObjectMeta next = put("k", "new");
        assertThat(read("k", "null")).isEqualTo("old");
        assertThat(read("k", null)).isEqualTo("new");
        assertThat(store.listObjectVersions("bkt", new ObjectVersions.ListRequest("", null, null, null, 10)).versions())
                .extracting(Version::versionId).containsExactly(next.versionId().get(), "null");
    }

    @Test
    void whileSuspendedWritesAndDeletesReplaceTheNullVersionOnly() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta kept = put("k", "kept");
        store.putBucketVersioning("bkt", Status.SUSPENDED);
        assertThat(put("k", "n1").versionId()).contains("null");
        put("k", "n2");
        assertThat(store.listObjectVersions("bkt", new ObjectVersions.ListRequest("", null, null, null, 10)).versions())
                .extracting(Version::versionId).containsExactly("null", kept.versionId().get());
        assertThat(read("k", "null")).isEqualTo("n2");
        ObjectVersions.Deleted marker = store.deleteObjectVersion("bkt", "k", null);
        assertThat(marker).isEqualTo(new ObjectVersions.Deleted("null", true));
        assertThat(versions("")).containsExactly("k:marker:latest", "k:object");
    }

    @Test
    void tagsBelongToOneVersion() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta first = put("k", "one");
        put("k", "two");
        store.putObjectTags("bkt", "k", first.versionId().get(), Map.of("v", "1"));
        store.putObjectTags("bkt", "k", Map.of("v", "2"));
        assertThat(store.getObjectTags("bkt", "k", first.versionId().get())).containsExactly(Map.entry("v", "1"));
        assertThat(store.getObjectTags("bkt", "k")).containsExactly(Map.entry("v", "2"));
    }

    @Test
    void copyReadsTheNamedVersion() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta first = put("k", "one");
        put("k", "two");
        ObjectMeta copy = store.copyObject(new CopySource("bkt", "k", Optional.empty(), CopyConditions.NONE,
                first.versionId().get()), new CopyTarget("bkt", "k", Optional.empty(), Optional.empty(),
                        Optional.empty(), WriteCondition.NONE));
        assertThat(copy.versionId()).isPresent();
        assertThat(read("k", null)).isEqualTo("one");
        assertThat(versions("")).hasSize(3);
    }

    @Test
    void unknownAndMalformedVersionIdsAreRefusedAsS3Does() {
        store.putBucketVersioning("bkt", Status.ENABLED);
        put("k", "one");
        assertThatThrownBy(() -> store.getObjectVersion("bkt", "k", "0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("NoSuchVersion"));
        assertThatThrownBy(() -> store.getObjectVersion("bkt", "k", "../../etc"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("InvalidArgument"));
    }

    @Test
    void versionListingPagesWithKeyAndVersionMarkersAndRollsUpPrefixes() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        for (String key : List.of("a", "d/x", "d/y", "e")) {
            put(key, "1");
            put(key, "2");
        }
        store.deleteObjectVersion("bkt", "e", null);
        List<String> all = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        int pages = 0;
        while (true) {
            ObjectVersions.Page page = store.listObjectVersions("bkt",
                    new ObjectVersions.ListRequest("", null, keyMarker, versionMarker, 3));
            page.versions().forEach(v -> all.add(v.key() + "@" + v.versionId()));
            pages++;
            if (!page.truncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        assertThat(all).hasSize(9).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(3);
        assertThat(all.stream().map(s -> s.substring(0, s.indexOf('@'))).toList())
                .containsExactly("a", "a", "d/x", "d/x", "d/y", "d/y", "e", "e", "e");

        ObjectVersions.Page rolled = store.listObjectVersions("bkt", new ObjectVersions.ListRequest("", "/", null, null,
                1000));
        assertThat(rolled.commonPrefixes()).containsExactly("d/");
        assertThat(rolled.versions()).extracting(Version::key).containsExactly("a", "a", "e", "e", "e");
        ObjectVersions.Page under = store.listObjectVersions("bkt", new ObjectVersions.ListRequest("d/", "/", null,
                null, 1000));
        assertThat(under.versions()).extracting(Version::key).containsExactly("d/x", "d/x", "d/y", "d/y");
    }

    @Test
    void keysWithHashedSegmentsKeepTheirHistory() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        String longSegment = "s".repeat(300);
        String key = longSegment + "/" + longSegment;
        put(key, "one");
        store.deleteObjectVersion("bkt", key, null);
        assertThat(versions("")).containsExactly(key + ":marker:latest", key + ":object");
    }

    @Test
    void startUpRepairsAVersionedWriteACrashInterrupted() throws Exception {
        store.putBucketVersioning("bkt", Status.ENABLED);
        ObjectMeta first = put("k", "one");
        ObjectMeta second = put("k", "two");
        // As if the process died while deleting the current version by id: the history lost it, the
        // current file still shows it, and the intent is in the journal.
        Path history = dir.resolve("bkt/k.v");
        try (var files = Files.list(history)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().contains(second.versionId().get())) {
                    Files.delete(file);
                }
            }
        }
        Files.writeString(dir.resolve(".journal/intent-1"), "REMOVE\nbkt\nk");
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        assertThat(read("k", null)).isEqualTo("one");
        assertThat(store.headObject("bkt", "k").versionId()).isEqualTo(first.versionId());
        try (var left = Files.list(dir.resolve(".journal"))) {
            assertThat(left.toList()).isEmpty();
        }
    }
}
