package io.s3d.fuse;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.s3d.config.S3dConfig;
import io.s3d.gateway.Gateway;
import io.s3d.store.LocalStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Mounts the buckets at start-up, once the storage chain exists, and unmounts them at shutdown,
 * before the write queue stops. A mount left behind by an s3d that was killed (the directory
 * answers "Transport endpoint is not connected") is lazily unmounted first; any other reason the
 * mount cannot work stops start-up with the key to change.
 */
@Singleton
public class FuseMount {
    private static final Logger LOG = Logger.getLogger(FuseMount.class);
    private static final Path DEV_FUSE = Path.of("/dev/fuse");
    private static final String FS_TYPE = "fuse.s3d";
    private static final Duration MOUNT_WAIT = Duration.ofSeconds(15);
    private static final Duration UNMOUNT_WAIT = Duration.ofSeconds(10);

    private final S3dConfig.Fuse config;
    private final Gateway gateway;
    private final LocalStore store;
    private final MeterRegistry registry;
    private final Duration shutdownGrace;
    private final PartialRewrites rewrites;
    private volatile S3dFileSystem fs;
    private volatile Path mountPoint;

    FuseMount(S3dConfig config, Gateway gateway, LocalStore store, MeterRegistry registry) {
        this.config = config.fuse();
        this.gateway = gateway;
        this.store = store;
        this.registry = registry;
        this.shutdownGrace = config.writeQueue().shutdownGrace();
        this.rewrites = new PartialRewrites(config.remote().multipartThreshold().asLongValue(),
                config.remote().partSize().asLongValue());
    }

    void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) StartupEvent event) {
        if (config.enabled()) {
            mount();
        }
    }

    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION + 100) ShutdownEvent event) {
        unmount();
    }

    /**
     * libfuse's options. {@code hard_remove}: an unlink (or a rename over) a file someone has open
     * reaches s3d as what it is, instead of a rename to {@code .fuse_hiddenXXXX} (a full copy of
     * the object, visible through S3 and left behind if s3d dies) and a delete at the last close.
     * {@code default_permissions}: the kernel checks every access against the mode bits and owner
     * the mount shows, as on a local disk (s3d itself acts on the store as one user).
     * {@code allow_other} only when asked: otherwise only the user s3d runs as can use the mount.
     */
    static List<String> options(Duration metadataTtl, boolean allowOther) {
        List<String> options = new ArrayList<>(List.of("-o", "fsname=s3d,subtype=s3d", "-o", "default_permissions",
                "-o", "big_writes",
                "-o", "atomic_o_trunc", "-o", "sync_read", "-o", "hard_remove",
                "-o", "attr_timeout=" + seconds(metadataTtl),
                "-o", "entry_timeout=" + seconds(metadataTtl),
                "-o", "negative_timeout=" + seconds(metadataTtl)));
        if (allowOther) {
            options.addAll(List.of("-o", "allow_other"));
        }
        return options;
    }

    /** The {@code fuse} entry of {@code /_s3d/status}: null when the mount is off. */
    public Map<String, Object> status() {
        S3dFileSystem current = fs;
        if (current == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mountPoint", mountPoint.toString());
        out.put("mounted", MountTable.fuseAt(mountPoint).isPresent());
        out.put("openFiles", current.openFiles());
        return out;
    }

    synchronized void mount() {
        Path target = Path.of(expandHome(config.mountPoint())).toAbsolutePath().normalize();
        if (!Files.exists(DEV_FUSE)) {
            throw refuse("s3d.fuse.enabled (S3D_FUSE) is true, but " + DEV_FUSE + " is missing: run s3d where the FUSE "
                    + "device exists (in a container: --device /dev/fuse and the SYS_ADMIN capability)");
        }
        if (!Files.isReadable(DEV_FUSE) || !Files.isWritable(DEV_FUSE)) {
            throw refuse("s3d.fuse.enabled (S3D_FUSE) is true, but " + DEV_FUSE + " cannot be opened by the user s3d "
                    + "runs as: run s3d as root, or give that user read and write access to " + DEV_FUSE);
        }
        clearStaleMount(target);
        checkEmptyDirectory(target);
        Path staging = stagingDir();
        S3dFileSystem created;
        try {
            // Standalone, the backend is the local store itself: lookups may look at its directories.
            LocalStore local = gateway.backend() == store ? store : null;
            created = new S3dFileSystem(gateway.backend(), local, staging, store.root(), config.metadataTtl(), owner(),
                    registry, rewrites);
        } catch (LinkageError | RuntimeException e) {
            throw refuse("s3d.fuse.enabled (S3D_FUSE) is true, but libfuse 2 (libfuse.so.2) cannot be loaded: install "
                    + "it (Debian/Ubuntu: apt-get install libfuse2 fuse3) (" + e + ")");
        }
        List<String> options = options(config.metadataTtl(), config.allowOther());
        // libfuse's loop runs on a thread of its own until the unmount; jnr-fuse's non-blocking mount
        // would sleep a fixed 2 s instead of returning as soon as /proc/mounts lists the mount.
        CompletableFuture<Void> loopEnded = new CompletableFuture<>();
        String[] args = options.toArray(String[]::new);
        Thread.ofPlatform().daemon().name("s3d-fuse-loop").start(() -> {
            try {
                created.mount(target, true, false, args);
                loopEnded.complete(null);
            } catch (Throwable t) {
                loopEnded.completeExceptionally(t);
            }
        });
        long deadline = System.nanoTime() + MOUNT_WAIT.toNanos();
        while (MountTable.fuseAt(target).filter(e -> e.type().equals(FS_TYPE)).isEmpty()) {
            if (loopEnded.isDone()) {
                String why = loopEnded.handle((ok, t) -> t == null ? "libfuse stopped"
                        : t.getMessage() + (t.getCause() == null ? "" : " (" + t.getCause().getMessage() + ")")).join();
                throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): mounting at " + target + " failed: " + why
                        + "; see libfuse's message above" + (config.allowOther() ? " (s3d.fuse.allow-other needs root "
                                + "or user_allow_other in /etc/fuse.conf)" : ""));
            }
            if (System.nanoTime() > deadline) {
                created.umount();
                throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): " + target + " did not show up in "
                        + MountTable.PROC_MOUNTS + " within " + MOUNT_WAIT.toSeconds() + " s; see libfuse's message above");
            }
            sleep(20);
        }
        // jnr-fuse's JVM shutdown hook would unmount lazily at once, racing the unmount at
        // ShutdownEvent that waits for open files; and a second lazy unmount of the same path would
        // detach whatever lies below (the operator's hostPath volume). This class alone unmounts it.
        created.forgetMounted();
        fs = created;
        mountPoint = target;
        LOG.infof("FUSE mount of the buckets at %s (staging in %s, metadata TTL %s); %s", target, staging,
                config.metadataTtl(), whoCanUse(owner(), config.allowOther()));
    }

    synchronized void unmount() {
        S3dFileSystem current = fs;
        if (current == null) {
            return;
        }
        fs = null;
        current.forgetMounted();
        unmountAtShutdown(mountPoint, current, shutdownGrace);
        LOG.infof("FUSE mount at %s removed", mountPoint);
    }

    /**
     * Unmounts at shutdown without losing what programs wrote. A plain unmount fails while files
     * are open; while files are open for writing, it is tried again for up to {@code grace} (their
     * close stores them). Then every file still open for writing is stored as it is, and the mount
     * is removed lazily: open files keep working until s3d exits, but what is written to them after
     * this store is lost. Files open only for reading do not make it wait.
     */
    static void unmountAtShutdown(Path target, S3dFileSystem fs, Duration grace) {
        if (MountTable.fuseAt(target).isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        boolean waiting = false;
        while (true) {
            if (run("fusermount", "-u", target.toString()) || run("umount", target.toString())) {
                waitUntilGone(target);
                return;
            }
            int writing = fs.openWrites();
            if (writing == 0 || System.nanoTime() > deadline) {
                break;
            }
            if (!waiting) {
                LOG.infof("FUSE mount at %s is in use (%d files open for writing): waiting up to %d ms for them to "
                        + "be closed", target, writing, grace.toMillis());
                waiting = true;
            }
            sleep(100);
        }
        int stored = fs.storeOpenWrites();
        if (stored > 0 || fs.openFiles() > 0) {
            LOG.warnf("FUSE mount at %s still has %d open files: stored the %d open for writing as they are now; "
                    + "unmounting lazily (what is written to them from now on is lost)", target, fs.openFiles(), stored);
        }
        lazyUnmount(target);
    }

    /** Unmounts lazily (in-use files keep working until closed) and waits until /proc/mounts no longer lists it. */
    private static void lazyUnmount(Path target) {
        if (MountTable.fuseAt(target).isEmpty()) {
            return;
        }
        if (!run("fusermount", "-u", "-z", target.toString())) {
            run("umount", "-l", target.toString());
        }
        waitUntilGone(target);
    }

    private static void waitUntilGone(Path target) {
        long deadline = System.nanoTime() + UNMOUNT_WAIT.toNanos();
        while (MountTable.fuseAt(target).isPresent()) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("FUSE mount at %s is still listed in %s after %d s", target, MountTable.PROC_MOUNTS,
                        UNMOUNT_WAIT.toSeconds());
                return;
            }
            sleep(50);
        }
    }

    private void clearStaleMount(Path target) {
        Optional<MountTable.Entry> mounted = MountTable.fuseAt(target);
        if (mounted.isEmpty()) {
            return;
        }
        if (!isDisconnected(target)) {
            throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): " + target + " is already mounted ("
                    + mounted.get().type() + " from " + mounted.get().source() + ", a FUSE file system that answers: "
                    + "another s3d?); unmount it or choose another directory");
        }
        LOG.warnf("FUSE mount point %s holds a stale mount (%s) left by a process that is gone; unmounting it", target,
                mounted.get().type());
        lazyUnmount(target);
        if (MountTable.fuseAt(target).isPresent()) {
            throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): the stale mount at " + target
                    + " could not be removed; run: fusermount -u -z " + target);
        }
    }

    /** A FUSE mount whose daemon died answers every access with ENOTCONN. */
    private static boolean isDisconnected(Path target) {
        try (DirectoryStream<Path> ignored = Files.newDirectoryStream(target)) {
            return false;
        } catch (FileSystemException e) {
            return e.getReason() != null && e.getReason().contains("not connected");
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkEmptyDirectory(Path target) {
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): cannot create " + target + ": " + e);
        }
        if (!Files.isDirectory(target)) {
            throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): " + target + " is not a directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): " + target + " is not empty; the mount "
                        + "would hide its files. Empty it or choose another directory");
            }
        } catch (IOException e) {
            throw refuse("s3d.fuse.mount-point (S3D_FUSE_MOUNT_POINT): cannot read " + target + ": " + e);
        }
    }

    /** The staging directory, emptied of files a previous run left (their writes were never acknowledged). */
    private Path stagingDir() {
        Path dir = config.stagingDir().map(d -> Path.of(expandHome(d)).toAbsolutePath().normalize())
                .orElse(store.root().resolve(".fuse"));
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "staged-*.tmp")) {
                for (Path file : leftovers) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw refuse("s3d.fuse.staging-dir (S3D_FUSE_STAGING_DIR): cannot use " + dir + ": " + e);
        }
        return dir;
    }

    /** Who may use the mount, for the start-up log. */
    static String whoCanUse(S3dFileSystem.Owner owner, boolean allowOther) {
        String bits = String.format("files %04o, directories %04o, owned by uid %d gid %d", owner.fileMode(),
                owner.dirMode(), owner.uid(), owner.gid());
        if (!allowOther) {
            return "only uid " + processId("unix:uid") + " (the user s3d runs as) can use it, as the mode bits allow ("
                    + bits + "); other users, root included, are refused (set S3D_FUSE_ALLOW_OTHER=true to let them in)";
        }
        return "every local user can use it (s3d.fuse.allow-other), as the mode bits allow (" + bits + ")";
    }

    private S3dFileSystem.Owner owner() {
        int fileMode = mode(config.fileMode(), "s3d.fuse.file-mode (S3D_FUSE_FILE_MODE)");
        int dirMode = mode(config.dirMode(), "s3d.fuse.dir-mode (S3D_FUSE_DIR_MODE)");
        int uid = config.uid().orElseGet(() -> processId("unix:uid"));
        int gid = config.gid().orElseGet(() -> processId("unix:gid"));
        return new S3dFileSystem.Owner(uid, gid, fileMode, dirMode);
    }

    static int mode(String octal, String key) {
        try {
            int mode = Integer.parseInt(octal.trim(), 8);
            if (mode < 0 || mode > 07777) {
                throw new NumberFormatException();
            }
            return mode;
        } catch (NumberFormatException e) {
            throw refuse(key + " must be octal permission bits such as 0644, not '" + octal + "'");
        }
    }

    /** The user or group this process runs as: the owner of {@code /proc/self}. */
    private static int processId(String attribute) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), attribute);
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }

    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            if (p.exitValue() != 0) {
                LOG.debugf("%s exited with %d: %s", String.join(" ", command), p.exitValue(), output);
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the FUSE mount", e);
        }
    }

    private static IllegalStateException refuse(String message) {
        return new IllegalStateException(message);
    }

    private static String expandHome(String dir) {
        return dir.equals("~") || dir.startsWith("~/") ? System.getProperty("user.home") + dir.substring(1) : dir;
    }
}
