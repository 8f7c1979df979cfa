package io.s3d.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncStateTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryPathAndField() throws IOException {
        Map<String, StateEntry> entries = new HashMap<>();
        entries.put("plain.txt", new StateEntry(1, 2, 3, "abc", 1));
        entries.put("dir/with\ttab and\nnewline %09 100%.md", new StateEntry(0, -1, 0, "d41d8cd98f00b204e9800998ecf8427e", 0));
        entries.put("ünïcödé/ファイル", new StateEntry(Long.MAX_VALUE, 1_700_000_000_123_456_789L, 1L << 40,
                "0123456789abcdef0123456789abcdef-12", Long.MAX_VALUE));
        SyncState.save(dir, entries);
        assertThat(SyncState.load(dir)).isEqualTo(entries);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state");
        }
    }

    @Test
    void aMissingFileIsAnEmptySnapshot() throws IOException {
        assertThat(SyncState.load(dir)).isEmpty();
    }

    @Test
    void aSnapshotCutShortIsNotTrusted() throws IOException {
        Map<String, StateEntry> entries = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            entries.put("f" + i, new StateEntry(i, i, i, "e" + i, i));
        }
        SyncState.save(dir, entries);
        byte[] full = Files.readAllBytes(dir.resolve("state"));
        Files.write(dir.resolve("state"), java.util.Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> SyncState.load(dir)).isInstanceOf(IOException.class);
        Files.writeString(dir.resolve("state"), "s3d-sync-state 1\nf1\t1\t1\t1\te1\t1\nend 2\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SyncState.load(dir)).hasMessageContaining("holds 1 entries, not 2");
    }

    @Test
    void aVersionOneSnapshotLoadsWithTheInodeUnknown() throws IOException {
        // Version 1 stored a hash of the file key (device number included), not the inode.
        Files.writeString(dir.resolve("state"), "s3d-sync-state 1\nf1\t1\t2\t4299999999\te1\t1\nend 1\n",
                StandardCharsets.UTF_8);
        assertThat(SyncState.load(dir)).containsExactly(Map.entry("f1", new StateEntry(1, 2, 0, "e1", 1)));
        SyncState.save(dir, Map.of("f1", new StateEntry(1, 2, 77, "e1", 1)));
        assertThat(Files.readString(dir.resolve("state"))).startsWith("s3d-sync-state 2\n");
        assertThat(SyncState.load(dir).get("f1").inode()).isEqualTo(77);
    }

    @Test
    void theEndLineCountsTheLinesWrittenEvenWhenTheMapGrowsMeanwhile() throws IOException {
        // A transfer still running at shutdown puts into the live map while it is being saved.
        Map<String, StateEntry> live = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < 100; i++) {
            live.put("f" + i, new StateEntry(i, i, i, "e" + i, i));
        }
        Map<String, StateEntry> growing = new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<String, StateEntry>> entrySet() {
                return live.entrySet();
            }

            @Override
            public int size() {
                live.put("late-" + live.size(), new StateEntry(1, 1, 1, "x", 1)); // put after the loop
                return live.size();
            }
        };
        SyncState.save(dir, growing);
        assertThat(SyncState.load(dir)).hasSize(100);
    }

    @Test
    void savingReplacesTheOldSnapshotWhole() throws IOException {
        SyncState.save(dir, Map.of("old", new StateEntry(1, 1, 1, "x", 1)));
        SyncState.save(dir, Map.of("new", new StateEntry(2, 2, 2, "y", 2)));
        assertThat(SyncState.load(dir)).containsOnlyKeys("new");
    }

    @Test
    void aHundredThousandPathsSaveAndLoadQuickly() throws IOException {
        Map<String, StateEntry> entries = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            entries.put("dir" + (i % 100) + "/file-" + i + ".dat", new StateEntry(i, 1_700_000_000_000_000_000L + i, i,
                    "0123456789abcdef0123456789abcdef", i));
        }
        long start = System.nanoTime();
        SyncState.save(dir, entries);
        assertThat(SyncState.load(dir)).hasSize(100_000);
        // Not a speed assertion: a guard against an accidentally quadratic format.
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }
}
