package io.s3d.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.ObjectMeta;
import io.s3d.remote.RemoteBackend;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's start-up: its index rebuilt from what an earlier run left on disk. */
class CacheRebuildTest {
    private static final long BLOCK = 64 * 1024;

    @TempDir
    Path dir;

    /** Never called: rebuilding the index does not ask the remote anything. */
    private static final RemoteBackend NO_REMOTE = new RemoteBackend(null, null, "us-east-1", "http://unused");

    private static ReadCache.Settings settings(int maxFiles) {
        return new ReadCache.Settings(1L << 30, maxFiles, Duration.ofHours(1), BLOCK, 2, 0);
    }

    /** Writes an entry as the cache does: its entry file and whichever blocks are given. */
    private static CacheEntry put(Path objects, String key, int size, Instant validated, boolean pinned,
            long... blocks) throws Exception {
        return put(objects, new ObjectId("bucket", key), size, validated, pinned, blocks);
    }

    private static CacheEntry put(Path objects, ObjectId id, int size, Instant validated, boolean pinned,
            long... blocks) throws Exception {
        String key = id.key();
        ObjectMeta meta = new ObjectMeta(key, size, "etag-" + key, Instant.EPOCH, Map.of("content-type", "text/plain"),
                Map.of("m", "v"), Map.of(), Map.of(), 0, "g");
        Path entryDir = objects.resolve(id.hash().substring(0, 2)).resolve(id.hash() + "." + validated.toEpochMilli());
        Files.createDirectories(entryDir);
        CacheEntry entry = new CacheEntry(id, meta, BLOCK, entryDir, validated, pinned);
        EntryFile.write(entryDir, entry.stored());
        for (long b : blocks) {
            byte[] data = new byte[(int) entry.blockLength(b)];
            BlockFile.write(entry.blockPath(b), entry.blockHeader(b), new ByteArrayInputStream(data), data.length);
        }
        return entry;
    }

    @Test
    void tenThousandEntriesComeBackWithTheirBlocks() throws Exception {
        Path objects = dir.resolve("objects");
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            put(objects, "k" + i, 1000, t, false, 0);
        }
        long started = System.nanoTime();
        try (ReadCache cache = ReadCache.open(dir, NO_REMOTE, settings(20_000), Clock.systemUTC())) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("rebuilt 10,000 cache entries in %d ms%n", millis);
            assertThat(cache.entries()).isEqualTo(10_000);
            assertThat(cache.bytes()).isEqualTo(10_000L * 1000);
            CacheEntry e = cache.lookup(new ObjectId("bucket", "k42"));
            assertThat(e.has(0)).isTrue();
            assertThat(e.meta.userMetadata()).containsEntry("m", "v");
            // A safety net against a rebuild that grows quadratically, not a benchmark.
            assertThat(millis).isLessThan(60_000);
        }
    }

    @Test
    void versionsByIdComeBackBesideTheCurrentVersionAndStayCurrentForEver() throws Exception {
        Path objects = dir.resolve("objects");
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        put(objects, new ObjectId("bucket", "k"), 1000, longAgo, false, 0);
        put(objects, new ObjectId("bucket", "k", "v1"), 2000, longAgo, false, 0);
        try (ReadCache cache = ReadCache.open(dir, NO_REMOTE, settings(100), Clock.systemUTC())) {
            assertThat(cache.entries()).isEqualTo(2);
            CacheEntry version = cache.lookup(new ObjectId("bucket", "k", "v1"));
            assertThat(version.meta.size()).isEqualTo(2000);
            assertThat(version.fresh(Instant.now(), Duration.ofHours(1))).as("a version never changes").isTrue();
            CacheEntry current = cache.lookup(new ObjectId("bucket", "k"));
            assertThat(current.meta.size()).isEqualTo(1000);
            assertThat(current.fresh(Instant.now(), Duration.ofHours(1))).isFalse();

            cache.invalidate("bucket", "k");
            assertThat(cache.lookup(new ObjectId("bucket", "k"))).as("a write to the key").isNull();
            assertThat(cache.lookup(new ObjectId("bucket", "k", "v1"))).as("leaves its versions").isNotNull();
            assertThat(cache.entriesUnder("bucket", "")).as("pin and prefetch scans see current versions only")
                    .isEmpty();
        }
    }

    @Test
    void damagedLeftoversAreDroppedAndOnlyTheNewestCopyOfAKeyStays() throws Exception {
        Path objects = dir.resolve("objects");
        Instant old = Instant.parse("2026-11-01T00:00:00Z");
        Instant recent = old.plusSeconds(60);
        CacheEntry older = put(objects, "twice", 3 * (int) BLOCK, old, false, 0, 1, 2);
        CacheEntry newer = put(objects, "twice", 3 * (int) BLOCK, recent, true, 0, 2);
        CacheEntry partial = put(objects, "partial", 2 * (int) BLOCK, old, false, 0, 1);
        Files.write(partial.blockPath(1), new byte[10]); // wrong size: torn
        Files.write(partial.dir.resolve("b0.tmp1234"), new byte[5]); // a write cut short
        CacheEntry broken = put(objects, "broken", 10, old, false, 0);
        byte[] entryFile = Files.readAllBytes(broken.dir.resolve(EntryFile.NAME));
        entryFile[entryFile.length / 2] ^= 1;
        Files.write(broken.dir.resolve(EntryFile.NAME), entryFile);

        try (ReadCache cache = ReadCache.open(dir, NO_REMOTE, settings(100), Clock.systemUTC())) {
            CacheEntry twice = cache.lookup(new ObjectId("bucket", "twice"));
            assertThat(twice.dir).isEqualTo(newer.dir);
            assertThat(twice.pinned()).isTrue();
            assertThat(twice.has(0)).isTrue();
            assertThat(twice.has(1)).isFalse();
            assertThat(twice.has(2)).isTrue();
            assertThat(Files.exists(older.dir)).isFalse();
            assertThat(cache.pinnedEntries()).isEqualTo(1);
            assertThat(cache.pinnedBytes()).isEqualTo(2 * BLOCK);

            CacheEntry p = cache.lookup(new ObjectId("bucket", "partial"));
            assertThat(p.has(0)).isTrue();
            assertThat(p.has(1)).isFalse();
            assertThat(Files.exists(partial.blockPath(1))).isFalse();
            assertThat(Files.exists(partial.dir.resolve("b0.tmp1234"))).isFalse();

            assertThat(cache.lookup(new ObjectId("bucket", "broken"))).isNull();
            assertThat(Files.exists(broken.dir)).isFalse();

            cache.invalidate("bucket", "twice");
            assertThat(cache.pinnedBytes()).as("a pinned entry invalidated no longer counts").isZero();

        }
    }

    @Test
    void moreEntriesThanMaxFilesAreEvictedAtOnceAndTheirFilesDeleted() throws Exception {
        Path objects = dir.resolve("objects");
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 30; i++) {
            put(objects, "k" + i, 100, t.plusSeconds(i), false, 0);
        }
        try (ReadCache cache = ReadCache.open(dir, NO_REMOTE, settings(10), Clock.systemUTC())) {
            assertThat(cache.entries()).isEqualTo(10);
            assertThat(cache.stats().evictions()).isEqualTo(20);
            try (var files = Files.walk(objects)) {
                assertThat(files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().equals("b0")).count())
                        .isEqualTo(10);
            }
        }
    }

    @Test
    void aKeyInvalidatedWhileBeingReadDoesNotComeBackAfterARestart() throws Exception {
        Path objects = dir.resolve("objects");
        put(objects, "doc", 100, Instant.parse("2026-11-01T00:00:00Z"), false, 0);
        try (ReadCache cache = ReadCache.open(dir, NO_REMOTE, settings(100), Clock.systemUTC())) {
            CacheEntry reading = cache.lookup(new ObjectId("bucket", "doc"));
            assertThat(reading.acquire()).isTrue();
            // A write through s3d while a reader still streams the old version; then s3d stops.
            cache.invalidate("bucket", "doc");
            assertThat(Files.exists(reading.blockPath(0))).as("the reader's block stays while it reads").isTrue();
        }
        try (ReadCache cache = ReadCache.open(dir, NO_REMOTE, settings(100), Clock.systemUTC())) {
            assertThat(cache.lookup(new ObjectId("bucket", "doc"))).isNull();
            try (var files = Files.walk(objects)) {
                assertThat(files.filter(Files::isRegularFile).toList()).as("leftovers removed").isEmpty();
            }
        }
    }
}
