package io.s3d.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterFileWatcherTest {
    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double reloads(String result) {
        return registry.get("s3d.filter.reloads").tag("result", result).counter().count();
    }

    @Test
    void aChangedFileReplacesTheRulesAndABrokenOneKeepsThem() throws Exception {
        Path file = dir.resolve("policy");
        Files.writeString(file, "cache: photos\n");
        Filters filters = new Filters(Map.of(), FilterFile.parse(Files.readString(file), file.toString()), Optional.empty());
        FilterFileWatcher watcher = new FilterFileWatcher(file, Files.readAllBytes(file), filters, registry);

        assertThat(watcher.check()).as("unchanged").isFalse();

        Files.writeString(file, "cache: logs\n");
        assertThat(watcher.check()).isTrue();
        assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("logs", "a"))).isTrue();
        assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("photos", "a"))).isFalse();
        assertThat(reloads("ok")).isEqualTo(1);

        Files.writeString(file, "cache: logs[tag:\n");
        assertThat(watcher.check()).isFalse();
        assertThat(filters.selects(Purpose.CACHE, ObjectFacts.of("logs", "a"))).as("old rules kept").isTrue();
        assertThat(reloads("failed")).isEqualTo(1);
        assertThat(watcher.check()).as("the same broken content is not reported again").isFalse();
        assertThat(reloads("failed")).isEqualTo(1);
    }

    /** A ConfigMap volume: the file is a symlink through ..data, which an update re-points. */
    @Test
    void aConfigMapUpdateThroughTheDataSymlinkIsSeen() throws Exception {
        Path v1 = Files.createDirectories(dir.resolve("..2026_12_07_v1"));
        Path v2 = Files.createDirectories(dir.resolve("..2026_12_07_v2"));
        Files.writeString(v1.resolve("policy"), "queue: logs\n");
        Files.writeString(v2.resolve("policy"), "queue: photos\n");
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, v1.getFileName());
        Path file = dir.resolve("policy");
        Files.createSymbolicLink(file, Path.of("..data/policy"));
        Filters filters = new Filters(Map.of(), FilterFile.parse(Files.readString(file), "p"), Optional.empty());
        FilterFileWatcher watcher = new FilterFileWatcher(file, Files.readAllBytes(file), filters, registry);

        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, v2.getFileName());
        Files.move(tmp, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(watcher.check()).isTrue();
        assertThat(filters.selects(Purpose.UPLOAD, ObjectFacts.of("photos", "a"))).isTrue();
        assertThat(filters.selects(Purpose.UPLOAD, ObjectFacts.of("logs", "a"))).isFalse();
    }

    @Test
    void aVanishedFileKeepsTheRules() throws Exception {
        Path file = dir.resolve("policy");
        Files.writeString(file, "sync: docs\n");
        Filters filters = new Filters(Map.of(), FilterFile.parse(Files.readString(file), "p"), Optional.empty());
        FilterFileWatcher watcher = new FilterFileWatcher(file, Files.readAllBytes(file), filters, registry);

        Files.delete(file);
        assertThat(watcher.check()).isFalse();
        assertThat(filters.selects(Purpose.SYNC, ObjectFacts.of("media", "a"))).isFalse();
        assertThat(reloads("failed")).isEqualTo(1);

        Files.writeString(file, "sync: media\n");
        assertThat(watcher.check()).isTrue();
        assertThat(filters.selects(Purpose.SYNC, ObjectFacts.of("media", "a"))).isTrue();
    }
}
