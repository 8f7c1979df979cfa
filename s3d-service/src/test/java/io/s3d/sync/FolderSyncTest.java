package io.s3d.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passes driven by hand against the local store (a real backend) on temporary directories: what
 * a pass does with the files, the snapshot and the conflict losers.
 */
class FolderSyncTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path tmp;
    Path dir;
    LocalStore store;
    final List<FolderSync> started = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        dir = Files.createDirectories(tmp.resolve("folder"));
        store = LocalStore.open(tmp.resolve("store"), "us-east-1", 10_000, 0);
        store.createBucket("bkt");
    }

    @AfterEach
    void stop() {
        started.forEach(FolderSync::stop);
    }

    private FolderSync sync(Direction direction, ConflictPolicy policy, int maxFiles) {
        SyncFolder folder = new SyncFolder("t", dir, "bkt", "p/", direction, policy, Duration.ofSeconds(60),
                PathFilter.ALL, Long.MAX_VALUE, maxFiles, 2, tmp.resolve("state/t"));
        FolderSync sync = new FolderSync(folder, store, Clock.fixed(NOW, ZoneOffset.UTC));
        sync.loadState();
        started.add(sync);
        return sync;
    }

    private FolderSync sync(Direction direction, ConflictPolicy policy, int maxFiles, ObjectBackend backend) {
        SyncFolder folder = new SyncFolder("t", dir, "bkt", "p/", direction, policy, Duration.ofSeconds(60),
                PathFilter.ALL, Long.MAX_VALUE, maxFiles, 2, tmp.resolve("state/t"));
        FolderSync sync = new FolderSync(folder, backend, Clock.fixed(NOW, ZoneOffset.UTC));
        sync.loadState();
        started.add(sync);
        return sync;
    }

    /** The store, with {@code putObject} failing for the keys {@code failing} accepts. */
    private ObjectBackend failingPuts(java.util.function.Predicate<String> failing) {
        return (ObjectBackend) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ObjectBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putObject") && failing.test(((PutRequest) args[0]).key())) {
                        throw new S3Exception(io.s3d.backend.S3ErrorCode.INTERNAL_ERROR, "injected");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private FolderSync sync(ConflictPolicy policy) {
        return sync(Direction.BOTH, policy, Integer.MAX_VALUE);
    }

    private void local(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        // Written well before the pass's clock: settled.
        Files.setLastModifiedTime(file, FileTime.from(NOW.minusSeconds(600 + content.length())));
    }

    private void put(String key, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        store.putObject(new PutRequest("bkt", key, new ByteArrayInputStream(bytes), bytes.length, Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }

    private String remote(String key) throws IOException {
        try (ObjectData data = store.getObject("bkt", key); InputStream in = data.open(0, data.meta().size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (S3Exception e) {
            return null;
        }
    }

    private List<String> localFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aLostSnapshotResumesWithoutTransfersOrDeletions() throws IOException {
        local("a.txt", "alpha");
        put("p/b.txt", "beta");
        FolderSync first = sync(ConflictPolicy.KEEP_BOTH);
        first.pass();
        assertThat(first.stats().uploaded.get()).isEqualTo(1);
        assertThat(first.stats().downloaded.get()).isEqualTo(1);
        Files.delete(tmp.resolve("state/t/state"));

        FolderSync again = sync(ConflictPolicy.KEEP_BOTH);
        again.pass();
        assertThat(again.stats().uploaded.get() + again.stats().downloaded.get() + again.stats().conflicts.get())
                .isZero();
        assertThat(again.snapshot()).containsOnlyKeys("a.txt", "b.txt");
        assertThat(localFiles()).containsExactly("a.txt", "b.txt");
    }

    @Test
    void aConflictCopyNeverReplacesAnExistingFile() throws IOException {
        // syncthing#3742: a conflict copy silently overwrote a newly created file of the same name.
        local("r.md", "v1");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        local("r.md", "local v2");
        put("p/r.md", "remote v2");
        local("r.conflict-20261127-100000.md", "the user's own file");
        sync.pass();
        assertThat(Files.readString(dir.resolve("r.conflict-20261127-100000.md"))).isEqualTo("the user's own file");
        assertThat(Files.readString(dir.resolve("r.conflict-20261127-100000-2.md"))).isEqualTo("remote v2");
        assertThat(Files.readString(dir.resolve("r.md"))).isEqualTo("local v2");
        assertThat(remote("p/r.md")).isEqualTo("local v2");
        sync.pass();
        assertThat(remote("p/r.conflict-20261127-100000-2.md")).isEqualTo("remote v2");
        assertThat(sync.stats().conflicts.get()).isEqualTo(1);
    }

    @Test
    void winnerTakesThePathAndTheLoserIsKeptInTheStateDirectory() throws IOException {
        local("l.txt", "v1");
        local("r.txt", "v1");
        FolderSync sync = sync(ConflictPolicy.LOCAL_WINS);
        sync.pass();
        local("l.txt", "local v2");
        put("p/l.txt", "remote v2");
        sync.pass();
        assertThat(remote("p/l.txt")).isEqualTo("local v2");
        assertThat(Files.readString(tmp.resolve("state/t/conflicts/20261127-100000/l.txt"))).isEqualTo("remote v2");

        FolderSync remoteWins = sync(ConflictPolicy.REMOTE_WINS);
        local("r.txt", "local v3");
        put("p/r.txt", "remote v3");
        remoteWins.pass();
        assertThat(Files.readString(dir.resolve("r.txt"))).isEqualTo("remote v3");
        assertThat(Files.readString(tmp.resolve("state/t/conflicts/20261127-100000/r.txt"))).isEqualTo("local v3");
        assertThat(localFiles()).doesNotContain("r.conflict-20261127-100000.txt");
    }

    @Test
    void downloadOnlyKeepsBothWithoutUploadingAndReportsTheConflictOnce() throws IOException {
        put("p/d.txt", "v1");
        FolderSync sync = sync(Direction.DOWNLOAD_ONLY, ConflictPolicy.KEEP_BOTH, Integer.MAX_VALUE);
        sync.pass();
        local("d.txt", "local edit");
        put("p/d.txt", "remote v2");
        sync.pass();
        sync.pass();
        assertThat(Files.readString(dir.resolve("d.txt"))).isEqualTo("local edit");
        assertThat(Files.readString(dir.resolve("d.conflict-20261127-100000.txt"))).isEqualTo("remote v2");
        assertThat(remote("p/d.txt")).isEqualTo("remote v2");
        assertThat(remote("p/d.conflict-20261127-100000.txt")).isNull();
        assertThat(sync.stats().conflicts.get()).isEqualTo(1);
        // A later remote change is a conflict again: the local edit is still never overwritten.
        put("p/d.txt", "remote v3, longer");
        sync.pass();
        assertThat(Files.readString(dir.resolve("d.txt"))).isEqualTo("local edit");
        assertThat(sync.stats().conflicts.get()).isEqualTo(2);
    }

    @Test
    void aRemoteDeletionRemovesTheFileAndItsNowEmptyDirectories() throws IOException {
        local("keep.txt", "k");
        local("x/y/z.txt", "z");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        store.deleteObject("bkt", "p/x/y/z.txt");
        sync.pass();
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(sync.stats().deletedLocal.get()).isEqualTo(1);
    }

    @Test
    void maxFilesPerPassLeavesTheRestForTheNextPass() throws IOException {
        for (int i = 0; i < 5; i++) {
            local("f" + i + ".txt", "file " + i);
        }
        FolderSync sync = sync(Direction.BOTH, ConflictPolicy.KEEP_BOTH, 2);
        sync.pass();
        assertThat(sync.stats().uploaded.get()).isEqualTo(2);
        sync.pass();
        sync.pass();
        assertThat(sync.stats().uploaded.get()).isEqualTo(5);
    }

    @Test
    void aBatchThatFailsBacksOffAndLetsTheLaterPathsThrough() throws IOException {
        for (int i = 0; i < 5; i++) {
            local("f" + i + ".txt", "file " + i);
        }
        FolderSync sync = sync(Direction.BOTH, ConflictPolicy.KEEP_BOTH, 2,
                failingPuts(k -> k.equals("p/f0.txt") || k.equals("p/f1.txt")));
        sync.pass();
        assertThat(sync.stats().uploaded.get()).isZero();
        assertThat(sync.followUp()).as("no progress: not retried at once").isEqualTo(Duration.ofSeconds(2));
        sync.pass();
        assertThat(sync.stats().uploaded.get()).as("the failing paths go last").isEqualTo(2);
        assertThat(sync.followUp()).isEqualTo(Duration.ZERO);
        sync.pass();
        assertThat(sync.stats().uploaded.get()).isEqualTo(3);
        assertThat(remote("p/f4.txt")).isEqualTo("file 4");
        sync.pass();
        assertThat(sync.followUp()).as("only the failing paths left: retried at the interval").isNull();
        assertThat(sync.stats().uploaded.get()).isEqualTo(3);
    }

    @Test
    void pathsThatKeepFailingTakeTurns() throws IOException {
        for (int i = 0; i < 5; i++) {
            local("f" + i + ".txt", "file " + i);
        }
        List<String> tried = java.util.Collections.synchronizedList(new ArrayList<>());
        FolderSync sync = sync(Direction.BOTH, ConflictPolicy.KEEP_BOTH, 2, failingPuts(k -> tried.add(k)));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sync.pass();
            delays.add(sync.followUp());
        }
        assertThat(tried).containsExactlyInAnyOrder("p/f0.txt", "p/f1.txt", "p/f2.txt", "p/f3.txt", "p/f4.txt",
                "p/f0.txt");
        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    }

    @Test
    void aFileThatKeepsChangingBacksOffUpToTheInterval() throws IOException {
        local("old.txt", "settled");
        Files.writeString(dir.resolve("log.txt"), "always being written");
        Files.setLastModifiedTime(dir.resolve("log.txt"), FileTime.from(NOW));
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sync.pass();
            delays.add(sync.followUp());
        }
        assertThat(delays).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofSeconds(60), Duration.ofSeconds(60));
        Files.setLastModifiedTime(dir.resolve("log.txt"), FileTime.from(NOW.minusSeconds(60)));
        sync.pass();
        assertThat(sync.followUp()).as("a clean pass: back to the interval").isNull();
        assertThat(remote("p/log.txt")).isEqualTo("always being written");
    }

    @Test
    void theSnapshotRecordsTheInodeNumberWithoutTheDevice() throws IOException {
        local("a.txt", "alpha");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        long ino = ((Number) Files.getAttribute(dir.resolve("a.txt"), "unix:ino")).longValue();
        assertThat(sync.snapshot().get("a.txt").inode()).isEqualTo(ino);
    }

    @Test
    void afterARemountUnchangedFilesStayInSyncAndRemoteEditsAreDownloaded() throws IOException {
        local("a.txt", "alpha");
        local("b.txt", "beta");
        FolderSync before = sync(ConflictPolicy.KEEP_BOTH);
        before.pass();
        before.stop();
        // The volume comes back with other inode numbers (or the snapshot is from an older version).
        Map<String, StateEntry> remounted = new java.util.HashMap<>();
        before.snapshot().forEach((p, s) -> remounted.put(p, new StateEntry(s.localSize(), s.localMtimeNanos(),
                s.inode() + 1000, s.etag(), s.remoteSize())));
        SyncState.save(tmp.resolve("state/t"), remounted);
        put("p/b.txt", "beta edited in the bucket while s3d was down");

        FolderSync after = sync(ConflictPolicy.KEEP_BOTH);
        after.pass();
        assertThat(after.stats().uploaded.get()).isZero();
        assertThat(after.stats().conflicts.get()).isZero();
        assertThat(Files.readString(dir.resolve("b.txt"))).isEqualTo("beta edited in the bucket while s3d was down");
        assertThat(localFiles()).containsExactly("a.txt", "b.txt");
        long ino = ((Number) Files.getAttribute(dir.resolve("a.txt"), "unix:ino")).longValue();
        assertThat(after.snapshot().get("a.txt").inode()).as("the new inode is recorded").isEqualTo(ino);
    }

    @Test
    void aKeyClashingWithALocalDirectoryIsSkippedAndCountedOnce() throws IOException {
        local("photos/a.jpg", "a local photo");
        local("docs", "a local file named docs");
        put("p/photos", "an object named photos");
        put("p/docs/x.md", "an object under docs/");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        sync.pass();
        assertThat(sync.stats().lastPassFailed()).isFalse();
        assertThat(sync.followUp()).as("nothing to retry soon").isNull();
        assertThat(sync.stats().skipped()).isEqualTo(2);
        assertThat(sync.stats().errors.get()).isZero();
        assertThat(Files.readString(dir.resolve("docs"))).isEqualTo("a local file named docs");
        assertThat(Files.readString(dir.resolve("photos/a.jpg"))).isEqualTo("a local photo");

        // An empty local directory: the scan lists nothing in it, the pass sees it before downloading.
        Files.createDirectories(dir.resolve("empty"));
        put("p/empty", "an object named like an empty local directory");
        sync.pass();
        assertThat(sync.stats().skipped()).isEqualTo(3);
        assertThat(sync.followUp()).isNull();
        assertThat(sync.stats().errors.get()).isZero();
        assertThat(dir.resolve("empty")).isEmptyDirectory();
    }

    @Test
    void aDeletionLeavingADirectoryEmptyDoesNotRaceADownloadIntoIt() throws IOException {
        local("d/x", "x");
        FolderSync first = sync(ConflictPolicy.KEEP_BOTH);
        first.pass();
        first.stop();
        store.deleteObject("bkt", "p/d/x");
        put("p/d/y", "y");
        // The download of d/y has created d/ and waits for its bytes while d/x is deleted (which
        // removes d/ when it is empty then).
        Path x = dir.resolve("d/x");
        ObjectBackend slow = (ObjectBackend) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ObjectBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getObject") && "p/d/y".equals(args[1])) {
                        for (int i = 0; i < 100 && Files.exists(x); i++) {
                            Thread.sleep(10);
                        }
                        Thread.sleep(100);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        FolderSync sync = sync(Direction.BOTH, ConflictPolicy.KEEP_BOTH, Integer.MAX_VALUE, slow);
        sync.pass();
        assertThat(sync.stats().errors.get()).isZero();
        assertThat(localFiles()).containsExactly("d/y");
        assertThat(sync.stats().deletedLocal.get()).isEqualTo(1);
    }

    @Test
    void aDownloadOverALocalFileKeepsItsPermissions() throws IOException {
        local("deploy.sh", "echo v1");
        local("secret.txt", "s1");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        var exec = java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---");
        var secret = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        Files.setPosixFilePermissions(dir.resolve("deploy.sh"), exec);
        Files.setPosixFilePermissions(dir.resolve("secret.txt"), secret);
        put("p/deploy.sh", "echo v2 from the bucket");
        put("p/secret.txt", "s2 from the bucket");
        sync.pass();
        assertThat(Files.readString(dir.resolve("deploy.sh"))).isEqualTo("echo v2 from the bucket");
        assertThat(Files.getPosixFilePermissions(dir.resolve("deploy.sh"))).isEqualTo(exec);
        assertThat(Files.getPosixFilePermissions(dir.resolve("secret.txt"))).isEqualTo(secret);
    }

    @Test
    void anUploadOnlyFolderUploadsAnObjectDeletedFromTheBucketAgain() throws IOException {
        local("backup.db", "precious");
        FolderSync sync = sync(Direction.UPLOAD_ONLY, ConflictPolicy.KEEP_BOTH, Integer.MAX_VALUE);
        sync.pass();
        store.deleteObject("bkt", "p/backup.db");
        sync.pass();
        assertThat(remote("p/backup.db")).isEqualTo("precious");
        assertThat(Files.readString(dir.resolve("backup.db"))).isEqualTo("precious");
    }

    @Test
    void aDownloadOnlyFolderDownloadsAFileDeletedLocallyAgain() throws IOException {
        put("p/mirror.txt", "from the bucket");
        FolderSync sync = sync(Direction.DOWNLOAD_ONLY, ConflictPolicy.KEEP_BOTH, Integer.MAX_VALUE);
        sync.pass();
        Files.delete(dir.resolve("mirror.txt"));
        sync.pass();
        assertThat(Files.readString(dir.resolve("mirror.txt"))).isEqualTo("from the bucket");
        assertThat(remote("p/mirror.txt")).isEqualTo("from the bucket");
    }

    @Test
    void aFileWrittenJustNowWaitsUntilItSettles() throws IOException {
        local("old.txt", "settled");
        Files.writeString(dir.resolve("new.txt"), "being written");
        Files.setLastModifiedTime(dir.resolve("new.txt"), FileTime.from(NOW.minusMillis(200)));
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        assertThat(remote("p/old.txt")).isEqualTo("settled");
        assertThat(remote("p/new.txt")).isNull();
    }

    @Test
    void aTransferChecksTheSideItOverwritesFirst() throws IOException {
        local("a.txt", "v1");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        Transfer transfer = new Transfer(store, sync.folder(), Clock.systemUTC(), Transfer.StaleCopies.NONE, 0);
        LocalEntry seen = LocalScanner.stat(dir.resolve("a.txt")).orElseThrow();
        Files.writeString(dir.resolve("a.txt"), "v2 written after the scan");
        assertThatThrownBy(() -> transfer.upload("a.txt", seen, null)).isInstanceOf(Transfer.Changed.class);
        assertThat(remote("p/a.txt")).isNull();

        // A new remote file never replaces a local file that appeared after the scan.
        put("p/n.txt", "remote");
        local("n.txt", "local, created meanwhile");
        assertThatThrownBy(() -> transfer.download("n.txt", null, null)).isInstanceOf(Transfer.Changed.class);
        assertThat(Files.readString(dir.resolve("n.txt"))).isEqualTo("local, created meanwhile");

        // An upload over a remote version that changed since the listing is refused by the bucket.
        LocalEntry now = LocalScanner.stat(dir.resolve("n.txt")).orElseThrow();
        RemoteEntry stale = new RemoteEntry(6, "0123456789abcdef0123456789abcdef", NOW, false);
        assertThatThrownBy(() -> transfer.upload("n.txt", now, stale)).isInstanceOf(Transfer.Changed.class);
        assertThat(remote("p/n.txt")).isEqualTo("remote");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(LocalScanner::isTempName);
        }
    }

    @Test
    void aDownloadCutOffByACrashLeavesNothingVisibleAndIsCleanedUp() throws IOException {
        local("a.txt", "a");
        Path leftover = dir.resolve(LocalScanner.TEMP_PREFIX + "1234" + LocalScanner.TEMP_SUFFIX);
        Files.writeString(leftover, "half a download");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        assertThat(leftover).doesNotExist();
        assertThat(remote("p/" + leftover.getFileName())).isNull();
        assertThat(remote("p/a.txt")).isEqualTo("a");
    }

    @Test
    void aMultipartEtagOfTheSameBytesIsNotARemoteChange() throws Exception {
        byte[] body = new byte[20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        Files.write(dir.resolve("big.bin"), body);
        LocalEntry local = LocalScanner.stat(dir.resolve("big.bin")).orElseThrow();
        java.security.MessageDigest outer = java.security.MessageDigest.getInstance("MD5");
        for (int from = 0; from < 20; from += 8) {
            outer.update(java.security.MessageDigest.getInstance("MD5")
                    .digest(java.util.Arrays.copyOfRange(body, from, Math.min(20, from + 8))));
        }
        String etag = java.util.HexFormat.of().formatHex(outer.digest()) + "-3";
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        Transfer queued = new Transfer(store, sync.folder(), Clock.systemUTC(), Transfer.StaleCopies.NONE, 8);
        assertThat(queued.unchangedContent("big.bin", local, new RemoteEntry(20, etag, NOW, false))).isTrue();
        assertThat(queued.unchangedContent("big.bin", local, new RemoteEntry(20, "0" + etag.substring(1), NOW,
                false))).isFalse();
        // Another part size, another part count: not judged by the ETag.
        Transfer other = new Transfer(store, sync.folder(), Clock.systemUTC(), Transfer.StaleCopies.NONE, 16);
        assertThat(other.unchangedContent("big.bin", local, new RemoteEntry(20, etag, NOW, false))).isFalse();
        String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body));
        assertThat(other.unchangedContent("big.bin", local, new RemoteEntry(20, md5, NOW, false))).isTrue();
    }

    @Test
    void conflictNamesKeepTheExtension() {
        assertThat(Transfer.conflictName("a/report.md", "20261127-094500", 1))
                .isEqualTo("a/report.conflict-20261127-094500.md");
        assertThat(Transfer.conflictName("Makefile", "20261127-094500", 2))
                .isEqualTo("Makefile.conflict-20261127-094500-2");
        assertThat(Transfer.conflictName(".bashrc", "20261127-094500", 1)).isEqualTo(".bashrc.conflict-20261127-094500");
        assertThat(Transfer.conflictName("x.tar.gz", "20261127-094500", 1)).isEqualTo("x.tar.conflict-20261127-094500.gz");
    }

    @Test
    void conflictNamesNeverExceed255Bytes() {
        String longName = "é".repeat(120) + ".txt"; // 244 bytes
        String copy = Transfer.conflictName("d/" + longName, "20261127-094500", 12);
        String name = copy.substring(2);
        assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(name).startsWith("éé").endsWith(".conflict-20261127-094500-12.txt");
        String longExt = "a." + "x".repeat(250);
        assertThat(Transfer.conflictName(longExt, "20261127-094500", 1).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(255);
    }

    @Test
    void aKeyWithANameOver255BytesIsSkippedAndCounted() throws IOException {
        local("a.txt", "a");
        String tooLong = "n".repeat(256);
        put("p/dir/" + tooLong, "cannot be a local file");
        put("p/" + "ü".repeat(128) + "/x", "nor this: a directory name of 256 bytes");
        put("p/" + "m".repeat(255), "this one can");
        FolderSync sync = sync(ConflictPolicy.KEEP_BOTH);
        sync.pass();
        sync.pass();
        assertThat(sync.stats().lastPassFailed()).isFalse();
        assertThat(sync.stats().errors.get()).isZero();
        assertThat(sync.stats().skipped()).isEqualTo(2);
        assertThat(localFiles()).containsExactlyInAnyOrder("a.txt", "m".repeat(255));
    }

    @Test
    void keysThatCannotBeLocalPathsAreRecognised() {
        assertThat(RemoteLister.isLocalPath("a/b.txt")).isTrue();
        assertThat(RemoteLister.isLocalPath("a//b.txt")).isFalse();
        assertThat(RemoteLister.isLocalPath("../escape")).isFalse();
        assertThat(RemoteLister.isLocalPath("a/./b")).isFalse();
        assertThat(RemoteLister.isLocalPath("/abs")).isFalse();
        assertThat(RemoteLister.isLocalPath("nul\0byte")).isFalse();
        assertThat(RemoteLister.isLocalPath("a/" + "x".repeat(255))).isTrue();
        assertThat(RemoteLister.isLocalPath("a/" + "x".repeat(256))).isFalse();
        assertThat(RemoteLister.isLocalPath("€".repeat(86) + "/b")).isFalse(); // 258 bytes
    }
}
