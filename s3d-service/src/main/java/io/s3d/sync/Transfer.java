package io.s3d.sync;

import io.s3d.backend.BoundedInput;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.store.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves one file's bytes between the local directory and the bucket, streaming (memory does not
 * grow with file size), and checks right before each step that the side it overwrites or deletes
 * is still what the pass planned on. When it is not, it throws {@link Changed}: the path is left
 * alone and looked at again in the next pass, so no version written meanwhile is lost.
 *
 * <p>Uploads are conditional (If-Match the ETag the pass saw, If-None-Match for a new key).
 * Downloads are written to a temporary file in the target directory, fsynced, given the object's
 * Last-Modified as modification time and renamed into place; a file that must not exist yet is
 * linked into place, which fails instead of replacing a file created meanwhile.
 */
final class Transfer {
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final int BUFFER = 128 * 1024;

    /** The path changed since the pass looked at it: retried in the next pass. */
    static final class Changed extends Exception {
        Changed(String message) {
            super(message, null, false, false);
        }
    }

    private final ObjectBackend backend;
    private final SyncFolder folder;
    private final Clock clock;
    private final StaleCopies staleCopies;
    private final long partSize;

    /** Drops a local cached copy of an object that the remote's listing shows has changed. */
    @FunctionalInterface
    interface StaleCopies {
        StaleCopies NONE = (bucket, key) -> {
        };

        void drop(String bucket, String key);
    }

    /**
     * @param partSize the part size of the write queue's multipart pushes (0: no queue), to
     *        recognise a pushed object's multipart ETag as the bytes already here
     */
    Transfer(ObjectBackend backend, SyncFolder folder, Clock clock, StaleCopies staleCopies, long partSize) {
        this.backend = backend;
        this.folder = folder;
        this.clock = clock;
        this.staleCopies = staleCopies;
        this.partSize = partSize;
    }

    Path localPath(String path) {
        return folder.localDir().resolve(path);
    }

    /**
     * Uploads the local file as the pass saw it, only over the remote version {@code over} (null:
     * only if the key does not exist). Returns the new snapshot entry.
     */
    StateEntry upload(String path, LocalEntry seen, RemoteEntry over) throws IOException, Changed {
        Path file = localPath(path);
        requireUnchanged(file, seen);
        WriteCondition condition = over == null ? new WriteCondition(true, Optional.empty())
                : new WriteCondition(false, Optional.of('"' + over.etag() + '"'));
        ObjectMeta meta;
        try {
            meta = put(path, file, seen.size(), condition);
        } catch (S3Exception e) {
            if (e.errorCode() == S3ErrorCode.PRECONDITION_FAILED) {
                throw new Changed("the object changed in the bucket since it was listed");
            }
            if (e.errorCode() != S3ErrorCode.NOT_IMPLEMENTED) {
                throw e;
            }
            // A remote without conditional writes: check by hand, with a short race left open.
            Optional<ObjectMeta> now = head(path);
            if (over == null ? now.isPresent() : now.isEmpty() || !now.get().etag().equals(over.etag())) {
                throw new Changed("the object changed in the bucket since it was listed");
            }
            meta = put(path, file, seen.size(), WriteCondition.NONE);
        }
        // What was read is what the pass saw only if the file did not change while it was read; if
        // it did, the next pass sees a change against this entry and uploads again.
        return new StateEntry(seen.size(), seen.mtimeNanos(), seen.inode(), meta.etag(), meta.size());
    }

    private ObjectMeta put(String path, Path file, long size, WriteCondition condition) throws IOException {
        try (InputStream in = new BoundedInput(Files.newInputStream(file), size)) {
            String type = Optional.ofNullable(URLConnection.getFileNameMap().getContentTypeFor(path))
                    .orElse("application/octet-stream");
            return backend.putObject(new PutRequest(folder.bucket(), folder.key(path), in, size, Optional.empty(),
                    Map.of("content-type", type), Map.of(), Map.of(), Map::of, condition));
        }
    }

    /**
     * Downloads the object over the local file the pass saw ({@code seen}; null: only if there is
     * no file yet). Returns the new snapshot entry.
     */
    StateEntry download(String path, LocalEntry seen, RemoteEntry listed) throws IOException, Changed {
        Path target = localPath(path);
        LocalEntry[] written = new LocalEntry[1];
        ObjectMeta meta = fetch(path, target, seen, listed, written);
        // The file as it was written, not as it is after the rename: a write right after the rename
        // must be seen as a local change by the next pass.
        LocalEntry now = written[0];
        return new StateEntry(now.size(), now.mtimeNanos(), now.inode(), meta.etag(), meta.size());
    }

    /** Writes the remote version next to the local file under a conflict name; returns that relative path. */
    String downloadConflictCopy(String path, RemoteEntry listed) throws IOException, Changed {
        String stamp = STAMP.format(clock.instant());
        for (int n = 1;; n++) {
            String copy = conflictName(path, stamp, n);
            if (Files.exists(localPath(copy), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                fetch(path, localPath(copy), null, listed);
                return copy;
            } catch (Changed taken) {
                if (!Files.exists(localPath(copy), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw taken;
                }
            }
        }
    }

    /**
     * {@code a/report.md} → {@code a/report.conflict-20261127-094500.md} (and {@code -2}, ... when
     * taken); a name that would exceed 255 bytes is shortened before the suffix.
     */
    static String conflictName(String path, String stamp, int n) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        String suffix = ".conflict-" + stamp + (n > 1 ? "-" + n : "");
        if (RemoteLister.utf8Length(ext) > 32) {
            base = name; // a long "extension" is part of the name: cut like the rest
            ext = "";
        }
        int room = RemoteLister.MAX_NAME_BYTES - RemoteLister.utf8Length(suffix + ext);
        if (RemoteLister.utf8Length(base) > room) {
            // Too long for a file name with the suffix: the name is shortened (at a character boundary).
            int end = 0;
            int bytes = 0;
            while (end < base.length()) {
                int cp = base.codePointAt(end);
                int len = RemoteLister.utf8Length(new String(Character.toChars(cp)));
                if (bytes + len > room) {
                    break;
                }
                bytes += len;
                end += Character.charCount(cp);
            }
            base = base.substring(0, end);
        }
        return dir + base + suffix + ext;
    }

    /** Keeps a conflict's losing local version under {@code <state-dir>/conflicts/<time>/<path>}. */
    Path keepLocalLoser(String path) throws IOException {
        Path kept = loserPath(path);
        Files.copy(localPath(path), kept, StandardCopyOption.COPY_ATTRIBUTES);
        return kept;
    }

    /** Keeps a conflict's losing remote version under {@code <state-dir>/conflicts/<time>/<path>}. */
    Path keepRemoteLoser(String path, RemoteEntry listed) throws IOException, Changed {
        Path kept = loserPath(path);
        fetch(path, kept, null, listed);
        return kept;
    }

    private Path loserPath(String path) throws IOException {
        Path dir = folder.stateDir().resolve("conflicts").resolve(STAMP.format(clock.instant()));
        Path kept = dir.resolve(path);
        for (int n = 2; Files.exists(kept); n++) {
            kept = dir.resolve(path + "." + n);
        }
        Files.createDirectories(kept.getParent());
        return kept;
    }

    /** Deletes the local file if it is still what the pass saw; empty parent directories go too. */
    void deleteLocal(String path, LocalEntry seen) throws IOException, Changed {
        Path file = localPath(path);
        requireUnchanged(file, seen);
        Files.deleteIfExists(file);
        Path dir = file.getParent();
        while (dir != null && !dir.equals(folder.localDir()) && dir.startsWith(folder.localDir())) {
            try {
                Files.delete(dir);
            } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException stop) {
                break;
            }
            dir = dir.getParent();
        }
        DurableFiles.syncDirectory(file.getParent() == null || !Files.exists(file.getParent()) ? folder.localDir()
                : file.getParent());
    }

    /** Deletes the object if it is still the version the pass saw. */
    void deleteRemote(String path, RemoteEntry seen) throws Changed {
        Optional<ObjectMeta> now = head(path);
        if (now.isEmpty()) {
            return;
        }
        if (!now.get().etag().equals(seen.etag())) {
            throw new Changed("the object changed in the bucket since it was listed");
        }
        backend.deleteObject(folder.bucket(), folder.key(path));
    }

    /**
     * Whether the local file holds the object's bytes: by MD5 when the ETag is one (a simple PUT),
     * else by reading both.
     */
    boolean sameContent(String path, LocalEntry local, RemoteEntry remote) throws IOException {
        if (local.size() != remote.size()) {
            return false;
        }
        Path file = localPath(path);
        Optional<Boolean> byEtag = LocalEtags.matches(file, local.size(), remote.etag(), partSize);
        if (byEtag.isPresent()) {
            return byEtag.get();
        }
        try (ObjectData data = open(path, remote);
                InputStream theirs = data.open(0, data.meta().size());
                InputStream ours = Files.newInputStream(file)) {
            if (data.meta().size() != local.size()) {
                return false;
            }
            byte[] a = new byte[BUFFER];
            byte[] b = new byte[BUFFER];
            while (true) {
                int n = ours.readNBytes(a, 0, BUFFER);
                int m = theirs.readNBytes(b, 0, BUFFER);
                if (n != m || !java.util.Arrays.equals(a, 0, n, b, 0, m)) {
                    return false;
                }
                if (n == 0) {
                    return true;
                }
            }
        }
    }

    /** The snapshot entry for a path whose two sides already hold the same bytes. */
    StateEntry adopt(LocalEntry local, RemoteEntry remote) {
        return new StateEntry(local.size(), local.mtimeNanos(), local.inode(), remote.etag(), remote.size());
    }

    private Optional<ObjectMeta> head(String path) {
        try {
            return Optional.of(backend.headObject(folder.bucket(), folder.key(path)));
        } catch (S3Exception e) {
            if (e.errorCode() == S3ErrorCode.NO_SUCH_KEY || "NoSuchKey".equals(e.code()) || e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Streams the object into a temporary file beside {@code target} and moves it into place if
     * {@code target} is still {@code seen} (null: absent).
     */
    private ObjectMeta fetch(String path, Path target, LocalEntry seen, RemoteEntry listed)
            throws IOException, Changed {
        return fetch(path, target, seen, listed, new LocalEntry[1]);
    }

    /** As above; {@code written[0]} receives the file as it was moved into place. */
    private ObjectMeta fetch(String path, Path target, LocalEntry seen, RemoteEntry listed, LocalEntry[] written)
            throws IOException, Changed {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(LocalScanner.TEMP_PREFIX + UUID.randomUUID() + LocalScanner.TEMP_SUFFIX);
        ObjectMeta meta;
        try {
            try (ObjectData data = open(path, listed)) {
                meta = data.meta();
                try (InputStream in = data.open(0, meta.size()); FileChannel out = createTemp(dir, temp)) {
                    long copied = 0;
                    byte[] buffer = new byte[BUFFER];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                        copied += n;
                    }
                    if (copied != meta.size()) {
                        throw new IOException("download of " + folder.key(path) + " ended after " + copied + " of "
                                + meta.size() + " bytes");
                    }
                    out.force(true);
                }
            }
            Files.setLastModifiedTime(temp, FileTime.from(meta.lastModified()));
            written[0] = LocalScanner.stat(temp).orElseThrow(() -> new IOException(temp + " vanished"));
            if (seen == null) {
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    throw new Changed("a file appeared at " + target + " since the scan");
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
                    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        throw new Changed("a file appeared at " + target + " since the scan");
                    }
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            } else {
                requireUnchanged(target, seen);
                keepAttributes(target, temp);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            DurableFiles.syncDirectory(dir);
            return meta;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Gives the download the permissions of the file it replaces ({@code chmod +x} survives a remote
     * edit), and its owner and group when s3d may set them (running as root); else the new file
     * keeps the umask's defaults and s3d's user.
     */
    private static void keepAttributes(Path replaced, Path temp) throws IOException {
        java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(temp,
                java.nio.file.attribute.PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        java.nio.file.attribute.PosixFileAttributes old;
        try {
            old = Files.readAttributes(replaced, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException gone) {
            return;
        }
        java.nio.file.attribute.PosixFileAttributes now = view.readAttributes();
        if (!old.owner().equals(now.owner()) || !old.group().equals(now.group())) {
            try {
                view.setOwner(old.owner());
                view.setGroup(old.group());
            } catch (IOException notPermitted) {
                // not root: the file becomes s3d's
            }
        }
        // After the owner: a chown may clear set-id bits.
        view.setPermissions(old.permissions());
    }

    /**
     * Creates the temporary file; when its directory was removed meanwhile (a deletion in the same
     * folder that left it empty), the directory is created again, once.
     */
    private static FileChannel createTemp(Path dir, Path temp) throws IOException {
        try {
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (java.nio.file.NoSuchFileException removed) {
            Files.createDirectories(dir);
            return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /**
     * Opens the object. When what opens is not the version the listing showed, a read cache may be
     * serving a copy it has not revalidated yet: the listing comes from the remote, so that copy is
     * dropped and the object opened once more. Whatever opens then is what is downloaded, and the
     * snapshot records its own ETag.
     */
    private ObjectData open(String path, RemoteEntry listed) {
        ObjectData data = backend.getObject(folder.bucket(), folder.key(path));
        if (listed == null || data.meta().etag().equals(listed.etag())) {
            return data;
        }
        data.close();
        staleCopies.drop(folder.bucket(), folder.key(path));
        return backend.getObject(folder.bucket(), folder.key(path));
    }

    private static void requireUnchanged(Path file, LocalEntry seen) throws IOException, Changed {
        Optional<LocalEntry> now = LocalScanner.stat(file);
        if (now.isEmpty()) {
            throw new Changed(file + " was deleted since the scan");
        }
        LocalEntry n = now.get();
        if (n.hold() != null || n.size() != seen.size() || n.mtimeNanos() != seen.mtimeNanos()
                || n.inode() != seen.inode()) {
            throw new Changed(file + " changed since the scan (still being written?)");
        }
    }

    /**
     * Whether the local file still holds the object the listing shows, judged from the ETag alone,
     * without a download: the local file is unchanged since the snapshot, only the ETag moved.
     * That happens when the write queue pushes a large upload by multipart: the same bytes get a
     * {@code md5-of-part-md5s-N} ETag.
     */
    boolean unchangedContent(String path, LocalEntry local, RemoteEntry remote) throws IOException {
        return local.size() == remote.size()
                && LocalEtags.matches(localPath(path), local.size(), remote.etag(), partSize).orElse(false);
    }

}
