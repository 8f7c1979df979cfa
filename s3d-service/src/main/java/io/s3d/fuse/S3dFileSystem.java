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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
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
    private static final int PAGE = 1000;

    private final ObjectBackend backend;
    private final Metadata metadata;
    private final OpenFiles openFiles = new OpenFiles();
    private final Path stagingDir;
    private final Path diskRoot;
    private final Owner owner;
    private final MeterRegistry registry;
    private final Renames renames;

    /** Who files belong to and the mode bits they show. */
    public record Owner(int uid, int gid, int fileMode, int dirMode) {
    }

    public S3dFileSystem(ObjectBackend backend, Path stagingDir, Path diskRoot, java.time.Duration ttl, Owner owner,
            MeterRegistry registry) {
        this.backend = backend;
        this.metadata = new Metadata(backend, ttl);
        this.stagingDir = stagingDir;
        this.diskRoot = diskRoot;
        this.owner = owner;
        this.registry = registry;
        this.renames = new Renames(backend, metadata, openFiles);
        allowNullPaths();
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
        memory.putByte(offset, (byte) (memory.getByte(offset) | 1));
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
        for (WriteHandle w : openFiles.writing()) {
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
            FusePath p = FusePath.parse(path);
            WriteHandle writer = openFiles.writer(p);
            if (writer != null) {
                fillFile(stat, writer.size(), writer.mtime());
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
                fillFile(stat, w.size(), w.mtime());
                return 0;
            });
        }
        if (path == null && handle instanceof ReadHandle r) {
            // An open file that was unlinked (libfuse passes no path): the version the reader holds.
            return call("getattr", path, () -> {
                fillFile(stat, r.size(), r.mtime());
                return 0;
            });
        }
        if (path == null && handle instanceof WriterView v) {
            return call("getattr", path, () -> {
                fillFile(stat, v.size(), Instant.now());
                return 0;
            });
        }
        if (path == null) {
            return -ErrorCodes.ENOENT();
        }
        return getattr(path, stat);
    }

    private void fill(FileStat stat, Node node) {
        if (node.directory()) {
            stat.st_mode.set(FileStat.S_IFDIR | owner.dirMode());
            stat.st_nlink.set(2);
            stat.st_uid.set(owner.uid());
            stat.st_gid.set(owner.gid());
            times(stat, node.mtime());
        } else {
            fillFile(stat, node.size(), node.mtime());
        }
    }

    private void fillFile(FileStat stat, long size, Instant mtime) {
        stat.st_mode.set(FileStat.S_IFREG | owner.fileMode());
        stat.st_nlink.set(1);
        stat.st_uid.set(owner.uid());
        stat.st_gid.set(owner.gid());
        stat.st_size.set(size);
        stat.st_blocks.set((size + 511) / 512);
        stat.st_blksize.set(128 * 1024);
        times(stat, mtime);
    }

    private static void times(FileStat stat, Instant t) {
        for (Timespec ts : new Timespec[] {stat.st_mtim, stat.st_ctim, stat.st_atim}) {
            ts.tv_sec.set(t.getEpochSecond());
            ts.tv_nsec.set(t.getNano());
        }
    }

    @Override
    public int readdir(String path, Pointer buf, FuseFillDir filler, long offset, FuseFileInfo fi) {
        return call("readdir", path, () -> {
            FusePath dir = FusePath.parse(path);
            filler.apply(buf, ".", null, 0);
            filler.apply(buf, "..", null, 0);
            if (dir.isRoot()) {
                for (BucketInfo bucket : metadata.buckets()) {
                    if (FusePath.isFileName(bucket.name())) {
                        metadata.remember(dir.child(bucket.name()), Node.dir(bucket.creationDate()));
                        filler.apply(buf, bucket.name(), null, 0);
                    }
                }
                return 0;
            }
            Set<String> names = new HashSet<>();
            String prefix = dir.dirPrefix();
            String after = "";
            while (true) {
                ListPage page = backend.listObjects(dir.bucket(), new ListRequest(prefix, "/", after, PAGE));
                for (ObjectMeta object : page.objects()) {
                    String name = FusePath.entryName(prefix, object.key());
                    if (name != null && !object.key().endsWith("/") && names.add(name)) {
                        metadata.remember(dir.child(name),
                                Node.file(object.size(), object.lastModified(), object.etag()));
                        filler.apply(buf, name, null, 0);
                    }
                }
                for (String common : page.commonPrefixes()) {
                    String name = FusePath.entryName(prefix, common);
                    if (name != null) {
                        // A directory wins over a file of the same name (see Metadata).
                        metadata.remember(dir.child(name), Node.dir(metadata.mountedAt()));
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

    /** Accepted and ignored: objects have no mode bits; the mount shows the configured ones. */
    @Override
    public int chmod(String path, long mode) {
        return exists(path, "chmod");
    }

    /** Accepted and ignored: objects have no owner; the mount shows the configured one. */
    @Override
    public int chown(String path, long uid, long gid) {
        return exists(path, "chown");
    }

    /** Accepted and ignored: a file's time is when its object was last stored (Last-Modified). */
    @Override
    public int utimens(String path, Timespec[] timespec) {
        return exists(path, "utimens");
    }

    private int exists(String path, String op) {
        return call(op, path, () -> {
            FusePath p = FusePath.parse(path);
            return openFiles.writer(p) != null || metadata.lookup(p).isPresent() ? 0 : -ErrorCodes.ENOENT();
        });
    }

    // --- directories ---

    @Override
    public int mkdir(String path, long mode) {
        return call("mkdir", path, () -> {
            FusePath p = FusePath.parse(path);
            if (p.isRoot()) {
                return -ErrorCodes.EEXIST();
            }
            if (!p.isNameable()) {
                return -ErrorCodes.EINVAL();
            }
            if (p.isBucket()) {
                backend.createBucket(p.bucket());
            } else {
                EmptyObjects.put(backend, p.bucket(), p.markerKey());
            }
            metadata.forget(p);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            FusePath p = FusePath.parse(path);
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
            FusePath p = FusePath.parse(path);
            if (p.isRoot() || p.isBucket()) {
                return -ErrorCodes.EPERM();
            }
            if (!p.isNameable()) {
                return -ErrorCodes.EINVAL();
            }
            WriteHandle handle = new WriteHandle(p, StagingFile.create(stagingDir), true);
            fi.fh.set(openFiles.add(handle));
            metadata.forget(p);
            return 0;
        });
    }

    @Override
    public int open(String path, FuseFileInfo fi) {
        return call("open", path, () -> {
            FusePath p = FusePath.parse(path);
            int flags = fi.flags.get();
            boolean readOnly = (flags & O_ACCMODE) == O_RDONLY;
            if (p.isRoot() || p.isBucket()) {
                return readOnly ? 0 : -ErrorCodes.EISDIR();
            }
            Optional<Node> node = metadata.lookup(p);
            WriteHandle writing = openFiles.writer(p);
            if (node.isPresent() && node.get().directory()) {
                return -ErrorCodes.EISDIR();
            }
            if (readOnly) {
                if (node.isEmpty()) {
                    return writing == null ? -ErrorCodes.ENOENT() : openStaged(fi, writing);
                }
                fi.fh.set(openFiles.add(new ReadHandle(p, openForReading(p, node.get().size()))));
                return 0;
            }
            if (node.isEmpty() && writing == null) {
                return -ErrorCodes.ENOENT();
            }
            boolean truncate = (flags & O_TRUNC) != 0;
            StagingFile staging = StagingFile.create(stagingDir);
            try {
                if (!truncate && writing != null) {
                    // Another handle is writing it: start from its bytes, without storing them half-written.
                    writing.copyInto(staging);
                } else if (!truncate) {
                    try (ObjectData data = backend.getObject(p.bucket(), p.key())) {
                        staging.copyFrom(data);
                    }
                } else if (writing != null) {
                    writing.keepMetadataIn(staging);
                } else {
                    // O_TRUNC ("> file", cp over it): none of its bytes, but its content type and user metadata.
                    staging.keepMetadataOf(backend.headObject(p.bucket(), p.key()));
                }
            } catch (IOException | RuntimeException e) {
                staging.close();
                throw e;
            }
            fi.fh.set(openFiles.add(new WriteHandle(p, staging, truncate)));
            metadata.forget(p);
            return 0;
        });
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

    /** A read of a new file another handle is still writing (not stored yet): it reads the writer's bytes. */
    private int openStaged(FuseFileInfo fi, WriteHandle writing) {
        fi.fh.set(openFiles.add(writing.view()));
        return 0;
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
            byte[] bytes = new byte[(int) size];
            buf.get(0, bytes, 0, bytes.length);
            return handle.write(ByteBuffer.wrap(bytes), offset);
        });
    }

    @Override
    public int truncate(String path, long size) {
        return call("truncate", path, () -> {
            FusePath p = FusePath.parse(path);
            WriteHandle writing = openFiles.writer(p);
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
            try (StagingFile staging = StagingFile.create(stagingDir)) {
                if (size > 0) {
                    try (ObjectData data = backend.getObject(p.bucket(), p.key())) {
                        staging.copyFrom(data);
                    }
                } else {
                    staging.keepMetadataOf(backend.headObject(p.bucket(), p.key()));
                }
                staging.truncate(size);
                staging.store(backend, p.bucket(), p.key());
            }
            metadata.forget(p);
            return 0;
        });
    }

    @Override
    public int ftruncate(String path, long size, FuseFileInfo fi) {
        if (openFiles.get(fi.fh.get()) instanceof WriteHandle handle) {
            return call("truncate", path, () -> {
                handle.truncate(size);
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
            handle.store(backend);
            metadata.forget(handle.path());
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
                    if (w.failed()) {
                        LOG.warnf("FUSE %s was not stored: storing it failed and its close answered EIO",
                                w.path().display());
                    } else {
                        w.store(backend);
                    }
                    metadata.forget(w.path());
                }
            } finally {
                handle.close();
            }
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            FusePath p = FusePath.parse(path);
            if (p.isRoot() || p.isBucket()) {
                return -ErrorCodes.EISDIR();
            }
            for (WriteHandle w : openFiles.writers(p)) {
                w.discard();
            }
            backend.deleteObject(p.bucket(), p.key());
            metadata.forget(p);
            return 0;
        });
    }

    /** See {@link Renames}: files are copied and deleted, a non-empty directory answers EXDEV. */
    @Override
    public int rename(String oldpath, String newpath) {
        return call("rename", oldpath, () -> renames.rename(FusePath.parse(oldpath), FusePath.parse(newpath)));
    }

    // --- errors and metrics ---

    @FunctionalInterface
    private interface Operation {
        int run() throws IOException;
    }

    /** Runs one operation: store errors become errnos (logged when unexpected), every outcome is counted. */
    private int call(String op, String path, Operation operation) {
        long start = System.nanoTime();
        int result;
        try {
            result = operation.run();
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
