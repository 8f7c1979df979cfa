package io.s3d.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Intents of versioned changes in flight. A versioned write or delete takes several renames and
 * links (see docs/architecture.md, "Versions on disk"); its intent is made durable before the first
 * step and removed after the last, so that after a crash start-up repairs exactly the keys that
 * were being changed, without walking the store.
 */
final class VersionJournal {
    /** A change that adds a version or delete marker, or one that removes a version. */
    enum Change {
        ADD, REMOVE
    }

    record Intent(Path file, Change change, String bucket, String key) {
    }

    private final Path dir;

    VersionJournal(Path dir) throws IOException {
        this.dir = dir;
        // Durable in the store's root: an intent fsynced into a directory a power cut can take with it is no intent.
        DurableFiles.createDirectories(dir);
    }

    /** Records (durably) that a change of {@code bucket/key} starts. */
    Intent begin(Change change, String bucket, String key) throws IOException {
        Path file = dir.resolve(UUID.randomUUID().toString());
        DurableFiles.writeNew(file, (change + "\n" + bucket + "\n" + key).getBytes(StandardCharsets.UTF_8));
        DurableFiles.syncDirectory(dir);
        return new Intent(file, change, bucket, key);
    }

    /** The change is complete; its intent may go (if the removal is lost, the repair is a no-op). */
    void end(Intent intent) {
        LocalStore.deleteQuietly(intent.file());
    }

    /** Intents a crash left behind. */
    List<Intent> pending() throws IOException {
        List<Intent> intents = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path file : stream) {
                String[] parts = Files.readString(file, StandardCharsets.UTF_8).split("\n", 3);
                if (parts.length == 3) {
                    intents.add(new Intent(file, Change.valueOf(parts[0]), parts[1], parts[2]));
                } else {
                    // Torn while written: its change had not started.
                    LocalStore.deleteQuietly(file);
                }
            }
        }
        return intents;
    }
}
