package io.s3d.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Rebuilds the index from the cache directory at start-up: one {@code entry} file and a directory
 * listing per cached object (block contents are verified when read, not here), so 10,000 entries
 * take seconds. Unreadable entries, leftover temporary files, blocks of the wrong size and older
 * copies of a key are deleted.
 */
final class CacheRebuild {
    private static final Logger LOG = Logger.getLogger(CacheRebuild.class);

    private CacheRebuild() {
    }

    static List<CacheEntry> load(Path objects, long blockSize) throws IOException {
        long started = System.nanoTime();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> fanout = Files.list(objects)) {
            for (Path sub : (Iterable<Path>) fanout::iterator) {
                if (!Files.isDirectory(sub)) {
                    Files.deleteIfExists(sub);
                    continue;
                }
                try (Stream<Path> entries = Files.list(sub)) {
                    entries.forEach(dirs::add);
                }
            }
        }
        List<CacheEntry> loaded = dirs.parallelStream().map(dir -> loadEntry(dir, blockSize)).filter(e -> e != null)
                .toList();
        // A key may have left more than one copy (a crash while it was replaced): keep the newest.
        Map<ObjectId, CacheEntry> newest = new HashMap<>();
        for (CacheEntry e : loaded) {
            CacheEntry other = newest.get(e.id);
            if (other == null || e.validatedAt().isAfter(other.validatedAt())) {
                newest.put(e.id, e);
                if (other != null) {
                    ReadCache.deleteQuietly(other.dir);
                }
            } else {
                ReadCache.deleteQuietly(e.dir);
            }
        }
        List<CacheEntry> kept = new ArrayList<>(newest.values());
        // Oldest first, so the index's recency order resembles the one before the restart.
        kept.sort(Comparator.comparing(CacheEntry::validatedAt));
        LOG.infof("read cache: %d entries taken in from %s in %d ms", kept.size(), objects,
                (System.nanoTime() - started) / 1_000_000);
        return kept;
    }

    private static CacheEntry loadEntry(Path dir, long blockSize) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.deleteIfExists(dir);
                return null;
            }
            EntryFile.Stored stored = EntryFile.read(dir);
            if (stored.blockSize() != blockSize) {
                // Cached with another block size: the blocks do not fit this run's layout.
                ReadCache.deleteQuietly(dir);
                return null;
            }
            CacheEntry entry = new CacheEntry(stored.id(), stored.meta(), blockSize, dir, stored.validatedAt(),
                    stored.pinned());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.equals(EntryFile.NAME)) {
                        continue;
                    }
                    long index = blockIndex(name);
                    if (index < 0 || index >= entry.blocks()
                            || Files.size(f) != BlockFile.fileSize(entry.headerLength, entry.blockLength(index))) {
                        Files.deleteIfExists(f);
                        continue;
                    }
                    entry.blockStored(index);
                }
            }
            return entry;
        } catch (IOException | UncheckedIOException e) {
            LOG.debugf(e, "dropping unreadable cache entry %s", dir);
            ReadCache.deleteQuietly(dir);
            return null;
        }
    }

    private static long blockIndex(String name) {
        if (name.length() < 2 || name.charAt(0) != 'b') {
            return -1;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(name.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
