package io.s3d.fuse;

import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.store.LocalStore;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jnr.ffi.Pointer;
import org.jboss.logging.Logger;
import ru.serce.jnrfuse.ErrorCodes;
import ru.serce.jnrfuse.FuseFillDir;
import ru.serce.jnrfuse.FuseStubFS;
import ru.serce.jnrfuse.struct.FileStat;
import ru.serce.jnrfuse.struct.FuseFileInfo;
import ru.serce.jnrfuse.struct.Statvfs;
import ru.serce.jnrfuse.struct.Timespec;

/**
 * The file system libfuse calls: each operation becomes calls on the same {@link ObjectBackend}
 * the S3 front uses, so writes go through the write queue and reads through the read cache.
 * Semantics (and what differs from a local disk) are in docs/user-guide.md, "The FUSE mount".
 * libfuse calls from several threads at once; each call blocks its thread until it is answered.
 */
public final class S3dFileSystem extends FuseStubFS {
    private static final Logger LOG = Logger.getLogger(S3dFileSystem.class);
    private static final int O_ACCMODE = 3;
    private static final int O_RDONLY = 0;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int PAGE = 1000;
    /** The largest file: the largest S3 object (5 TiB). A write or truncate past it answers EFBIG. */
    static final long MAX_FILE_SIZE = 5L << 40;

    private final ObjectBackend backend;
    private final Metadata metadata;
    private final OpenFiles openFiles = new OpenFiles();
    private final Path stagingDir;
    private final Path diskRoot;
    private final Owner owner;
    private final MeterRegistry registry;
    private final Renames renames;
    private final PageCache pageCache = new PageCache();
    private final MetadataChanges metadataChanges;
    private final PartialRewrites rewrites;

    /** Who files belong to and the mode bits they show. */
    public record Owner(int uid, int gid, int fileMode, int dirMode) {
    }

    public S3dFileSystem(ObjectBackend backend, Path stagingDir, Path diskRoot, java.time.Duration ttl, Owner owner,
            MeterRegistry registry) {
        this(backend, null, stagingDir, diskRoot, ttl, owner, registry);
    }

    /**
     * {@code local}: the local store when {@code backend} stores in it and nowhere else
     * (standalone): a lookup then checks a directory's existence on disk instead of listing it,
     * and a listing's entries (which carry their metadata there) answer the {@code stat}s after it.
     */
    public S3dFileSystem(ObjectBackend backend, LocalStore local, Path stagingDir, Path diskRoot,
            java.time.Duration ttl, Owner owner, MeterRegistry registry) {
        this(backend, local, stagingDir, diskRoot, ttl, owner, registry, PartialRewrites.defaults());
    }

    /** {@code rewrites}: from what size and in what parts a file changed in place is stored by parts. */
    public S3dFileSystem(ObjectBackend backend, LocalStore local, Path stagingDir, Path diskRoot,
            java.time.Duration ttl, Owner owner, MeterRegistry registry, PartialRewrites rewrites) {
        this.backend = backend;
        this.rewrites = rewrites;
        this.metadata = new Metadata(backend, local, ttl);
        this.stagingDir = stagingDir;
        this.diskRoot = diskRoot;
        this.owner = owner;
        this.registry = registry;
        this.renames = new Renames(backend, metadata, openFiles);
        this.metadataChanges = new MetadataChanges(backend, metadata, openFiles);
        if (registry != null) {
            io.micrometer.core.instrument.FunctionCounter.builder("s3d.fuse.stored.bytes", rewrites,
                    PartialRewrites::uploadedBytes).tag("how", "uploaded")
                    .description("Bytes the FUSE mount's stores sent from staging files").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("s3d.fuse.stored.bytes", rewrites,
                    PartialRewrites::copiedBytes).tag("how", "copied")
                    .description("Bytes of files changed in place that the FUSE mount's stores copied where they lay "
                            + "(UploadPartCopy) instead of sending them").register(registry);
        }
        allowNullPaths();
    }

    /** What the mount's stores sent and copied. */
    PartialRewrites rewrites() {
        return rewrites;
    }

    /**
     * Sets libfuse's {@code flag_nullpath_ok} (jnr-fuse has no setter; it is bit 0 of the word
     * after the operations): with {@code hard_remove}, a file unlinked while open has no path any
     * more, and without the flag libfuse answers ENOENT to its reads, writes and fstat instead of
     * calling s3d with a null path. Every operation on an open file here goes by its handle.
     */
    private void allowNullPaths() {
        long offset;
        try {
            // AbstractMember (and so its public offset()) is not public: reflection is the only way.
            java.lang.reflect.Method method = Class.forName("jnr.ffi.Struct$AbstractMember").getMethod("offset");
            method.setAccessible(true);
            offset = (Long) method.invoke(fuseOperations.flag_nullpath_ok);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set libfuse's nullpath_ok flag through jnr-fuse", e);
        }
        jnr.ffi.Pointer memory = jnr.ffi.Struct.getMemory(fuseOperations);
        // bit 0 nullpath_ok; bit 2 utime_omit_ok: without it libfuse 2 drops a utimensat that sets only
        // one of the two times (touch -m, tar x), instead of passing UTIME_OMIT for the other.
        memory.putByte(offset, (byte) (memory.getByte(offset) | 0b101));
    }

    /**
     * Sets the {@code keep_cache} bit of libfuse's {@code fuse_file_info}: the kernel keeps the
     * file's pages from earlier opens instead of dropping them. jnr-fuse maps that bit field as
     * single bytes, wrongly (it has no {@code int writepage} before it), so the bit is set in the
     * 32-bit word right before {@code fh}: bit 0 direct_io, bit 1 keep_cache.
     */
    private static void keepCache(FuseFileInfo fi) {
        Pointer memory = jnr.ffi.Struct.getMemory(fi);
        long bits = fi.fh.offset() - 4;
        memory.putByte(bits, (byte) (memory.getByte(bits) | 0b10));
    }

    @Override
    protected String getFSName() {
        return "s3d";
    }

    /** Marks the file system unmounted (s3d unmounts it itself, and waits): jnr-fuse's exit hook then does nothing. */
    void forgetMounted() {
        mounted.set(false);
    }

    /** Files open right now. */
    public int openFiles() {
        return openFiles.count();
    }

    /** Files open for writing right now (not those unlinked while open). */
    int openWrites() {
        return openFiles.writing().size();
    }

    /**
     * Stores every file open for writing that changed since its last store (at shutdown, before the
     * mount goes away under them); returns how many were stored. A failure is logged, not thrown.
     */
    int storeOpenWrites() {
        int stored = 0;
        for (WrittenFile w : openFiles.writing()) {
            try {
                if (w.store(backend)) {
                    stored++;
                }
                metadata.forget(w.path());
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "FUSE %s (open for writing at shutdown) could not be stored", w.path().display());
            }
        }
        return stored;
    }

    // --- metadata ---

    @Override
    public int getattr(String path, FileStat stat) {
        return call("getattr", path, () -> {
            FusePath p = parse(path);
            WrittenFile writer = openFiles.writer(p);
            // null: its last writer released it meanwhile, and it is stored: the store answers.
            WrittenFile.Attributes writing = writer == null ? null : writer.attributes();
            if (writing != null) {
                fillFile(stat, writing.size(), writing.mtime(), writing.posix());
                return 0;
            }
            Optional<Node> node = metadata.lookup(p);
            if (node.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            fill(stat, node.get());
            return 0;
        });
    }

    @Override
    public int fgetattr(String path, FileStat stat, FuseFileInfo fi) {
        FileHandle handle = openFiles.get(fi.fh.get());
        if (handle instanceof WriteHandle w) {
            return call("getattr", path, () -> {
                WrittenFile.Attributes writing = w.file().attributes();
                if (writing == null) {
                    return path == null ? -ErrorCodes.ENOENT() : getattr(path, stat);
                }
                fillFile(stat, writing.size(), writing.mtime(), writing.posix());
                return 0;
            });
        }
        if (path == null && handle instanceof ReadHandle r) {
            // An open file that was unlinked (libfuse passes no path): the version the reader holds.
            return call("getattr", path, () -> {
                fillFile(stat, r.size(), r.mtime(), PosixAttributes.NONE);
                return 0;
            });
        }
        if (path == null && handle instanceof WriterView v) {
            return call("getattr", path, () -> {
                fillFile(stat, v.size(), Instant.now(), PosixAttributes.NONE);
                return 0;
            });
        }
        if (path == null) {
            return -ErrorCodes.ENOENT();
        }
        return getattr(path, stat);
    }

    /**
     * A path's attributes: those its object's metadata carries (see {@link PosixAttributes}), the
     * mount's defaults for the rest (configured owner and mode bits, Last-Modified as every time).
     */
    private void fill(FileStat stat, Node node) {
        if (node.directory()) {
            PosixAttributes posix = node.posix();
            stat.st_mode.set(FileStat.S_IFDIR | (posix.mode() == null ? owner.dirMode() : posix.mode() & 07777));
            stat.st_nlink.set(2);
            owner(stat, posix);
            times(stat, posix, node.mtime());
        } else {
            fillFile(stat, node.size(), node.mtime(), node.posix());
        }
    }

    private void fillFile(FileStat stat, long size, Instant mtime, PosixAttributes posix) {
        if (posix.symlink()) {
            stat.st_mode.set(FileStat.S_IFLNK | (posix.mode() & 07777));
        } else {
            stat.st_mode.set(FileStat.S_IFREG | (posix.mode() == null ? owner.fileMode() : posix.mode() & 07777));
        }
        stat.st_nlink.set(1);
        owner(stat, posix);
        stat.st_size.set(size);
        stat.st_blocks.set((size + 511) / 512);
        stat.st_blksize.set(128 * 1024);
        times(stat, posix, mtime);
    }

    private void owner(FileStat stat, PosixAttributes posix) {
        stat.st_uid.set(posix.uid() == null ? owner.uid() : posix.uid());
        stat.st_gid.set(posix.gid() == null ? owner.gid() : posix.gid());
    }

    /** mtime from the metadata, else {@code lastModified}; atime and ctime from the metadata, else mtime. */
    private static void times(FileStat stat, PosixAttributes posix, Instant lastModified) {
        Instant mtime = posix.mtime() == null ? lastModified : posix.mtime();
        set(stat.st_mtim, mtime);
        set(stat.st_atim, posix.atime() == null ? mtime : posix.atime());
        set(stat.st_ctim, posix.ctime() == null ? mtime : posix.ctime());
    }

    private static void set(Timespec ts, Instant t) {
        ts.tv_sec.set(t.getEpochSecond());
        ts.tv_nsec.set(t.getNano());
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return call("readdir", path, () -> {
            FusePath dir = parse(path);
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            if (dir.isRoot()) {
                // Directories (buckets here, prefixes below) are not remembered from listings: their
                // time comes from a lookup (HeadBucket, the marker), so stat and ls -l agree.
                for (BucketInfo bucket : metadata.buckets()) {
                    if (FusePath.isFileName(bucket.name())) {
                        filler.apply(buf, bucket.name(), null, 0);
                    }
                }
                return 0;
            }
            Set<String> names = new HashSet<>();
            String prefix = dir.dirPrefix();
            String after = "";
            while (true) {
                long before = metadata.changes();
                ListPage page = backend.listObjects(dir.bucket(), new ListRequest(prefix, "/", after, PAGE));
                for (ObjectMeta object : page.objects()) {
                    String name = FusePath.entryName(prefix, object.key());
                    if (name != null && !object.key().endsWith("/") && names.add(name)) {
                        if (metadata.listingsCarryMetadata()) {
                            // The stats that follow (ls -l) need no request; a remote's listing lacks
                            // the attributes in the metadata, so there each stat asks (HEAD).
                            metadata.remember(dir.child(name), Node.file(object.size(), object.lastModified(),
                                    object.etag(), PosixAttributes.of(object.userMetadata())), before);
                        }
                        filler.apply(buf, name, null, 0);
                    }
                }
                for (String common : page.commonPrefixes()) {
                    String name = FusePath.entryName(prefix, common);
                    if (name != null) {
                        // A directory wins over a file of the same name (see Metadata).
                        metadata.forget(dir.child(name));
                        if (names.add(name)) {
                            filler.apply(buf, name, null, 0);
                        }
                    }
                }
                if (!page.truncated()) {
                    break;
                }
                after = page.nextStartAfter();
            }
            for (String name : openFiles.writtenIn(dir)) {
                if (names.add(name)) {
                    filler.apply(buf, name, null, 0);
                }
            }
            return 0;
        });
    }

    @Override
    public int statfs(String path, Statvfs stbuf) {
        return call("statfs", path, () -> {
            FileStore store = Files.getFileStore(diskRoot);
            long block = 4096;
            stbuf.f_bsize.set(block);
            stbuf.f_frsize.set(block);
            stbuf.f_blocks.set(store.getTotalSpace() / block);
            stbuf.f_bfree.set(store.getUnallocatedSpace() / block);
            stbuf.f_bavail.set(store.getUsableSpace() / block);
            stbuf.f_files.set(1_000_000_000L);
            stbuf.f_ffree.set(1_000_000_000L);
            stbuf.f_favail.set(1_000_000_000L);
            stbuf.f_namemax.set(FusePath.NAME_MAX);
            return 0;
        });
    }

    /** Kept in the object's metadata ({@code x-amz-meta-mode}, s3fs's format); the file type stays. */
    @Override
    public int chmod(String path, long mode) {
        return call("chmod", path, () -> {
            FusePath p = parse(path);
            int type = typeOf(p);
            if (type == 0) {
                return -ErrorCodes.ENOENT();
            }
            return metadataChanges.change(p, m -> PosixAttributes.withMode(m, type, mode));
        });
    }

    /** Kept in the object's metadata ({@code x-amz-meta-uid}, {@code -gid}); the kernel lets only root give files away. */
    @Override
    public int chown(String path, long uid, long gid) {
        return call("chown", path, () -> metadataChanges.change(parse(path),
                m -> PosixAttributes.withOwner(m, uid, gid)));
    }

    /**
     * Kept in the object's metadata ({@code x-amz-meta-mtime}, {@code -atime}), to the nanosecond.
     * A time left as it is comes as UTIME_OMIT (libfuse's {@code utime_omit_ok}, set at start).
     */
    @Override
    public int utimens(String path, Timespec[] timespec) {
        return call("utimens", path, () -> {
            Instant atime = timeOf(timespec[0]);
            Instant mtime = timeOf(timespec[1]);
            return metadataChanges.change(parse(path), m -> PosixAttributes.withTimes(m, atime, mtime));
        });
    }

    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    /** A time utimensat asked for: null for UTIME_OMIT (left as it is), now for UTIME_NOW. */
    private static Instant timeOf(Timespec ts) {
        long nanos = ts.tv_nsec.longValue();
        if (nanos == UTIME_OMIT) {
            return null;
        }
        return nanos == UTIME_NOW ? Instant.now() : Instant.ofEpochSecond(ts.tv_sec.get(), nanos);
    }

    /** The file type bits of what is at {@code p}, or 0 when nothing is. */
    private int typeOf(FusePath p) {
        WrittenFile writing = openFiles.writer(p);
        if (writing != null) {
            return PosixAttributes.S_IFREG;
        }
        Optional<Node> node = metadata.lookup(p);
        if (node.isEmpty()) {
            return 0;
        }
        return node.get().directory() ? PosixAttributes.S_IFDIR
                : node.get().symlink() ? PosixAttributes.S_IFLNK : PosixAttributes.S_IFREG;
    }

    // --- directories ---

    @Override
    public int mkdir(String path, long mode) {
        return call("mkdir", path, () -> {
            FusePath p = parse(path);
            if (p.isRoot()) {
                return -ErrorCodes.EEXIST();
            }
            if (!p.isNameable()) {
                return -ErrorCodes.EINVAL();
            }
            if (p.isBucket()) {
                backend.createBucket(p.bucket());
            } else {
                EmptyObjects.put(backend, p.bucket(), p.markerKey(), newAttributes(PosixAttributes.S_IFDIR, mode));
            }
            metadata.forget(p);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            FusePath p = parse(path);
            if (p.isRoot()) {
                return -ErrorCodes.EBUSY();
            }
            if (p.isBucket()) {
                backend.deleteBucket(p.bucket());
            } else {
                ListPage page = backend.listObjects(p.bucket(), new ListRequest(p.dirPrefix(), null, "", 2));
                boolean others = !page.commonPrefixes().isEmpty()
                        || page.objects().stream().anyMatch(o -> !o.key().equals(p.markerKey()));
                if (others) {
                    return -ErrorCodes.ENOTEMPTY();
                }
                if (!page.objects().isEmpty()) {
                    backend.deleteObject(p.bucket(), p.markerKey());
                }
                // else: a directory without marker vanished with its last file; it is gone, as asked.
            }
            metadata.forget(p);
            return 0;
        });
    }

    // --- files ---

    @Override
    public int create(String path, long mode, FuseFileInfo fi) {
        return call("create", path, () -> {
            FusePath p = parse(path);
            if (p.isRoot() || p.isBucket()) {
                return -ErrorCodes.EPERM();
            }
            if (!p.isNameable()) {
                return -ErrorCodes.EINVAL();
            }
            int flags = fi.flags.get();
            return openFiles.locked(p, () -> {
                WrittenFile file = openFiles.writer(p);
                if (file != null) {
                    // Being written by another open (a stale "does not exist" in the kernel): join it.
                    file.attach();
                    if ((flags & O_TRUNC) != 0) {
                        file.truncate(0);
                    }
                } else {
                    StagingFile staging = StagingFile.create(stagingDir, rewrites);
                    staging.userMetadata(newAttributes(PosixAttributes.S_IFREG, mode));
                    file = new WrittenFile(p, staging, true, Instant.now());
                    openFiles.register(file);
                }
                fi.fh.set(openFiles.add(new WriteHandle(file, (flags & O_APPEND) != 0)));
                metadata.forget(p);
                return 0;
            });
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call("open", path, () -> {
            FusePath p = parse(path);
            int flags = fi.flags.get();
            boolean readOnly = (flags & O_ACCMODE) == O_RDONLY;
            if (p.isRoot() || p.isBucket()) {
                return readOnly ? 0 : -ErrorCodes.EISDIR();
            }
            Optional<Node> found = metadata.lookup(p);
            if (found.isPresent() && found.get().directory()) {
                return -ErrorCodes.EISDIR();
            }
            if (readOnly) {
                Optional<Node> node = found;
                WrittenFile writing = openFiles.writer(p);
                WriterView view = writing == null ? null : writing.view();
                if (view != null) {
                    // Open for writing elsewhere: read what its writers wrote so far, as on a local disk.
                    fi.fh.set(openFiles.add(view));
                    return 0;
                }
                if (writing != null) {
                    node = metadata.lookup(p); // its last writer stored and closed it meanwhile
                }
                if (node.isEmpty()) {
                    return -ErrorCodes.ENOENT();
                }
                ObjectData data = openForReading(p, node.get().size());
                if (pageCache.unchanged(p, data.meta().etag())) {
                    keepCache(fi);
                }
                fi.fh.set(openFiles.add(new ReadHandle(p, data)));
                return 0;
            }
            boolean truncate = (flags & O_TRUNC) != 0;
            boolean append = (flags & O_APPEND) != 0;
            return openFiles.locked(p, () -> {
                WrittenFile writing = openFiles.writer(p);
                Optional<Node> stored;
                if (writing != null) {
                    // Another open is writing it: share its staging copy, so no writer's bytes are lost.
                    writing.attach();
                    if (truncate) {
                        writing.truncate(0);
                    }
                } else if ((stored = metadata.lookup(p)).isEmpty()) {
                    // Asked again under the lock: a last writer may have stored it since the lookup above.
                    return -ErrorCodes.ENOENT();
                } else {
                    Node node = stored.get();
                    Instant mtime = truncate ? Instant.now()
                            : node.posix().mtime() != null ? node.posix().mtime() : node.mtime();
                    writing = new WrittenFile(p, stage(p, truncate, node.size()), truncate, mtime);
                    openFiles.register(writing);
                }
                fi.fh.set(openFiles.add(new WriteHandle(writing, append)));
                metadata.forget(p);
                return 0;
            });
        });
    }

    /**
     * A staging copy of the stored file: its bytes, or only its content type and metadata (O_TRUNC).
     * A large file ({@code s3d.remote.multipart-threshold}) is staged lazily, pinned to the version
     * opened, when the store can copy its unchanged parts without moving them through s3d (not
     * through the write queue, which would download them to push the whole object anyway).
     */
    private StagingFile stage(FusePath p, boolean truncate, long knownSize) throws IOException {
        if (!truncate && rewrites.applies(knownSize) && backend.copiesPartsInPlace(p.bucket(), p.key())) {
            return StagingFile.lazy(stagingDir, p, openForReading(p, knownSize), rewrites);
        }
        StagingFile staging = StagingFile.create(stagingDir, rewrites);
        try {
            if (truncate) {
                // O_TRUNC ("> file", cp over it): none of its bytes, but its content type and user metadata.
                staging.keepMetadataOf(backend.headObject(p.bucket(), p.key()));
            } else {
                try (ObjectData data = backend.getObject(p.bucket(), p.key())) {
                    staging.copyFrom(data);
                }
            }
        } catch (IOException | RuntimeException e) {
            staging.close();
            throw e;
        }
        return staging;
    }

    /**
     * Opens the current version from its start to its end: a remote fetches (and a read cache
     * keeps) only what is then read. An object that became empty since it was looked up has no
     * byte range to ask for, so it is then opened plainly.
     */
    private ObjectData openForReading(FusePath p, long knownSize) {
        if (knownSize == 0) {
            return backend.getObject(p.bucket(), p.key());
        }
        try {
            return backend.getObject(p.bucket(), p.key(), "bytes=0-");
        } catch (S3Exception e) {
            if (e.errorCode() != S3ErrorCode.INVALID_RANGE && !"InvalidRange".equals(e.code())) {
                throw e;
            }
            return backend.getObject(p.bucket(), p.key());
        }
    }

    @Override
    public int read(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call("read", path, () -> {
            FileHandle handle = openFiles.get(fi.fh.get());
            if (handle == null) {
                return -ErrorCodes.EBADF();
            }
            ByteBuffer into = ByteBuffer.allocate((int) size);
            int n = handle.read(into, offset);
            if (n <= 0) {
                return 0;
            }
            buf.put(0, into.array(), 0, n);
            return n;
        });
    }

    @Override
    public int write(String path, Pointer buf, long size, long offset, FuseFileInfo fi) {
        return call("write", path, () -> {
            if (!(openFiles.get(fi.fh.get()) instanceof WriteHandle handle)) {
                return -ErrorCodes.EBADF();
            }
            checkSize(offset + size);
            byte[] bytes = new byte[(int) size];
            buf.get(0, bytes, 0, bytes.length);
            return handle.write(ByteBuffer.wrap(bytes), offset);
        });
    }

    @Override
    public int truncate(String path, long size) {
        return call("truncate", path, () -> {
            FusePath p = parse(path);
            checkSize(size);
            return openFiles.locked(p, () -> truncateLocked(p, size));
        });
    }

    private int truncateLocked(FusePath p, long size) throws IOException {
        WrittenFile writing = openFiles.writer(p);
        if (writing != null) {
            writing.truncate(size);
            return 0;
        }
        Optional<Node> node = metadata.lookup(p);
        if (node.isEmpty()) {
            return -ErrorCodes.ENOENT();
        }
        if (node.get().directory()) {
            return -ErrorCodes.EISDIR();
        }
        try (StagingFile staging = StagingFile.create(stagingDir, rewrites)) {
            if (size > 0) {
                try (ObjectData data = backend.getObject(p.bucket(), p.key())) {
                    staging.copyFrom(data);
                }
            } else {
                staging.keepMetadataOf(backend.headObject(p.bucket(), p.key()));
            }
            staging.truncate(size);
            staging.userMetadata(PosixAttributes.changedNow(
                    PosixAttributes.withTimes(staging.userMetadata(), null, Instant.now())));
            staging.store(backend, p.bucket(), p.key());
        }
        metadata.forget(p);
        return 0;
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        if (openFiles.get(fi.fh.get()) instanceof WriteHandle handle) {
            return call("truncate", path, () -> {
                checkSize(size);
                handle.file().truncate(size);
                return 0;
            });
        }
        return truncate(path, size);
    }

    /** Every {@code close} of a descriptor: stores a changed file; the store's failure is the close's (EIO). */
    @Override
    public int flush(String path, FuseFileInfo fi) {
        return store("flush", path, fi);
    }

    @Override
    public int fsync(String path, int isdatasync, FuseFileInfo fi) {
        return store("fsync", path, fi);
    }

    private int store(String op, String path, FuseFileInfo fi) {
        if (!(openFiles.get(fi.fh.get()) instanceof WriteHandle handle)) {
            return 0;
        }
        return call(op, path, () -> {
            WrittenFile file = handle.file();
            file.store(backend);
            metadata.forget(file.path());
            return 0;
        });
    }

    @Override
    public int release(String path, FuseFileInfo fi) {
        return call("release", path, () -> {
            FileHandle handle = openFiles.remove(fi.fh.get());
            if (handle == null) {
                return 0;
            }
            try {
                if (handle instanceof WriteHandle w) {
                    WrittenFile file = w.file();
                    return openFiles.locked(file.path(), () -> releaseWriter(file));
                }
            } finally {
                handle.close();
            }
            return 0;
        });
    }

    /**
     * One writer of {@code file} fewer. The last one stores it (unless its last store failed and
     * was answered as EIO) and only then closes it, while it still answers for its path: a
     * {@code stat} meanwhile sees the file, never a closed staging file or the version before.
     */
    private int releaseWriter(WrittenFile file) throws IOException {
        if (!file.detach()) {
            return 0;
        }
        try {
            if (file.failed()) {
                LOG.warnf("FUSE %s was not stored: storing it failed and its close answered EIO",
                        file.path().display());
            } else {
                file.store(backend);
            }
            metadata.forget(file.path());
        } finally {
            openFiles.unregister(file);
            file.close();
        }
        return 0;
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            FusePath p = parse(path);
            if (p.isRoot() || p.isBucket()) {
                return -ErrorCodes.EISDIR();
            }
            return openFiles.locked(p, () -> {
                WrittenFile writing = openFiles.writer(p);
                if (writing != null) {
                    writing.discard();
                    openFiles.unregister(writing);
                }
                backend.deleteObject(p.bucket(), p.key());
                metadata.forget(p);
                return 0;
            });
        });
    }

    /** See {@link Renames}: files are copied and deleted, a non-empty directory answers EXDEV. */
    @Override
    public int rename(String oldpath, String newpath) {
        return call("rename", oldpath, () -> renames.rename(parse(oldpath), parse(newpath)));
    }

    // --- what the mount refuses ---

    /** Hard links: objects cannot share bytes. EPERM, as Linux file systems without hard links answer. */
    @Override
    public int link(String oldpath, String newpath) {
        return call("link", newpath, () -> -ErrorCodes.EPERM());
    }

    /**
     * A symbolic link is an object holding its target, marked by the file type in
     * {@code x-amz-meta-mode} (S_IFLNK), as s3fs stores them.
     */
    @Override
    public int symlink(String target, String linkPath) {
        return call("symlink", linkPath, () -> {
            FusePath p = parse(linkPath);
            if (p.isRoot() || p.isBucket()) {
                return -ErrorCodes.EPERM();
            }
            if (!p.isNameable()) {
                return -ErrorCodes.EINVAL();
            }
            byte[] body = target.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (body.length >= 4096) {
                return -ErrorCodes.ENAMETOOLONG();
            }
            return openFiles.locked(p, () -> {
                if (openFiles.writer(p) != null || metadata.lookup(p).isPresent()) {
                    return -ErrorCodes.EEXIST();
                }
                EmptyObjects.put(backend, p.bucket(), p.key(), body, newAttributes(PosixAttributes.S_IFLNK, 0777));
                metadata.forget(p);
                return 0;
            });
        });
    }

    @Override
    public int readlink(String path, Pointer buf, long size) {
        return call("readlink", path, () -> {
            FusePath p = parse(path);
            Optional<Node> node = metadata.lookup(p);
            if (node.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            if (!node.get().symlink()) {
                return -ErrorCodes.EINVAL();
            }
            byte[] target;
            try (ObjectData data = backend.getObject(p.bucket(), p.key());
                    java.io.InputStream in = data.open(0, data.meta().size())) {
                target = in.readNBytes(4096);
            }
            int n = (int) Math.min(target.length, size - 1);
            buf.put(0, target, 0, n);
            buf.putByte(n, (byte) 0);
            return 0;
        });
    }

    // --- extended attributes: user.* in the object's metadata (see Xattrs) ---

    private static final int XATTR_CREATE = 1;
    private static final int XATTR_REPLACE = 2;

    @Override
    public int getxattr(String path, String name, Pointer value, long size) {
        if (!name.startsWith(Xattrs.NAMESPACE)) {
            // security.capability is asked before writes: answered without a lookup.
            return -ErrorCodes.ENODATA();
        }
        return call("getxattr", path, () -> {
            Optional<Map<String, String>> current = metadataChanges.current(parse(path));
            if (current.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            byte[] found = Xattrs.of(current.get()).get(name);
            if (found == null) {
                return -ErrorCodes.ENODATA();
            }
            if (size == 0) {
                return found.length;
            }
            if (size < found.length) {
                return -ErrorCodes.ERANGE();
            }
            value.put(0, found, 0, found.length);
            return found.length;
        });
    }

    @Override
    public int listxattr(String path, Pointer list, long size) {
        return call("listxattr", path, () -> {
            Optional<Map<String, String>> current = metadataChanges.current(parse(path));
            if (current.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
            for (String name : Xattrs.of(current.get()).keySet()) {
                names.writeBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                names.write(0);
            }
            byte[] bytes = names.toByteArray();
            if (size == 0) {
                return bytes.length;
            }
            if (size < bytes.length) {
                return -ErrorCodes.ERANGE();
            }
            list.put(0, bytes, 0, bytes.length);
            return bytes.length;
        });
    }

    @Override
    public int setxattr(String path, String name, Pointer value, long size, int flags) {
        return call("setxattr", path, () -> {
            FusePath p = parse(path);
            if (!name.startsWith(Xattrs.NAMESPACE) || name.length() == Xattrs.NAMESPACE.length()) {
                return -ErrorCodes.EOPNOTSUPP();
            }
            Optional<Map<String, String>> current = metadataChanges.current(p);
            if (current.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            boolean exists = Xattrs.of(current.get()).containsKey(name);
            if ((flags & XATTR_CREATE) != 0 && exists) {
                return -ErrorCodes.EEXIST();
            }
            if ((flags & XATTR_REPLACE) != 0 && !exists) {
                return -ErrorCodes.ENODATA();
            }
            byte[] bytes = new byte[(int) size];
            value.get(0, bytes, 0, bytes.length);
            return metadataChanges.change(p, m -> {
                Map<String, byte[]> xattrs = Xattrs.of(m);
                xattrs.put(name, bytes);
                return Xattrs.with(m, xattrs);
            });
        });
    }

    @Override
    public int removexattr(String path, String name) {
        return call("removexattr", path, () -> {
            FusePath p = parse(path);
            if (!name.startsWith(Xattrs.NAMESPACE)) {
                return -ErrorCodes.ENODATA();
            }
            Optional<Map<String, String>> current = metadataChanges.current(p);
            if (current.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            if (!Xattrs.of(current.get()).containsKey(name)) {
                return -ErrorCodes.ENODATA();
            }
            return metadataChanges.change(p, m -> {
                Map<String, byte[]> xattrs = Xattrs.of(m);
                xattrs.remove(name);
                return Xattrs.with(m, xattrs);
            });
        });
    }

    /** The metadata a file, directory or link made through the mount starts with: its type and mode bits, its times. */
    private static Map<String, String> newAttributes(int type, long mode) {
        String now = PosixAttributes.format(Instant.now());
        return Map.of(PosixAttributes.MODE, Long.toString(type | (mode & 07777)), PosixAttributes.MTIME, now,
                PosixAttributes.CTIME, now);
    }

    /** A regular file (mknod without O_CREAT's open) is an empty object; FIFOs, sockets and devices answer EPERM. */
    @Override
    public int mknod(String path, long mode, long rdev) {
        return call("mknod", path, () -> {
            FusePath p = parse(path);
            if ((mode & FileStat.S_IFMT) != FileStat.S_IFREG) {
                return -ErrorCodes.EPERM();
            }
            if (p.isRoot() || p.isBucket()) {
                return -ErrorCodes.EPERM();
            }
            if (!p.isNameable()) {
                return -ErrorCodes.EINVAL();
            }
            return openFiles.locked(p, () -> {
                if (openFiles.writer(p) != null || metadata.lookup(p).isPresent()) {
                    return -ErrorCodes.EEXIST();
                }
                EmptyObjects.put(backend, p.bucket(), p.key(), newAttributes(PosixAttributes.S_IFREG, mode));
                metadata.forget(p);
                return 0;
            });
        });
    }

    /** A path libfuse hands over; a name or key too long for S3 answers ENAMETOOLONG. */
    private static FusePath parse(String path) {
        FusePath p = FusePath.parse(path);
        if (p.isTooLong()) {
            throw new Refused(-ErrorCodes.ENAMETOOLONG());
        }
        return p;
    }

    /** A size past {@link #MAX_FILE_SIZE} answers EFBIG. */
    private static void checkSize(long size) {
        if (size > MAX_FILE_SIZE || size < 0) {
            throw new Refused(size < 0 ? -ErrorCodes.EINVAL() : -ErrorCodes.EFBIG());
        }
    }

    /** An operation refused with an errno before it touched anything. */
    private static final class Refused extends RuntimeException {
        private final int errno;

        Refused(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    // --- errors and metrics ---

    @FunctionalInterface
    private interface Operation {
        int run() throws IOException;
    }

    /** Runs one operation: store errors become errnos (logged when unexpected), every outcome is counted. */
    private int call(String op, String path, Operation operation) {
        if (!Traces.on() || UNTRACED.contains(op)) {
            return measured(op, path, operation);
        }
        try (Traced span = Traces.root("s3d.fuse." + op)) {
            int result = measured(op, path, operation);
            span.set("s3d.fuse.result", (long) result);
            if (result < 0 && result != -ErrorCodes.ENOENT()) {
                span.failed("errno " + -result);
            }
            return result;
        }
    }

    /**
     * Calls made many times per file (each read or write of a 128 KiB page, each stat): their
     * latency is in {@code s3d_fuse_operation_duration_seconds}; a span each would drown the traces.
     */
    private static final java.util.Set<String> UNTRACED = java.util.Set.of("getattr", "read", "write");

    private int measured(String op, String path, Operation operation) {
        long start = System.nanoTime();
        int result;
        try {
            result = operation.run();
        } catch (Refused e) {
            result = e.errno;
        } catch (S3Exception e) {
            result = Errno.of(e);
            if (Errno.isUnexpected(e)) {
                LOG.warnf("FUSE %s %s failed: %s %s (%s)", op, path, e.code(), e.getMessage(),
                        e.errorCode() == S3ErrorCode.SLOW_DOWN ? "store busy or full" : "errno " + -result);
            }
        } catch (IOException | UncheckedIOException e) {
            result = -ErrorCodes.EIO();
            LOG.warnf(e, "FUSE %s %s failed", op, path);
        } catch (RuntimeException e) {
            result = -ErrorCodes.EIO();
            LOG.errorf(e, "FUSE %s %s failed unexpectedly", op, path);
        }
        if (registry != null) {
            io.s3d.telemetry.Buckets.requestTimer("s3d.fuse.operation_duration").tag("op", op).register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            registry.counter("s3d.fuse.operations", "op", op,
                    "result", result >= 0 ? "ok" : result == -ErrorCodes.ENOENT() ? "enoent" : "error").increment();
        }
        return result;
    }
}
