package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The mount made for real in this JVM over a local store, as standalone s3d makes it (the store is
 * the backend), and made again over the same store to check what survives a remount.
 */
final class LocalMount implements AutoCloseable {
    private final LocalStore store;
    private final Path staging;
    private final Path mountPoint;
    private final java.util.function.UnaryOperator<io.s3d.backend.ObjectBackend> wrap;
    private final PartialRewrites rewrites;
    private S3dFileSystem fs;

    LocalMount(Path dir) throws Exception {
        this(dir, java.util.function.UnaryOperator.identity());
    }

    /** {@code wrap}: what the mount talks to instead of the store itself (to watch its requests). */
    LocalMount(Path dir, java.util.function.UnaryOperator<io.s3d.backend.ObjectBackend> wrap) throws Exception {
        this(dir, wrap, PartialRewrites.defaults());
    }

    /** {@code rewrites}: from what size files changed in place are stored by parts, and in what parts. */
    LocalMount(Path dir, java.util.function.UnaryOperator<io.s3d.backend.ObjectBackend> wrap,
            PartialRewrites rewrites) throws Exception {
        FuseAvailable.assumeFuse();
        this.wrap = wrap;
        this.rewrites = rewrites;
        store = LocalStore.open(dir.resolve("store"), "us-east-1", 10_000, 0);
        staging = Files.createDirectories(dir.resolve("staging"));
        mountPoint = Files.createDirectories(dir.resolve("mnt"));
        mount();
    }

    LocalStore store() {
        return store;
    }

    /** What the mount's stores sent and copied. */
    PartialRewrites rewrites() {
        return rewrites;
    }

    Path path(String relative) {
        return mountPoint.resolve(relative);
    }

    private void mount() throws InterruptedException {
        fs = new S3dFileSystem(wrap.apply(store), store, staging, staging, Duration.ofSeconds(1),
                new S3dFileSystem.Owner(0, 0, 0644, 0755), null, rewrites);
        fs.mount(mountPoint, false, false, FuseMount.options(Duration.ZERO, false).toArray(String[]::new));
        awaitMounted(true);
    }

    /** Unmounts and mounts a new file system over the same store: nothing the first one remembered is left. */
    void remount() throws InterruptedException {
        unmount();
        mount();
    }

    private void unmount() throws InterruptedException {
        if (fs != null) {
            fs.umount();
            awaitMounted(false);
            fs = null;
        }
    }

    private void awaitMounted(boolean mounted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (FuseAvailable.isMounted(mountPoint) != mounted && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(FuseAvailable.isMounted(mountPoint)).as("mounted at %s", mountPoint).isEqualTo(mounted);
    }

    @Override
    public void close() throws InterruptedException {
        unmount();
    }

    /** Runs a command; returns its output (stdout and stderr) after checking it exited 0. */
    static String run(Path workDir, String... command) throws Exception {
        return run(workDir, List.of(), command);
    }

    static String run(Path workDir, List<String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(Arrays.asList(command))).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        for (String pair : env) {
            int eq = pair.indexOf('=');
            builder.environment().put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s exited 0; output:%n%s", String.join(" ", command), output).isZero();
        return output;
    }

    /** Runs a Python script with arguments; returns what it printed. */
    static String python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(Arrays.asList(args));
        return run(null, command.toArray(String[]::new));
    }
}
