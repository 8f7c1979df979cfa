package io.s3d.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds, in one bucket's directory tree, the first key beyond a bound, in S3 key order. A listing
 * page asks it once per key (or once per common prefix, skipping the whole prefix), so every step
 * is a binary search per directory level; directories are read at most once per walker.
 */
final class KeyWalker {

    /** Where a search starts: at or after a key, strictly after a key, or after every key with a prefix. */
    enum BoundKind {
        AT_OR_AFTER, AFTER, AFTER_PREFIX
    }

    record Bound(BoundKind kind, String key) {
    }

    record Found(String key, Path file) {
    }

    private enum Decision {
        SKIP, DESCEND, TAKE_ALL
    }

    private final DirectoryIndex index;
    private final Map<Path, DirectoryIndex.Entry[]> readThisWalk = new HashMap<>();

    KeyWalker(DirectoryIndex index) {
        this.index = index;
    }

    Found first(Path bucketDir, Bound bound) throws IOException {
        return first(bucketDir, "", bound);
    }

    private Found first(Path dir, String pathPrefix, Bound bound) throws IOException {
        DirectoryIndex.Entry[] entries = entries(dir);
        String relative = bound == null ? null : bound.key.substring(pathPrefix.length());
        int start = 0;
        if (bound != null) {
            start = lowerBound(entries, relative);
            if (start > 0 && entries[start - 1].directory() && relative.startsWith(entries[start - 1].sortKey())) {
                start--;
            }
        }
        for (int i = start; i < entries.length; i++) {
            DirectoryIndex.Entry entry = entries[i];
            Decision decision = bound == null ? Decision.TAKE_ALL : decide(entry, bound.kind, relative);
            if (decision == Decision.SKIP) {
                if (bound.kind == BoundKind.AFTER_PREFIX && entry.sortKey().startsWith(relative)) {
                    i = endOfPrefix(entries, i, relative) - 1;
                }
                continue;
            }
            Path child = dir.resolve(entry.fileName());
            if (!entry.directory()) {
                return new Found(pathPrefix + entry.segment(), child);
            }
            Found found = first(child, pathPrefix + entry.sortKey(),
                    decision == Decision.DESCEND ? bound : null);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private DirectoryIndex.Entry[] entries(Path dir) throws IOException {
        DirectoryIndex.Entry[] entries = readThisWalk.get(dir);
        if (entries == null) {
            entries = index.entries(dir);
            readThisWalk.put(dir, entries);
        }
        return entries;
    }

    /**
     * Whether a directory entry's keys (all start with its sort key {@code s}; a file's key is
     * exactly {@code s}) can lie beyond the bound {@code b} (relative to this directory).
     */
    private static Decision decide(DirectoryIndex.Entry entry, BoundKind kind, String b) {
        String s = entry.sortKey();
        if (!entry.directory()) {
            int cmp = KeyOrder.compare(s, b);
            boolean beyond = switch (kind) {
                case AT_OR_AFTER -> cmp >= 0;
                case AFTER -> cmp > 0;
                case AFTER_PREFIX -> cmp > 0 && !s.startsWith(b);
            };
            return beyond ? Decision.TAKE_ALL : Decision.SKIP;
        }
        switch (kind) {
            case AT_OR_AFTER -> {
                if (s.startsWith(b)) {
                    return Decision.TAKE_ALL;
                }
                if (b.startsWith(s)) {
                    return Decision.DESCEND;
                }
            }
            case AFTER -> {
                if (b.startsWith(s)) {
                    return Decision.DESCEND;
                }
                if (s.startsWith(b)) {
                    return Decision.TAKE_ALL;
                }
            }
            case AFTER_PREFIX -> {
                if (s.startsWith(b)) {
                    return Decision.SKIP;
                }
                if (b.startsWith(s)) {
                    return Decision.DESCEND;
                }
            }
        }
        return KeyOrder.compare(s, b) < 0 ? Decision.SKIP : Decision.TAKE_ALL;
    }

    private static int lowerBound(DirectoryIndex.Entry[] entries, String key) {
        int lo = 0;
        int hi = entries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (KeyOrder.compare(entries[mid].sortKey(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index at or after {@code from} whose sort key does not start with the prefix. */
    private static int endOfPrefix(DirectoryIndex.Entry[] entries, int from, String prefix) {
        int lo = from;
        int hi = entries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].sortKey().startsWith(prefix)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
