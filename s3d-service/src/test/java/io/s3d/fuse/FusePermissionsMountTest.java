package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use the mount, checked as another local user would (the {@code nobody} user, through
 * {@code setpriv}): by default only the user s3d runs as; with allow-other, every user, bound by
 * the mode bits and owner the mount shows (default_permissions).
 */
class FusePermissionsMountTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    private LocalStore store;
    private S3dFileSystem fs;
    private Path mnt;

    @BeforeEach
    void store() throws Exception {
        FuseAvailable.assumeFuse();
        org.junit.jupiter.api.Assumptions.assumeTrue(processUid() == 0, "needs root to act as another user");
        // Other users must be able to reach the mount point.
        for (Path p = dir; p != null && !p.equals(p.getRoot()) && p.startsWith("/tmp"); p = p.getParent()) {
            if (!p.equals(Path.of("/tmp"))) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        store = LocalStore.open(dir.resolve("store"), "us-east-1", 10_000, 0);
        store.createBucket("perm");
        byte[] body = "for everyone to read".getBytes(StandardCharsets.UTF_8);
        store.putObject(new PutRequest("perm", "readable.txt", new ByteArrayInputStream(body), body.length,
                Optional.empty(), Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }

    private void mount(boolean allowOther) throws Exception {
        mnt = Files.createDirectories(dir.resolve("mnt"));
        fs = new S3dFileSystem(store, Files.createDirectories(dir.resolve("staging")), dir, Duration.ofSeconds(1),
                new S3dFileSystem.Owner(0, 0, 0644, 0755), null);
        fs.mount(mnt, false, false, FuseMount.options(Duration.ZERO, allowOther).toArray(String[]::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!FuseAvailable.isMounted(mnt) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(FuseAvailable.isMounted(mnt)).as("mounted at %s", mnt).isTrue();
    }

    @AfterEach
    void unmount() throws Exception {
        if (fs != null && FuseAvailable.isMounted(mnt)) {
            fs.umount();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (FuseAvailable.isMounted(mnt) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(FuseAvailable.isMounted(mnt)).as("no mount left at %s", mnt).isFalse();
        }
    }

    private static int processUid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** Runs a shell command as the user nobody; returns its exit code and output. */
    private static Result asNobody(String command) throws Exception {
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "--", "sh", "-c", command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {
    }

    @Test
    void byDefaultOtherUsersCannotReadOrWrite() throws Exception {
        mount(false);
        Path file = mnt.resolve("perm/readable.txt");
        assertThat(Files.readString(file)).as("the user s3d runs as uses it").isEqualTo("for everyone to read");
        Result read = asNobody("cat " + file);
        assertThat(read.exit()).as("nobody's cat: %s", read.output()).isNotZero();
        assertThat(read.output()).contains("Permission denied");
        Result write = asNobody("echo mine > " + mnt.resolve("perm/new.txt"));
        assertThat(write.exit()).as("nobody's write: %s", write.output()).isNotZero();
        assertThat(store.listObjects("perm", new io.s3d.backend.ListRequest("", null, "", 10)).objects())
                .hasSize(1);
    }

    @Test
    void withAllowOtherOtherUsersAreBoundByTheModeBitsShown() throws Exception {
        mount(true);
        Path file = mnt.resolve("perm/readable.txt");
        Result read = asNobody("cat " + file);
        assertThat(read.exit()).as("0644: others may read; %s", read.output()).isZero();
        assertThat(read.output()).isEqualTo("for everyone to read");

        Result overwrite = asNobody("echo changed > " + file);
        assertThat(overwrite.exit()).as("0644 owned by root: others may not write; %s", overwrite.output()).isNotZero();
        assertThat(overwrite.output()).contains("Permission denied");
        Result remove = asNobody("rm -f " + file);
        assertThat(remove.exit()).as("0755 directory owned by root: others may not delete; %s", remove.output())
                .isNotZero();
        Result create = asNobody("echo mine > " + mnt.resolve("perm/new.txt"));
        assertThat(create.exit()).as("others may not create; %s", create.output()).isNotZero();
        Result bucket = asNobody("mkdir " + mnt.resolve("theirs"));
        assertThat(bucket.exit()).as("others may not create buckets; %s", bucket.output()).isNotZero();

        assertThat(Files.readString(file)).as("unchanged").isEqualTo("for everyone to read");
        assertThat(store.listObjects("perm", new io.s3d.backend.ListRequest("", null, "", 10)).objects())
                .as("nothing created or deleted").hasSize(1);
        assertThat(store.listBuckets()).hasSize(1);
        // root (the user s3d runs as here) still may
        Files.writeString(mnt.resolve("perm/by-root.txt"), "root's");
        assertThat(Files.readString(mnt.resolve("perm/by-root.txt"))).isEqualTo("root's");
    }

    @Test
    void theStartUpLogSaysWhoCanUseTheMount() {
        S3dFileSystem.Owner owner = new S3dFileSystem.Owner(1000, 1000, 0640, 0750);
        assertThat(FuseMount.whoCanUse(owner, false)).contains("only uid").contains("S3D_FUSE_ALLOW_OTHER=true")
                .contains("files 0640, directories 0750, owned by uid 1000 gid 1000");
        assertThat(FuseMount.whoCanUse(owner, true)).contains("every local user")
                .contains("files 0640, directories 0750, owned by uid 1000 gid 1000");
    }
}
