package io.s3d.e2e;

import io.s3d.fuse.FuseAvailable;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * A FUSE pass-through file system that forgets, on a simulated power cut, everything that was not
 * made durable (the idea of LazyFS). Files and directories live in a backing directory while it is
 * mounted; beside it, the file system keeps the durable state a disk would show after losing power:
 * <ul>
 * <li>a file's content as of its last {@code fsync}/{@code fdatasync} (empty if it never had one),
 * copied aside at that moment;</li>
 * <li>a directory's entries as of its last {@code fsync} (none if it never had one): a file
 * created, renamed into or out of, hard-linked into, or deleted from a directory since then is
 * back where it was (a new directory, too, is only there once its parent is fsynced).</li>
 * </ul>
 * A write through a file opened with {@code O_SYNC}, {@code O_DSYNC} or {@code O_DIRECT} counts as
 * written and fsynced. libfuse 2 has no writeback cache, so every write, fsync and fsync of a
 * directory (FUSE's {@code fsyncdir}) reaches this class as the program made it; {@code use_ino}
 * shows the backing files' inode numbers, so two hard links are seen as one file.
 * That is POSIX's minimum, stricter than ext4's journal (which commits unrelated metadata with any
 * fsync): a program that survives it survives any file system that keeps its promises.
 * {@link #powerCut()} freezes the file system (every later call fails with EIO, as a dead disk
 * would); {@link #remountAfterPowerCut()} rebuilds a backing directory from the durable state alone
 * and mounts it at the same place.
 */
final class PowerLossFileSystem extends FuseStubFS implements AutoCloseable {
    /** The libc calls the pass-through makes on the backing files (errno kept by jnr-ffi). */
    public interface LibC {
        int open(String path, int flags, int mode);

        int close(int fd);

        long pread(int fd, Pointer buf, long count, long offset);

        long pwrite(int fd, Pointer buf, long count, long offset);

        int ftruncate(int fd, long length);

        int truncate(String path, long length);

        int fallocate(int fd, int mode, long offset, long length);

        int mkdir(String path, int mode);

        int rmdir(String path);

        int unlink(String path);

        int rename(String from, String to);

        int link(String from, String to);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true)
            .load("c");
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    private static final int O_ACCMODE = 3;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    /** O_DSYNC (O_SYNC includes it) and O_DIRECT on Linux: each write is durable when it returns. */
    private static final int O_DSYNC = 010000;
    private static final int O_DIRECT = 040000;
    private static final AtomicLong SHADOWS = new AtomicLong();

    private abstract static sealed class Node permits Dir, File {
    }

    private static final class Dir extends Node {
        /** The entries as programs see them now. */
        final Map<String, Node> live = new HashMap<>();
        /** The entries as of the directory's last fsync: what a power cut leaves. */
        Map<String, Node> durable = Map.of();
    }

    private static final class File extends Node {
        /** The content as of the file's last fsync (an immutable copy), or null: empty. */
        Path durable;

        File(Path durable) {
            this.durable = durable;
        }
    }

    /** An open file; {@code synced}: opened with O_SYNC, O_DSYNC or O_DIRECT, so every write is durable at once. */
    private record Handle(int fd, File file, boolean synced) {
    }

    private final Path work;
    private final Path backing;
    private final Path shadows;
    private final Path mountPoint;
    private final Dir root;
    private final Map<Long, Handle> handles = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final Object lock = new Object();
    private volatile boolean dead;
    private final AtomicLong fsyncs = new AtomicLong();
    private final AtomicLong dirFsyncs = new AtomicLong();

    private PowerLossFileSystem(Path work, Path backing, Path mountPoint, Dir root) {
        this.work = work;
        this.backing = backing;
        this.shadows = work.resolve("shadows");
        this.mountPoint = mountPoint;
        this.root = root;
    }

    /** Mounts an empty file system at {@code mountPoint}, keeping its files under {@code work}. */
    static PowerLossFileSystem mount(Path work, Path mountPoint) throws IOException, InterruptedException {
        FuseAvailable.assumeFuse();
        Files.createDirectories(work.resolve("shadows"));
        Path backing = Files.createDirectories(work.resolve("backing-" + System.nanoTime()));
        return start(new PowerLossFileSystem(work, backing, mountPoint, new Dir()));
    }

    private static PowerLossFileSystem start(PowerLossFileSystem fs) throws InterruptedException {
        fs.mount(fs.mountPoint, false, false, new String[] {"-o", "fsname=powerloss", "-o", "hard_remove", "-o",
                "big_writes", "-o", "use_ino", "-o", "attr_timeout=0", "-o", "entry_timeout=0", "-o", "negative_timeout=0"});
        FuseMounts.awaitMounted(fs.mountPoint);
        return fs;
    }

    /** How many file and directory fsyncs programs made (for the test's report). */
    String counts() {
        return fsyncs.get() + " file fsync(s), " + dirFsyncs.get() + " directory fsync(s)";
    }

    /** The power goes off: what was durable now is all there is; every later call fails with EIO. */
    void powerCut() {
        synchronized (lock) {
            dead = true;
        }
    }

    /**
     * After {@link #powerCut()}: unmounts, builds a new backing directory from the durable state
     * alone and mounts it at the same place (the machine boots again).
     */
    PowerLossFileSystem remountAfterPowerCut() throws IOException, InterruptedException {
        if (!dead) {
            throw new IllegalStateException("no power cut yet");
        }
        unmountNow();
        Path rebuilt = Files.createDirectories(work.resolve("backing-" + System.nanoTime()));
        Dir fresh = new Dir();
        restore(root, rebuilt, fresh, java.util.Collections.newSetFromMap(new IdentityHashMap<>()),
                new IdentityHashMap<>());
        return start(new PowerLossFileSystem(work, rebuilt, mountPoint, fresh));
    }

    /**
     * Copies the durable tree under {@code from} to {@code to}; what it makes is durable in the new
     * model. A file reached by two durable names (a hard link) is restored as one file with two names.
     */
    private static void restore(Dir from, Path to, Dir into, Set<Dir> onPath, Map<File, Restored> files)
            throws IOException {
        for (Map.Entry<String, Node> entry : from.durable.entrySet()) {
            Path target = to.resolve(entry.getKey());
            if (entry.getValue() instanceof File file) {
                Restored earlier = files.get(file);
                if (earlier != null) {
                    Files.createLink(target, earlier.path());
                } else if (file.durable == null) {
                    Files.createFile(target);
                } else {
                    Files.copy(file.durable, target);
                }
                Restored restored = earlier != null ? earlier : new Restored(target, new File(file.durable));
                files.putIfAbsent(file, restored);
                into.live.put(entry.getKey(), restored.file());
            } else if (entry.getValue() instanceof Dir dir && onPath.add(dir)) {
                Files.createDirectory(target);
                Dir copy = new Dir();
                restore(dir, target, copy, onPath, files);
                onPath.remove(dir);
                into.live.put(entry.getKey(), copy);
            }
        }
        into.durable = new HashMap<>(into.live);
    }

    /** A file of the rebuilt disk: its first path, and its node in the new model. */
    private record Restored(Path path, File file) {
    }

    private void unmountNow() throws IOException, InterruptedException {
        if (!FuseAvailable.isMounted(mountPoint)) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (FuseAvailable.isMounted(mountPoint)) {
            // Busy for a moment while the kernel closes the files of a killed process.
            Process p = new ProcessBuilder("fusermount", "-u", mountPoint.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            if (FuseAvailable.isMounted(mountPoint) && System.nanoTime() > deadline) {
                new ProcessBuilder("fusermount", "-u", "-z", mountPoint.toString()).inheritIO().start().waitFor(10,
                        TimeUnit.SECONDS);
                break;
            }
            if (FuseAvailable.isMounted(mountPoint)) {
                Thread.sleep(100);
            }
        }
        if (!FuseMounts.awaitUnmounted(mountPoint, Duration.ofSeconds(20))) {
            throw new IllegalStateException(mountPoint + " is still mounted");
        }
        handles.values().forEach(h -> LIBC.close(h.fd()));
        handles.clear();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        dead = true;
        unmountNow();
    }

    // ---------------------------------------------------------------- the model

    private Path real(String path) {
        return backing.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private static String[] parts(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }

    /** The node at {@code path} now, or null. Call with {@link #lock} held. */
    private Node lookup(String path) {
        Node node = root;
        for (String part : parts(path)) {
            if (!(node instanceof Dir dir)) {
                return null;
            }
            node = dir.live.get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private Dir parentOf(String path) {
        String[] parts = parts(path);
        Node node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node instanceof Dir dir ? dir.live.get(parts[i]) : null;
        }
        return node instanceof Dir dir ? dir : null;
    }

    private static String nameOf(String path) {
        String[] parts = parts(path);
        return parts[parts.length - 1];
    }

    private static int errno() {
        return -RUNTIME.getLastError();
    }

    // ---------------------------------------------------------------- FUSE calls

    @Override
    public int getattr(String path, FileStat stat) {
        if (dead) {
            return -ErrorCodes.EIO();
        }
        return stat(real(path), stat);
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        if (dead) {
            return -ErrorCodes.EIO();
        }
        Handle h = handles.get(fi.fh.get());
        return h == null ? getattr(path, stat) : stat(Path.of("/proc/self/fd/" + h.fd()), stat);
    }

    private static int stat(Path p, FileStat stat) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,nlink,uid,gid,size,lastModifiedTime,ctime",
                    p.startsWith("/proc") ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
            stat.st_mode.set((Integer) a.get("mode"));
            stat.st_ino.set((Long) a.get("ino"));
            stat.st_nlink.set((Integer) a.get("nlink"));
            stat.st_uid.set((Integer) a.get("uid"));
            stat.st_gid.set((Integer) a.get("gid"));
            long size = (Long) a.get("size");
            stat.st_size.set(size);
            stat.st_blocks.set((size + 511) / 512);
            stat.st_blksize.set(4096);
            time(stat.st_mtim, (FileTime) a.get("lastModifiedTime"));
            time(stat.st_atim, (FileTime) a.get("lastModifiedTime"));
            time(stat.st_ctim, (FileTime) a.get("ctime"));
            return 0;
        } catch (java.nio.file.NoSuchFileException e) {
            return -ErrorCodes.ENOENT();
        } catch (IOException e) {
            return -ErrorCodes.EIO();
        }
    }

    private static void time(Timespec ts, FileTime t) {
        java.time.Instant i = t.toInstant();
        ts.tv_sec.set(i.getEpochSecond());
        ts.tv_nsec.set(i.getNano());
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        if (dead) {
            return -ErrorCodes.EIO();
        }
        java.util.List<String> names;
        synchronized (lock) {
            if (!(lookup(path) instanceof Dir dir)) {
                return -ErrorCodes.ENOTDIR();
            }
            names = java.util.List.copyOf(dir.live.keySet());
        }
        filler.apply(buf, ".", null, 0);
        filler.apply(buf, "..", null, 0);
        for (String name : names) {
            filler.apply(buf, name, null, 0);
        }
        return 0;
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        try {
            FileStore store = Files.getFileStore(backing);
            long block = 4096;
            stbuf.f_bsize.set(block);
            stbuf.f_frsize.set(block);
            stbuf.f_blocks.set(store.getTotalSpace() / block);
            stbuf.f_bfree.set(store.getUnallocatedSpace() / block);
            stbuf.f_bavail.set(store.getUsableSpace() / block);
            stbuf.f_namemax.set(255);
            return 0;
        } catch (IOException e) {
            return -ErrorCodes.EIO();
        }
    }

    @Override
    public int mkdir(String path, long mode) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            Dir parent = parentOf(path);
            if (parent == null) {
                return -ErrorCodes.ENOENT();
            }
            if (LIBC.mkdir(real(path).toString(), (int) mode) != 0) {
                return errno();
            }
            parent.live.put(nameOf(path), new Dir());
            return 0;
        }
    }

    @Override
    public int rmdir(String path) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            if (LIBC.rmdir(real(path).toString()) != 0) {
                return errno();
            }
            parentOf(path).live.remove(nameOf(path));
            return 0;
        }
    }

    @Override
    public int unlink(String path) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            if (LIBC.unlink(real(path).toString()) != 0) {
                return errno();
            }
            parentOf(path).live.remove(nameOf(path));
            return 0;
        }
    }

    @Override
    public int rename(String oldpath, String newpath) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            if (LIBC.rename(real(oldpath).toString(), real(newpath).toString()) != 0) {
                return errno();
            }
            Node moved = parentOf(oldpath).live.get(nameOf(oldpath));
            if (moved == parentOf(newpath).live.get(nameOf(newpath))) {
                return 0; // two names of one file: rename(2) leaves both
            }
            parentOf(oldpath).live.remove(nameOf(oldpath));
            parentOf(newpath).live.put(nameOf(newpath), moved);
            return 0;
        }
    }

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            Dir parent = parentOf(path);
            if (parent == null) {
                return -ErrorCodes.ENOENT();
            }
            int flags = fi.flags.get();
            int fd = LIBC.open(real(path).toString(), (flags & O_ACCMODE) | O_CREAT | (flags & O_EXCL)
                    | (flags & O_TRUNC), (int) mode & 07777);
            if (fd < 0) {
                return errno();
            }
            Node existing = parent.live.get(nameOf(path));
            File file = existing instanceof File f ? f : new File(null);
            parent.live.put(nameOf(path), file);
            long h = nextHandle.getAndIncrement();
            handles.put(h, new Handle(fd, file, (flags & (O_DSYNC | O_DIRECT)) != 0));
            fi.fh.set(h);
            return 0;
        }
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            if (!(lookup(path) instanceof File file)) {
                return -ErrorCodes.EISDIR();
            }
            int flags = fi.flags.get();
            int fd = LIBC.open(real(path).toString(), (flags & O_ACCMODE) | (flags & O_TRUNC), 0);
            if (fd < 0) {
                return errno();
            }
            long h = nextHandle.getAndIncrement();
            handles.put(h, new Handle(fd, file, (flags & (O_DSYNC | O_DIRECT)) != 0));
            fi.fh.set(h);
            return 0;
        }
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        Handle h = handles.get(fi.fh.get());
        if (dead || h == null) {
            return -ErrorCodes.EIO();
        }
        long n = LIBC.pread(h.fd(), buf, size, offset);
        return n < 0 ? errno() : (int) n;
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        Handle h = handles.get(fi.fh.get());
        if (dead || h == null) {
            return -ErrorCodes.EIO();
        }
        long n = LIBC.pwrite(h.fd(), buf, size, offset);
        if (n < 0) {
            return errno();
        }
        return h.synced() ? makeDurable(h, (int) n) : (int) n;
    }

    @Override
    public int truncate(String path, long size) {
        if (dead) {
            return -ErrorCodes.EIO();
        }
        return LIBC.truncate(real(path).toString(), size) == 0 ? 0 : errno();
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        Handle h = handles.get(fi.fh.get());
        if (dead || h == null) {
            return dead ? -ErrorCodes.EIO() : truncate(path, size);
        }
        return LIBC.ftruncate(h.fd(), size) == 0 ? 0 : errno();
    }

    @Override
    public int fallocate(String path, int mode, long off, long length, FuseFileInfo fi) {
        Handle h = handles.get(fi.fh.get());
        if (dead || h == null) {
            return -ErrorCodes.EIO();
        }
        return LIBC.fallocate(h.fd(), mode, off, length) == 0 ? 0 : errno();
    }

    @Override
    public int chmod(String path, long mode) {
        return dead ? -ErrorCodes.EIO() : 0;
    }

    @Override
    public int chown(String path, long uid, long gid) {
        return dead ? -ErrorCodes.EIO() : 0;
    }

    @Override
    public int utimens(String path, Timespec[] timespec) {
        return dead ? -ErrorCodes.EIO() : 0;
    }

    @Override
    public int flush(String path, FuseFileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        Handle h = handles.remove(fi.fh.get());
        if (h != null) {
            LIBC.close(h.fd());
        }
        return 0;
    }

    /** fsync and fdatasync: the file's content now is what a power cut leaves (copied aside). */
    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        Handle h = handles.get(fi.fh.get());
        if (dead || h == null) {
            return -ErrorCodes.EIO();
        }
        return makeDurable(h, 0);
    }

    /** Copies the file's content now aside as what a power cut leaves; answers {@code result} or EIO. */
    private int makeDurable(Handle h, int result) {
        Path copy = shadows.resolve(Long.toString(SHADOWS.incrementAndGet()));
        try {
            Files.copy(Path.of("/proc/self/fd/" + h.fd()), copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            return -ErrorCodes.EIO();
        }
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO(); // the power went while the disk was writing: not durable
            }
            h.file().durable = copy;
        }
        fsyncs.incrementAndGet();
        return result;
    }

    /** fsync of a directory: its entries now are what a power cut leaves. */
    @Override
    public int fsyncdir(String path, FuseFileInfo fi) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            if (!(lookup(path) instanceof Dir dir)) {
                return -ErrorCodes.ENOENT();
            }
            dir.durable = new HashMap<>(dir.live);
        }
        dirFsyncs.incrementAndGet();
        return 0;
    }

    /** A hard link: one more name of the same file, durable once its directory is fsynced. */
    @Override
    public int link(String oldpath, String newpath) {
        synchronized (lock) {
            if (dead) {
                return -ErrorCodes.EIO();
            }
            if (!(lookup(oldpath) instanceof File file)) {
                return -ErrorCodes.EPERM();
            }
            Dir parent = parentOf(newpath);
            if (parent == null) {
                return -ErrorCodes.ENOENT();
            }
            if (LIBC.link(real(oldpath).toString(), real(newpath).toString()) != 0) {
                return errno();
            }
            parent.live.put(nameOf(newpath), file);
            return 0;
        }
    }

    @Override
    public int symlink(String oldpath, String newpath) {
        return -ErrorCodes.EPERM();
    }

    @Override
    public int mknod(String path, long mode, long rdev) {
        return -ErrorCodes.EPERM();
    }
}
