package io.s3d.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalWatcherTest {
    @TempDir
    Path dir;

    @Test
    void seesChangesInDirectoriesCreatedAfterItStarted() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        try (LocalWatcher watcher = LocalWatcher.start(dir, path -> path.equals(".state")
                || path.startsWith(".state/") || LocalScanner.isTempName(path.substring(path.lastIndexOf('/') + 1)),
                changes::incrementAndGet, "test")) {
            Files.createDirectories(dir.resolve("a/b"));
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > 0);
            // The new directories are watched too (registered when their creation was seen).
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> true);
            int before = changes.get();
            Files.writeString(dir.resolve("a/b/new.txt"), "x");
            await().atMost(Duration.ofSeconds(10)).until(() -> changes.get() > before);

            // s3d's own files do not wake the folder.
            Files.createDirectories(dir.resolve(".state"));
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
            int quiet = changes.get();
            Files.writeString(dir.resolve(".s3d-sync-1.tmp"), "temp");
            Files.writeString(dir.resolve(".state/state"), "state");
            Thread.sleep(1000); // proving an absence: nothing else can be awaited
            assertThat(changes.get()).isEqualTo(quiet);
        }
    }
}
