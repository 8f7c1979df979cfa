package io.s3d.store;

import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.ObjectVersions.Deleted;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The version history of keys in versioned buckets (layout and crash rules in docs/architecture.md,
 * "Versions on disk"). Beside a key's current object file {@code <name>.o} — which every plain read
 * and listing uses, exactly as in an unversioned bucket — a directory {@code <name>.v/} holds every
 * version: {@code <order>.<versionId>.o} (an object file; the current one is a hard link of
 * {@code <name>.o}) and {@code <order>.<versionId>.m} (a delete marker: a small file holding the
 * key), plus {@code <versionId>.t} tag files. {@code <order>} is 16 hex digits of microseconds since
 * the epoch, strictly growing per key, so the newest version sorts first. A key with no
 * {@code .v} directory has at most one version: its {@code .o} file (the {@code null} version of an
 * object written before versioning was turned on).
 *
 * <p>Callers hold the key's lock. Every change is logged in the {@link VersionJournal} first, and
 * its steps are ordered so that the history directory is the truth and {@code <name>.o} follows it:
 * start-up {@link #repair repairs} the keys of unfinished intents.
 */
final class VersionedKeys {
    static final String VERSIONS_SUFFIX = ".v";
    private static final String MARKER_SUFFIX = ".m";

    /** One version of a key: where it lies and whether it is a delete marker. */
    record Entry(long order, String versionId, boolean marker, Path file) {
        java.time.Instant markerTime() {
            return java.time.Instant.ofEpochMilli(order / 1000);
        }
    }

    private final LocalStore store;
    private final VersionJournal journal;
    private final AtomicLong clock = new AtomicLong();

    VersionedKeys(LocalStore store, VersionJournal journal) {
        this.store = store;
        this.journal = journal;
    }

    static Path versionsDir(Path objectPath) {
        String name = objectPath.getFileName().toString();
        return objectPath.resolveSibling(name.substring(0, name.length() - KeyCodec.OBJECT_SUFFIX.length())
                + VERSIONS_SUFFIX);
    }

    static Path objectPathOf(Path versionsDir) {
        String name = versionsDir.getFileName().toString();
        return versionsDir.resolveSibling(name.substring(0, name.length() - VERSIONS_SUFFIX.length())
                + KeyCodec.OBJECT_SUFFIX);
    }

    /** A fresh version id: 32 hex digits (AWS's are opaque; clients only pass them back). */
    static String newVersionId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** Whether a client's version id is one this store could have made. */
    static boolean wellFormed(String versionId) {
        if (ObjectVersions.NULL_ID.equals(versionId)) {
            return true;
        }
        if (versionId.length() != 32) {
            return false;
        }
        for (int i = 0; i < versionId.length(); i++) {
            if (Character.digit(versionId.charAt(i), 16) < 0 || Character.isUpperCase(versionId.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The versions in a history directory, newest first (none when it does not exist). */
    static List<Entry> history(Path versionsDir) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(versionsDir)) {
            for (Path file : stream) {
                Entry entry = parse(file);
                if (entry != null) {
                    entries.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return entries;
        }
        entries.sort((a, b) -> Long.compare(b.order, a.order));
        return entries;
    }

    private static Entry parse(Path file) {
        String name = file.getFileName().toString();
        boolean object = name.endsWith(KeyCodec.OBJECT_SUFFIX);
        if (!object && !name.endsWith(MARKER_SUFFIX)) {
            return null;
        }
        int dot = name.indexOf('.');
        if (dot != 16) {
            return null;
        }
        try {
            long order = HexFormat.fromHexDigitsToLong(name.substring(0, 16));
            return new Entry(order, name.substring(17, name.length() - 2), !object, file);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String fileName(long order, String versionId, boolean marker) {
        return HexFormat.of().withLowerCase().toHexDigits(order) + "." + versionId
                + (marker ? MARKER_SUFFIX : KeyCodec.OBJECT_SUFFIX);
    }

    /**
     * Every version of the key stored at {@code objectPath}, newest first: its history, or — for a
     * key never written while versioning was on — its object file as the only version.
     */
    List<Entry> versions(Path objectPath) throws IOException {
        List<Entry> entries = history(versionsDir(objectPath));
        if (!entries.isEmpty()) {
            return entries;
        }
        ObjectMeta meta = readMeta(objectPath);
        if (meta == null) {
            return entries;
        }
        return List.of(new Entry(meta.lastModified().toEpochMilli() * 1000,
                meta.versionId().orElse(ObjectVersions.NULL_ID), false, objectPath));
    }

    /** The full key a version file belongs to (a delete marker holds it; an object file's trailer names it). */
    static String keyOf(Entry entry) throws IOException {
        if (entry.marker()) {
            return Files.readString(entry.file(), StandardCharsets.UTF_8);
        }
        ObjectMeta meta = readMeta(entry.file());
        if (meta == null) {
            throw new NoSuchFileException(entry.file().toString());
        }
        return meta.key();
    }

    static ObjectMeta readMeta(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return ObjectFile.readMeta(channel);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Makes the fsynced object file {@code temp} (whose trailer names its version id) the key's
     * current version, keeping the one it replaces as a noncurrent version — or, for a {@code null}
     * version, replacing the previous {@code null} version.
     */
    void put(Path bucketDir, String bucket, String key, Path target, Path temp) throws IOException {
        ObjectMeta meta = readMeta(temp);
        String versionId = meta.versionId().orElse(ObjectVersions.NULL_ID);
        VersionJournal.Intent intent = journal.begin(VersionJournal.Change.ADD, bucket, key);
        Path versionsDir = versionsDir(target);
        List<Entry> entries = adopt(bucketDir, key, target, versionsDir);
        long order = nextOrder(entries);
        Files.createLink(versionsDir.resolve(fileName(order, versionId, false)), temp);
        DurableFiles.syncDirectory(versionsDir);
        if (versionId.equals(ObjectVersions.NULL_ID)) {
            removeNullVersions(target, entries);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(target.getParent());
        store.invalidateListing(target.getParent());
        journal.end(intent);
    }

    /**
     * Deletes the key the versioned way: a new delete marker becomes its current version (id
     * {@code null} while versioning is suspended, replacing the previous {@code null} version).
     */
    Deleted addDeleteMarker(Path bucketDir, String bucket, String key, Path target, boolean suspended)
            throws IOException {
        String versionId = suspended ? ObjectVersions.NULL_ID : newVersionId();
        VersionJournal.Intent intent = journal.begin(VersionJournal.Change.ADD, bucket, key);
        Path versionsDir = versionsDir(target);
        List<Entry> entries = adopt(bucketDir, key, target, versionsDir);
        long order = nextOrder(entries);
        Path temp = store.tmpDir().resolve("marker-" + UUID.randomUUID());
        try {
            DurableFiles.writeNew(temp, key.getBytes(StandardCharsets.UTF_8));
            Files.move(temp, versionsDir.resolve(fileName(order, versionId, true)), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            LocalStore.deleteQuietly(temp);
        }
        DurableFiles.syncDirectory(versionsDir);
        if (suspended) {
            removeNullVersions(target, entries);
        }
        if (Files.deleteIfExists(target)) {
            DurableFiles.syncDirectory(target.getParent());
            store.invalidateListing(target.getParent());
        }
        journal.end(intent);
        return new Deleted(versionId, true);
    }

    /** Removes one version for good; when it was the current one, the next newest takes its place. */
    Deleted deleteVersion(Path bucketDir, String bucket, String key, Path target, String versionId)
            throws IOException {
        List<Entry> entries = versions(target);
        Entry found = entries.stream().filter(e -> e.versionId().equals(versionId)).findFirst().orElse(null);
        if (found == null) {
            return new Deleted(versionId, false);
        }
        if (found.file().equals(target)) {
            // The only version of a key with no history: an ordinary delete.
            Files.delete(target);
            Files.deleteIfExists(LocalStore.tagsPath(target));
            Files.deleteIfExists(lockPath(target));
            DurableFiles.syncDirectory(target.getParent());
            store.invalidateListing(target.getParent());
            store.removeEmptyParents(bucketDir, target.getParent());
            return new Deleted(versionId, false);
        }
        VersionJournal.Intent intent = journal.begin(VersionJournal.Change.REMOVE, bucket, key);
        Path versionsDir = versionsDir(target);
        Files.delete(found.file());
        deleteTags(target, versionsDir, versionId);
        DurableFiles.syncDirectory(versionsDir);
        List<Entry> rest = new ArrayList<>(entries);
        rest.remove(found);
        follow(target, rest);
        if (rest.isEmpty()) {
            removeHistory(bucketDir, versionsDir);
        }
        journal.end(intent);
        return new Deleted(versionId, found.marker());
    }

    /** Completes or undoes what an interrupted change left (called at start-up, before any request). */
    void repair(Path bucketDir, VersionJournal.Intent intent) throws IOException {
        Path target = LocalStore.objectPath(bucketDir, intent.key());
        Path versionsDir = versionsDir(target);
        List<Entry> entries = history(versionsDir);
        if (entries.isEmpty()) {
            if (intent.change() == VersionJournal.Change.REMOVE) {
                // The last version was removed; its current file must go too.
                if (Files.deleteIfExists(target)) {
                    DurableFiles.syncDirectory(target.getParent());
                }
            }
            // An ADD that stopped before its history began: the key is as it was.
            removeHistory(bucketDir, versionsDir);
            return;
        }
        boolean seenNull = false;
        List<Entry> kept = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.versionId().equals(ObjectVersions.NULL_ID)) {
                if (seenNull) {
                    // A suspended-mode write stopped before removing the null version it replaced.
                    Files.deleteIfExists(entry.file());
                    continue;
                }
                seenNull = true;
            }
            kept.add(entry);
        }
        DurableFiles.syncDirectory(versionsDir);
        follow(target, kept);
    }

    /**
     * Creates the key's history directory if needed and, when the key so far has only an object
     * file (written before versioning), links that in as its {@code null} version. Returns the history.
     */
    private List<Entry> adopt(Path bucketDir, String key, Path target, Path versionsDir) throws IOException {
        for (int attempt = 0;; attempt++) {
            store.ensureParents(bucketDir, key, target.getParent());
            try {
                if (!Files.isDirectory(versionsDir)) {
                    Files.createDirectory(versionsDir);
                    DurableFiles.syncDirectory(target.getParent());
                }
                break;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                break;
            } catch (NoSuchFileException e) {
                // A concurrent delete of a sibling removed the emptied parent between mkdir and here.
                if (attempt > 10) {
                    throw e;
                }
            }
        }
        List<Entry> entries = history(versionsDir);
        if (entries.isEmpty()) {
            ObjectMeta meta = readMeta(target);
            if (meta != null) {
                Entry legacy = new Entry(meta.lastModified().toEpochMilli() * 1000,
                        meta.versionId().orElse(ObjectVersions.NULL_ID), false, null);
                Path file = versionsDir.resolve(fileName(legacy.order(), legacy.versionId(), false));
                Files.createLink(file, target);
                DurableFiles.syncDirectory(versionsDir);
                entries = List.of(new Entry(legacy.order(), legacy.versionId(), false, file));
            }
        }
        return entries;
    }

    /** A new version's order: after every version of the key, and after every order this store handed out. */
    private long nextOrder(List<Entry> entries) {
        long now = System.currentTimeMillis() * 1000;
        long next = clock.updateAndGet(previous -> Math.max(previous + 1, now));
        if (!entries.isEmpty() && next <= entries.get(0).order()) {
            long after = entries.get(0).order() + 1;
            next = clock.updateAndGet(previous -> Math.max(previous + 1, after));
        }
        return next;
    }

    /** Removes the {@code null} versions among {@code entries} (a new {@code null} version was just added). */
    private void removeNullVersions(Path target, List<Entry> entries) throws IOException {
        Path versionsDir = versionsDir(target);
        boolean removed = false;
        for (Entry entry : entries) {
            if (entry.versionId().equals(ObjectVersions.NULL_ID)) {
                Files.deleteIfExists(entry.file());
                removed = true;
            }
        }
        if (removed) {
            deleteTags(target, versionsDir, ObjectVersions.NULL_ID);
            DurableFiles.syncDirectory(versionsDir);
        }
    }

    private static void deleteTags(Path target, Path versionsDir, String versionId) throws IOException {
        Files.deleteIfExists(versionsDir.resolve(versionId + KeyCodec.TAGS_SUFFIX));
        Files.deleteIfExists(versionsDir.resolve(versionId + ObjectLocks.LOCK_SUFFIX));
        if (versionId.equals(ObjectVersions.NULL_ID)) {
            Files.deleteIfExists(LocalStore.tagsPath(target)); // a null version written before versioning
            Files.deleteIfExists(lockPath(target));
        }
    }

    /** The Object Lock file of a version written before versioning ({@code <name>.l}, see {@link ObjectLocks}). */
    private static Path lockPath(Path target) {
        String name = LocalStore.tagsPath(target).getFileName().toString();
        return target.resolveSibling(name.substring(0, name.length() - KeyCodec.TAGS_SUFFIX.length())
                + ObjectLocks.LOCK_SUFFIX);
    }

    /** Makes {@code <name>.o} the newest version of {@code entries}: a link of it, or absent for a delete marker. */
    private void follow(Path target, List<Entry> entries) throws IOException {
        Entry newest = entries.isEmpty() ? null : entries.get(0);
        boolean changed;
        if (newest == null || newest.marker()) {
            changed = Files.deleteIfExists(target);
        } else if (Files.exists(target) && Files.isSameFile(target, newest.file())) {
            changed = false;
        } else {
            Path link = store.tmpDir().resolve("current-" + UUID.randomUUID());
            Files.createLink(link, newest.file());
            try {
                Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                LocalStore.deleteQuietly(link);
            }
            changed = true;
        }
        if (changed) {
            DurableFiles.syncDirectory(target.getParent());
            store.invalidateListing(target.getParent());
        }
    }

    private void removeHistory(Path bucketDir, Path versionsDir) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(versionsDir)) {
            for (Path leftover : stream) {
                Files.deleteIfExists(leftover); // tag files of removed versions
            }
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            Files.delete(versionsDir);
        } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
            return;
        }
        DurableFiles.syncDirectory(versionsDir.getParent());
        store.removeEmptyParents(bucketDir, versionsDir.getParent());
    }
}
