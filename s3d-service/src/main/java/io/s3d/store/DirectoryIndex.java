package io.s3d.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sorted entries of store directories, so that paging through a large bucket does not rescan and
 * resort a 100,000-entry directory for every page.
 *
 * <p>A sorted copy is kept (bounded by the total number of entries, so memory does not grow with
 * the number of objects) together with the directory's modification time, and is reused while the
 * directory's mtime is unchanged. A directory modified within the last two seconds is never
 * cached: a write in the same clock tick as our read could leave the mtime equal while the entry
 * list changed (the "racy timestamp" problem git solves the same way).
 */
final class DirectoryIndex {
    private static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);

    record Entry(String segment, String sortKey, boolean directory, String fileName) {
    }

    private record Cached(long mtimeNanos, Entry[] entries) {
    }

    private final Cache<Path, Cached> cache;

    DirectoryIndex(long maxCachedEntries) {
        this.cache = Caffeine.newBuilder().maximumWeight(maxCachedEntries)
                .weigher((Path path, Cached cached) -> Math.max(1, cached.entries.length)).build();
    }

    /** The entries of a directory in key order; empty when the directory does not exist. */
    Entry[] entries(Path dir) throws IOException {
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(dir);
        } catch (NoSuchFileException e) {
            cache.invalidate(dir);
            return new Entry[0];
        }
        long mtimeNanos = mtime.to(TimeUnit.NANOSECONDS);
        Cached cached = cache.getIfPresent(dir);
        if (cached != null && cached.mtimeNanos == mtimeNanos) {
            return cached.entries;
        }
        Entry[] entries = read(dir);
        long ageNanos = System.currentTimeMillis() * 1_000_000L - mtimeNanos;
        if (ageNanos > RACY_NANOS && entries.length > 64) {
            cache.put(dir, new Cached(mtimeNanos, entries));
        }
        return entries;
    }

    void invalidate(Path dir) {
        cache.invalidate(dir);
    }

    private static Entry[] read(Path dir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                boolean object = name.endsWith(KeyCodec.OBJECT_SUFFIX);
                boolean directory = name.endsWith(KeyCodec.DIR_SUFFIX);
                if (!object && !directory) {
                    continue;
                }
                String base = name.substring(0, name.length() - 2);
                String segment = KeyCodec.isHashed(base) ? hashedSegment(child, directory) : KeyCodec.decode(base);
                if (segment == null) {
                    continue;
                }
                entries.add(new Entry(segment, directory ? segment + "/" : segment, directory, name));
            }
        } catch (NoSuchFileException e) {
            return new Entry[0];
        }
        Entry[] sorted = entries.toArray(new Entry[0]);
        Arrays.sort(sorted, (a, b) -> KeyOrder.compare(a.sortKey, b.sortKey));
        return sorted;
    }

    /** The real text of a segment stored under its hash. */
    private static String hashedSegment(Path path, boolean directory) {
        try {
            if (directory) {
                return Files.readString(path.resolve(LocalStore.SEGMENT_NAME_FILE));
            }
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                String key = ObjectFile.readMeta(channel).key();
                return key.substring(key.lastIndexOf('/') + 1);
            }
        } catch (IOException e) {
            return null;
        }
    }
}
