package io.s3d.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One kind of small validated document kept beside each bucket's objects (a dot-file in the
 * bucket directory, which no object key can name), read once and then served from memory: the
 * same array is handed out until the document changes, so readers can cache what they parse of it.
 * Written crash-safe: a new file is fsynced, renamed over the old one and the directory fsynced
 * before the change is acknowledged.
 */
final class BucketDocument {
    private final String fileName;
    private final Path tmp;
    private final ConcurrentHashMap<String, Optional<byte[]>> known = new ConcurrentHashMap<>();

    BucketDocument(String fileName, Path tmp) {
        this.fileName = fileName;
        this.tmp = tmp;
    }

    /**
     * The document of {@code bucket}; empty when it has none. {@code bucketDir} (which may throw
     * NoSuchBucket) is only asked when the document is not in memory yet: most requests read some
     * bucket document, and a known one costs a map lookup, no file access.
     */
    Optional<byte[]> read(String bucket, java.util.function.Supplier<Path> bucketDir) {
        Optional<byte[]> cached = known.get(bucket);
        if (cached != null) {
            return cached;
        }
        Path dir = bucketDir.get();
        return known.computeIfAbsent(bucket, b -> {
            try {
                return Optional.of(Files.readAllBytes(dir.resolve(fileName)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    void replace(String bucket, Path bucketDir, byte[] content) {
        Path temp = tmp.resolve(fileName.substring(1) + "-" + UUID.randomUUID());
        try {
            DurableFiles.writeNew(temp, content);
            Files.move(temp, bucketDir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(bucketDir);
            known.put(bucket, Optional.of(content.clone()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is removed at the next start
            }
        }
    }

    void delete(String bucket, Path bucketDir) {
        try {
            if (Files.deleteIfExists(bucketDir.resolve(fileName))) {
                DurableFiles.syncDirectory(bucketDir);
            }
            known.put(bucket, Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops what is remembered of a bucket that is being created or was deleted (with its directory). */
    void forget(String bucket) {
        known.remove(bucket);
    }
}
