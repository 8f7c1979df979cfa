package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.fuse.FuseAvailable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the FUSE tests share: waiting for the mount, running shell tools on it, and never leaving a mount behind. */
final class FuseMounts {
    private FuseMounts() {
    }

    static void awaitMounted(Path mountPoint) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!FuseAvailable.isMounted(mountPoint)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(mountPoint + " is not mounted");
            }
            Thread.sleep(50);
        }
    }

    static boolean awaitUnmounted(Path mountPoint, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (FuseAvailable.isMounted(mountPoint)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Removes a mount a failed test left (lazily, as s3d does), so no test leaves one behind. */
    static void forceUnmount(Path mountPoint) throws IOException, InterruptedException {
        if (mountPoint != null && FuseAvailable.isMounted(mountPoint)) {
            new ProcessBuilder("fusermount", "-u", "-z", mountPoint.toString()).inheritIO().start().waitFor(10,
                    TimeUnit.SECONDS);
            awaitUnmounted(mountPoint, Duration.ofSeconds(10));
        }
    }

    /** The result of a shell command. */
    record Run(int exit, String output) {
    }

    /** Runs a shell command line, as a user would type it. */
    static Run sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** Runs a shell command line that must succeed; returns its output. */
    static String ok(String command) throws IOException, InterruptedException {
        Run run = sh(command);
        assertThat(run.exit()).as("%s: %s", command, run.output()).isZero();
        return run.output();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(String output) {
        return output.lines().filter(l -> !l.isBlank()).toList();
    }
}
