package io.s3d.store;

import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.ObjectVersions.ListRequest;
import io.s3d.backend.ObjectVersions.Page;
import io.s3d.backend.ObjectVersions.Version;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ListObjectVersions page over a bucket directory: keys in S3 order, each key's versions
 * newest first, rolled up into common prefixes. Directories wholly before the key marker or
 * outside the prefix are not entered, nor the rest of a common prefix once it is taken.
 */
final class VersionListing {
    private final Path bucketDir;

    /** What one directory holds for the listing: a key (its object file and/or history) or a deeper directory. */
    private record Item(String name, boolean directory, Path objectFile, Path history) {
    }

    private ListRequest request;
    private final List<Version> versions = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private boolean truncated;
    private String lastKey;
    private String lastVersionId;

    VersionListing(Path bucketDir) {
        this.bucketDir = bucketDir;
    }

    Page page(ListRequest listRequest) throws IOException {
        this.request = listRequest;
        walk(bucketDir, "");
        return new Page(versions, prefixes, truncated, truncated ? lastKey : null,
                truncated ? lastVersionId : null);
    }

    private int count() {
        return versions.size() + prefixes.size();
    }

    /** Visits a directory's keys in order; false once the page is full. */
    private boolean walk(Path dir, String pathPrefix) throws IOException {
        String prefix = request.prefix() == null ? "" : request.prefix();
        String marker = request.keyMarker() == null ? "" : request.keyMarker();
        for (Map.Entry<String, Item> sorted : items(dir, pathPrefix).entrySet()) {
            Item item = sorted.getValue();
            String path = pathPrefix + sorted.getKey();
            if (!path.startsWith(prefix) && !(item.directory() && prefix.startsWith(path))) {
                continue;
            }
            String lastPrefix = prefixes.isEmpty() ? null : prefixes.get(prefixes.size() - 1);
            if (lastPrefix != null && path.startsWith(lastPrefix)) {
                continue; // rolled up already
            }
            if (item.directory()) {
                if (KeyOrder.compare(path, marker) < 0 && !marker.startsWith(path)) {
                    continue; // every key in it lies before the marker
                }
                if (!walk(dir.resolve(item.name()), path)) {
                    return false;
                }
                continue;
            }
            if (!key(path, item)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the versions of one key (or its common prefix); false once the page is full. */
    private boolean key(String key, Item item) throws IOException {
        String prefix = request.prefix() == null ? "" : request.prefix();
        String marker = request.keyMarker() == null ? "" : request.keyMarker();
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        int at = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
        if (at >= 0) {
            String commonPrefix = key.substring(0, at + delimiter.length());
            if (KeyOrder.compare(commonPrefix, marker) <= 0 || marker.startsWith(commonPrefix)) {
                return true; // returned on an earlier page
            }
            if (count() >= request.maxKeys()) {
                truncated = true;
                return false;
            }
            prefixes.add(commonPrefix);
            lastKey = commonPrefix;
            lastVersionId = null;
            return true;
        }
        int compared = KeyOrder.compare(key, marker);
        if (compared < 0 || (compared == 0 && request.versionIdMarker() == null)) {
            return true;
        }
        Path objectPath = item.objectFile();
        List<VersionedKeys.Entry> entries = VersionedKeys.history(item.history());
        if (entries.isEmpty() && objectPath != null) {
            ObjectMeta meta = VersionedKeys.readMeta(objectPath);
            if (meta != null) {
                entries = List.of(new VersionedKeys.Entry(meta.lastModified().toEpochMilli() * 1000,
                        meta.versionId().orElse(ObjectVersions.NULL_ID), false, objectPath));
            }
        }
        boolean skipping = compared == 0;
        for (int i = 0; i < entries.size(); i++) {
            VersionedKeys.Entry entry = entries.get(i);
            if (skipping) {
                skipping = !entry.versionId().equals(request.versionIdMarker());
                continue;
            }
            if (count() >= request.maxKeys()) {
                truncated = true;
                return false;
            }
            Version version;
            if (entry.marker()) {
                version = new Version(key, entry.versionId(), i == 0, entry.markerTime(), null);
            } else {
                ObjectMeta meta = VersionedKeys.readMeta(entry.file());
                if (meta == null) {
                    continue; // removed while we listed
                }
                version = new Version(key, entry.versionId(), i == 0, meta.lastModified(), meta);
            }
            versions.add(version);
            lastKey = key;
            lastVersionId = entry.versionId();
        }
        return true;
    }

    /** A directory's keys and subdirectories by sort key (a directory's ends with "/"). */
    private static TreeMap<String, Item> items(Path dir, String pathPrefix) throws IOException {
        TreeMap<String, Item> items = new TreeMap<>(KeyOrder.COMPARATOR);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                String name = child.getFileName().toString();
                if (name.length() < 3) {
                    continue;
                }
                String suffix = name.substring(name.length() - 2);
                String base = name.substring(0, name.length() - 2);
                switch (suffix) {
                    case KeyCodec.DIR_SUFFIX -> {
                        String segment = segment(child, base, true);
                        if (segment != null) {
                            items.put(segment + "/", new Item(name, true, null, null));
                        }
                    }
                    case KeyCodec.OBJECT_SUFFIX, VersionedKeys.VERSIONS_SUFFIX -> {
                        boolean history = suffix.equals(VersionedKeys.VERSIONS_SUFFIX);
                        String segment = segment(child, base, false);
                        if (segment == null) {
                            continue;
                        }
                        Item known = items.get(segment);
                        Path objectFile = history ? (known == null ? null : known.objectFile()) : child;
                        Path historyDir = history ? child : (known == null ? null : known.history());
                        items.put(segment, new Item(segment, false, objectFile,
                                historyDir == null ? VersionedKeys.versionsDir(child) : historyDir));
                    }
                    default -> {
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return items;
        }
        return items;
    }

    /** The key segment a file name stands for (read from inside when the name is a hash). */
    private static String segment(Path child, String base, boolean directory) {
        if (!KeyCodec.isHashed(base)) {
            return KeyCodec.decode(base);
        }
        try {
            if (directory) {
                return Files.readString(child.resolve(LocalStore.SEGMENT_NAME_FILE));
            }
            String key;
            if (Files.isDirectory(child)) {
                List<VersionedKeys.Entry> entries = VersionedKeys.history(child);
                if (entries.isEmpty()) {
                    return null;
                }
                key = VersionedKeys.keyOf(entries.get(0));
            } else {
                ObjectMeta meta = VersionedKeys.readMeta(child);
                if (meta == null) {
                    return null;
                }
                key = meta.key();
            }
            return key.substring(key.lastIndexOf('/') + 1);
        } catch (IOException e) {
            return null;
        }
    }
}
