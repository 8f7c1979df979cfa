package io.s3d.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.MemorySize;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.config.S3dConfig;
import io.s3d.filter.FilterFile;
import io.s3d.filter.FilterParser;
import io.s3d.filter.Filters;
import io.s3d.filter.Purpose;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync folder carries only the keys its filters select, both ways, beside its globs. */
class SyncFolderFiltersTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path tmp;

    private static S3dConfig.Sync.Folder folder(Path dir, String filter, List<String> exclude) {
        return new S3dConfig.Sync.Folder() {
            public Optional<String> localDir() { return Optional.of(dir.toString()); }
            public Optional<String> bucket() { return Optional.of("bkt"); }
            public Optional<String> prefix() { return Optional.of("p"); }
            public String direction() { return "both"; }
            public String conflictPolicy() { return "keep-both"; }
            public Duration interval() { return Duration.ofSeconds(60); }
            public Optional<List<String>> include() { return Optional.empty(); }
            public Optional<List<String>> exclude() { return Optional.of(exclude); }
            public Optional<String> filter() { return Optional.ofNullable(filter); }
            public Optional<MemorySize> maxFileSize() { return Optional.empty(); }
            public Optional<Integer> maxFilesPerPass() { return Optional.empty(); }
            public int concurrency() { return 2; }
        };
    }

    @Test
    void onlySelectedKeysAndFilesAreSyncedBothWays() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("folder"));
        LocalStore store = LocalStore.open(tmp.resolve("store"), "us-east-1", 10_000, 0);
        store.createBucket("bkt");
        // The folder's own filter, the sync setting and the file's sections all have a say.
        Filters filters = new Filters(Map.of(Purpose.SYNC, FilterParser.parseList("!bkt/p/big/")),
                FilterFile.parse("sync.docs: bkt/p/docs/, bkt/p/big/\nexclude: \"*/*.tmp\"", "policy"),
                Optional.empty());
        SyncFolder folder = SyncFolder.from("docs", folder(dir, "!bkt/p/docs/private/", List.of("*.bak")),
                tmp.resolve("state"), filters);

        for (String path : List.of("docs/a.md", "docs/private/b.md", "docs/c.tmp", "docs/d.bak", "other/e.md",
                "big/f.iso")) {
            local(dir, path);
            put(store, "p/remote-" + path.replace('/', '-'));
        }
        put(store, "p/docs/r.md");
        put(store, "p/docs/private/s.md");
        put(store, "p/other/t.md");

        FolderSync sync = new FolderSync(folder, store, Clock.fixed(NOW, ZoneOffset.UTC));
        sync.loadState();
        try {
            sync.pass();
        } finally {
            sync.stop();
        }

        List<String> keys = store.listObjects("bkt", new ListRequest("p/", null, "", 1000)).objects().stream()
                .map(ObjectMeta::key).toList();
        assertThat(keys).contains("p/docs/a.md").doesNotContain("p/docs/private/b.md", "p/docs/c.tmp",
                "p/docs/d.bak", "p/other/e.md", "p/big/f.iso");
        assertThat(dir.resolve("docs/r.md")).exists();
        assertThat(dir.resolve("docs/private/s.md")).doesNotExist();
        assertThat(dir.resolve("other/t.md")).doesNotExist();
    }

    @Test
    void aFolderFilterThatDoesNotParseNamesItsKey() {
        assertThatThrownBy(() -> SyncFolder.from("docs", folder(tmp, "bkt/p/[md:x", List.of()), tmp.resolve("state"),
                Filters.NONE)).hasMessage("s3d.sync.folders.\"docs\".filter: filter 'bkt/p/[md:x', column 12: "
                        + "expected an operator (=, !=, <, <=, >, >=) or ']'");
    }

    private static void local(Path dir, String path) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, path);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minusSeconds(600)));
    }

    private static void put(LocalStore store, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        store.putObject(new PutRequest("bkt", key, new ByteArrayInputStream(bytes), bytes.length, Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }
}
