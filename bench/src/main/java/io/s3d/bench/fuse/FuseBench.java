package io.s3d.bench.fuse;

import io.s3d.bench.load.LeanS3Client;
import io.s3d.bench.peer.Credentials;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import io.s3d.bench.limits.MachineLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FUSE rows (issue 20): one s3d started with {@code S3D_FUSE=true}, the same workloads run on
 * its mount, on a plain local directory of the same disk, and through its S3 API; writes a Markdown
 * section that docs/benchmarks.md includes. Where FUSE mounts cannot be made (no {@code /dev/fuse},
 * no libfuse 2) or s3d is not built, the section says so and the run still succeeds.
 *
 * <p>Run by the suite (full sizes, or {@link FuseSizes#QUICK} with {@code --quick}) and on its own by
 * bench/fuse.sh: {@code --root DIR --out FILE} plus the size flags of {@link FuseSizes#parse}.
 */
public final class FuseBench {
    static final String BUCKET = "fusebench";
    private static final List<Path> LIBFUSE = List.of(Path.of("/lib/x86_64-linux-gnu/libfuse.so.2"),
            Path.of("/usr/lib/x86_64-linux-gnu/libfuse.so.2"), Path.of("/lib/aarch64-linux-gnu/libfuse.so.2"),
            Path.of("/usr/lib/aarch64-linux-gnu/libfuse.so.2"), Path.of("/usr/lib64/libfuse.so.2"),
            Path.of("/usr/lib/libfuse.so.2"), Path.of("/lib64/libfuse.so.2"));

    private FuseBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        Path root = Path.of(value(a, "--root", ".")).toAbsolutePath().normalize();
        Path out = Path.of(value(a, "--out", root.resolve("bench/results/fuse.md").toString()));
        Path work = root.resolve("bench/target/work/fuse");
        FuseSizes sizes = FuseSizes.parse(a);
        if (mounted(work.resolve("mnt"))) { // left by a run that was killed
            lazyUnmount(work.resolve("mnt"));
        }
        deleteExceptLogs(work);
        run(sizes, root, work, out, "bench/fuse.sh");
        deleteExceptLogs(work);
    }

    /** Measures and writes {@code out}; never fails for a machine without FUSE (the page says why). */
    public static void run(FuseSizes sizes, Path root, Path work, Path out, String by) throws Exception {
        Path jar = root.resolve("s3d-service/target/quarkus-app/quarkus-run.jar");
        Optional<String> skip = whyNot(jar);
        if (skip.isPresent()) {
            skipped(out, skip.get());
            return;
        }
        // After the suite's previous scenario the cores take a while to go quiet; measure only then.
        double busyBefore = MachineLoad.settle(0.5, 90);
        String loadBefore = MachineLoad.loadAverage();
        Files.createDirectories(work);
        Path mnt = work.resolve("mnt");
        Path local = Files.createDirectories(work.resolve("local"));
        Server s3d;
        try {
            s3d = S3dPeer.start("s3d-fuse", jar, work.resolve("s3d"), S3dPeer.Mode.STANDALONE,
                    Map.of("S3D_FUSE", "true", "S3D_FUSE_MOUNT_POINT", mnt.toString()));
        } catch (IOException e) {
            skipped(out, "s3d with S3D_FUSE=true did not start: " + e.getMessage().strip().lines().findFirst().orElse("")
                    + " (log: " + root.relativize(work) + "/s3d/s3d-fuse.log)");
            return;
        }
        List<FuseWorkloads> measured = new ArrayList<>();
        String version;
        try (s3d) {
            if (!await(() -> mounted(mnt))) {
                skipped(out, "s3d started with S3D_FUSE=true but no FUSE mount appeared at " + mnt
                        + " (log: " + root.relativize(work) + "/s3d/s3d-fuse.log)");
                return;
            }
            version = version(s3d);
            LeanS3Client s3 = new LeanS3Client(s3d.endpoint(), Credentials.ACCESS_KEY, Credentials.SECRET_KEY);
            s3.createBucket(BUCKET);
            Path bucketDir = mnt.resolve(BUCKET);
            if (!await(() -> Files.isDirectory(bucketDir))) {
                throw new IOException("bucket " + BUCKET + " created through S3 never showed up as " + bucketDir);
            }
            Path fsRoot = Files.createDirectories(bucketDir.resolve("fs"));
            try (Target mount = new FileTarget("FUSE mount", fsRoot, false);
                 Target disk = new FileTarget("local directory", local, true);
                 Target api = new ApiTarget(s3, BUCKET, "api/")) {
                for (Target t : List.of(mount, disk, api)) {
                    System.out.println("== FUSE bench: " + t.label());
                    FuseWorkloads w = new FuseWorkloads(sizes, t);
                    w.run();
                    measured.add(w);
                }
            }
        } finally {
            unmountIfLeft(mnt);
        }
        new FusePage(sizes, measured, version, busyBefore, loadBefore, MachineLoad.loadAverage(), by).write(out);
        System.out.println("wrote " + out);
    }

    /** Why FUSE rows cannot run here, or empty. */
    static Optional<String> whyNot(Path jar) {
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return Optional.of("this machine has no /dev/fuse (in a container: --device /dev/fuse and CAP_SYS_ADMIN)");
        }
        if (LIBFUSE.stream().noneMatch(Files::exists)) {
            return Optional.of("libfuse.so.2 is not installed (apt-get install libfuse2 fuse3)");
        }
        return S3dPeer.unavailable(jar);
    }

    private static void skipped(Path out, String why) throws IOException {
        System.err.println("!! FUSE bench SKIPPED: " + why);
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# FUSE mount beside a local directory and the S3 API\n\n**Skipped** on "
                + DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                + ": " + why + ".\n");
    }

    /** Whether /proc/mounts lists a FUSE file system at {@code mountPoint}. */
    static boolean mounted(Path mountPoint) {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
                    .anyMatch(f -> f.length > 2 && f[1].equals(mountPoint.toString()) && f[2].startsWith("fuse"));
        } catch (IOException e) {
            return false;
        }
    }

    /** s3d removes its mount on SIGTERM; one left by an s3d that had to be killed is removed lazily. */
    private static void unmountIfLeft(Path mnt) throws InterruptedException {
        if (!await(() -> !mounted(mnt))) {
            System.err.println("!! the mount at " + mnt + " outlived s3d: unmounting it lazily");
            lazyUnmount(mnt);
        }
    }

    private static void lazyUnmount(Path mnt) throws InterruptedException {
        try {
            new ProcessBuilder("fusermount", "-u", "-z", mnt.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("!! fusermount failed: " + e.getMessage());
        }
    }

    private interface Check {
        boolean ok();
    }

    private static boolean await(Check c) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    private static String version(Server s3d) {
        try {
            Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(S3dPeer.status(s3d.endpoint()));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }


    /** Deletes the data of a standalone run but keeps s3d's log. */
    private static void deleteExceptLogs(Path work) throws IOException {
        if (!Files.exists(work)) {
            return;
        }
        try (var walk = Files.walk(work)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                boolean emptyDir = Files.isDirectory(p) && isEmpty(p);
                if (emptyDir || (!Files.isDirectory(p) && !p.getFileName().toString().endsWith(".log"))) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static String value(List<String> args, String flag, String def) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : def;
    }
}
