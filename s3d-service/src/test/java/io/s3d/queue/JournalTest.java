package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Instant MODIFIED = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final Instant QUEUED = Instant.parse("2026-01-02T03:04:06.001Z");

    @TempDir(factory = RamTempDir.class)
    Path dir;

    private static QueueItem put(long seq, String bucket, String key) {
        return new QueueItem(seq, QueueItem.Op.PUT, bucket, key, 1234, "0123456789abcdef0123456789abcdef",
                MODIFIED, QUEUED, Map.of(), null);
    }

    /** Keys and values a naive line- or query-string-based format would break on. */
    private static List<QueueItem> awkwardItems() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("a=b&c", "x&y=z");
        tags.put("space key", " leading and trailing ");
        tags.put("plus+percent%", "100%+1");
        tags.put("ünïcödé 日本", "😀\u00e9");
        tags.put("empty", "");
        return List.of(
                put(0, "bucket", "line1\nline2\r\nline3"),
                new QueueItem(1, QueueItem.Op.TAGS, "bucket", "dir/ünïcödé 日本 😀 \uE000.txt", 0, "", Instant.EPOCH,
                        QUEUED, tags, null),
                new QueueItem(2, QueueItem.Op.DELETE, "bucket", "  leading spaces, =:#! and a trailing \\", 0, "",
                        Instant.EPOCH, QUEUED, Map.of(), null),
                put(3, "other-bucket", "end=1\nseq=99\n#not a comment").parked(
                        "403 AccessDenied: you may not\nwrite here = here & there"),
                put(4, "bucket", "conditional").expecting(QueueItem.expectEtag("\"0123\"=x")),
                put(5, "bucket", "created").expecting(QueueItem.EXPECT_ABSENT).parked("PreconditionFailed: lost"));
    }

    @Test
    void encodeDecodeRoundTripsAwkwardItems() {
        for (QueueItem item : awkwardItems()) {
            String text = new String(Journal.encode(item), StandardCharsets.UTF_8);
            assertThat(Journal.decode(text)).as("round trip of %s", item.key()).isEqualTo(item);
        }
    }

    @Test
    void writeThenLoadRoundTripsInQueueOrder() throws IOException {
        Journal journal = new Journal(dir.resolve("journal"));
        List<QueueItem> items = awkwardItems();
        // Written out of order: load must still answer in seq order.
        journal.write(items.get(3));
        journal.write(items.get(1));
        journal.write(items.get(0));
        journal.write(items.get(2));
        journal.write(put(12, "bucket", "twelve"));
        journal.write(put(100, "bucket", "hundred"));

        List<QueueItem> loaded = new Journal(dir.resolve("journal")).load();

        assertThat(loaded).extracting(QueueItem::seq).containsExactly(0L, 1L, 2L, 3L, 12L, 100L);
        assertThat(loaded.subList(0, 4)).containsExactlyElementsOf(items.subList(0, 4));
        assertThat(loaded.get(3).isParked()).isTrue();
        assertThat(loaded.get(3).parkedError()).isEqualTo("403 AccessDenied: you may not\nwrite here = here & there");
        assertThat(loaded.get(0).isParked()).isFalse();
    }

    @Test
    void rewritingAnItemReplacesIt() throws IOException {
        Journal journal = new Journal(dir);
        QueueItem item = put(7, "b", "k");
        journal.write(item);
        journal.write(item.parked("gone"));
        assertThat(journal.load()).containsExactly(item.parked("gone"));
        journal.write(item.parked(null));
        assertThat(journal.load()).containsExactly(item);
    }

    @Test
    void truncatedItemIsSetAsideAsBadAndNotReturned() throws IOException {
        Journal journal = new Journal(dir);
        journal.write(put(1, "b", "good-1"));
        journal.write(put(2, "b", "torn"));
        journal.write(put(3, "b", "good-3"));
        Path torn = itemFile(2);
        byte[] whole = Files.readAllBytes(torn);
        // Cut before the end marker, as a torn write would leave it.
        Files.write(torn, java.util.Arrays.copyOf(whole, whole.length - "end=1\n".length() - 3));

        List<QueueItem> loaded = journal.load();

        assertThat(loaded).extracting(QueueItem::key).containsExactly("good-1", "good-3");
        assertThat(torn).doesNotExist();
        assertThat(dir.resolve(torn.getFileName() + ".bad")).exists().hasBinaryContent(
                java.util.Arrays.copyOf(whole, whole.length - "end=1\n".length() - 3));
        // Set aside once: the next load does not see it again.
        assertThat(journal.load()).extracting(QueueItem::key).containsExactly("good-1", "good-3");
    }

    @Test
    void garbageTextItemsAreSetAsideAsBad() throws IOException {
        Journal journal = new Journal(dir);
        journal.write(put(1, "b", "good"));
        Files.writeString(dir.resolve("00000000000000000002.item"), "this is not a queue item\n");
        Files.writeString(dir.resolve("00000000000000000003.item"), "seq=abc\nend=1\n");
        Files.writeString(dir.resolve("00000000000000000004.item"), "bad=\\uZZZZ\nend=1\n");
        Files.writeString(dir.resolve("00000000000000000005.item"), "");

        assertThat(journal.load()).extracting(QueueItem::key).containsExactly("good");
        assertThat(names()).containsExactlyInAnyOrder("tmp", "00000000000000000001.item",
                "00000000000000000002.item.bad", "00000000000000000003.item.bad", "00000000000000000004.item.bad",
                "00000000000000000005.item.bad");
    }

    /** An item file of bytes that are not UTF-8 (a disk returning junk) is set aside like any other. */
    @Test
    void aNonUtf8ItemFileIsSetAside() throws IOException {
        Journal journal = new Journal(dir);
        journal.write(put(1, "b", "good"));
        Path junk = dir.resolve("00000000000000000002.item");
        Files.write(junk, new byte[] { 's', 'e', 'q', '=', (byte) 0xFF, (byte) 0xFE, (byte) 0xC3, '\n' });

        assertThat(journal.load()).extracting(QueueItem::key).containsExactly("good");
        assertThat(junk).doesNotExist();
        assertThat(dir.resolve("00000000000000000002.item.bad")).exists();
    }

    @Test
    void removeDeletesTheItemFiles() throws IOException {
        Journal journal = new Journal(dir);
        QueueItem a = put(1, "b", "a");
        QueueItem b = put(2, "b", "b");
        QueueItem c = put(3, "b", "c");
        journal.write(a);
        journal.write(b);
        journal.write(c);

        journal.remove(List.of(a, c));

        assertThat(names()).containsExactlyInAnyOrder("tmp", "00000000000000000002.item");
        assertThat(journal.load()).containsExactly(b);
        // Removing what is already gone is not an error (a replay after a crash may do it).
        journal.remove(List.of(a, b));
        assertThat(journal.load()).isEmpty();
    }

    @Test
    void temporaryLeftoversAreCleanedOnOpenAndNeverLoaded() throws IOException {
        Journal journal = new Journal(dir);
        journal.write(put(1, "b", "kept"));
        Path tmp = dir.resolve("tmp");
        // What a crash between the staging write and the rename leaves behind.
        Files.write(tmp.resolve("2-17.item"), Journal.encode(put(2, "b", "never acknowledged")));
        Files.writeString(tmp.resolve("3-18.item"), "seq=3\nop=PU");

        Journal reopened = new Journal(dir);

        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
        assertThat(reopened.load()).extracting(QueueItem::key).containsExactly("kept");
    }

    @Test
    void writeLeavesNoStagingFileBehind() throws IOException {
        Journal journal = new Journal(dir);
        for (int i = 0; i < 5; i++) {
            journal.write(put(i, "b", "k" + i));
        }
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
        assertThat(journal.load()).hasSize(5);
    }

    private Path itemFile(long seq) {
        return dir.resolve(String.format("%020d.item", seq));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
