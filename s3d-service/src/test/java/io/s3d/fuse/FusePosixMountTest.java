package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POSIX behaviour of the mount, with a directory on the local disk as the reference: the same
 * script of system calls runs in both, and each step prints what a program would see (results,
 * errnos, modes, owners, times to the nanosecond, link targets, extended attributes). The mount
 * must print the same lines; after a remount, the tree must still read the same.
 */
class FusePosixMountTest {
    @TempDir
    static Path dir;
    private static LocalMount mount;

    /** The steps, run in the directory given as argv[1]. */
    private static final String STEPS = """
            import errno, os, stat, sys
            d = sys.argv[1]
            os.chdir(d)
            def p(*words):
                print(*words)
            def attempt(name, call):
                try:
                    r = call()
                    p(name, "ok" if r is None else r)
                except OSError as e:
                    p(name, errno.errorcode[e.errno])
            def st(name):
                s = os.lstat(name)
                p(name, oct(s.st_mode), s.st_uid, s.st_gid, s.st_size if not stat.S_ISDIR(s.st_mode) else "-")
            def times(name):
                s = os.lstat(name)
                p(name, "mtime", s.st_mtime_ns, "atime", s.st_atime_ns)

            # create, write, append, truncate
            with open("a.txt", "w") as f:
                f.write("hello\\n")
            with open("a.txt", "a") as f:
                f.write("world\\n")
            p("read", open("a.txt").read().replace("\\n", "|"))
            os.truncate("a.txt", 3)
            p("truncated", open("a.txt").read())
            os.truncate("a.txt", 5)
            p("extended", open("a.txt", "rb").read())
            fd = os.open("new.bin", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.write(fd, b"x" * 10)
            os.close(fd)
            st("new.bin")
            attempt("excl-again", lambda: os.open("new.bin", os.O_CREAT | os.O_EXCL | os.O_WRONLY))

            # chmod, chown, utimens (also on an open file, as cp -p and tar do)
            os.chmod("a.txt", 0o751)
            st("a.txt")
            os.chown("a.txt", 1234, 5678)
            st("a.txt")
            os.utime("a.txt", ns=(1_000_000_123_456_789, 1_100_000_987_654_321))
            times("a.txt")
            os.utime("new.bin", ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
            libc = __import__("ctypes").CDLL(None, use_errno=True)
            class Ts(__import__("ctypes").Structure):
                _fields_ = [("sec", __import__("ctypes").c_long), ("nsec", __import__("ctypes").c_long)]
            omit = (1 << 30) - 2
            libc.utimensat(-100, b"new.bin", (Ts * 2)(Ts(0, omit), Ts(1_050_000_000, 7)), 0)  # mtime only
            times("new.bin")
            libc.utimensat(-100, b"new.bin", (Ts * 2)(Ts(1_060_000_000, 9), Ts(0, omit)), 0)  # atime only
            times("new.bin")
            fd = os.open("open.txt", os.O_CREAT | os.O_WRONLY, 0o640)
            os.write(fd, b"data")
            os.fchmod(fd, 0o604)
            os.utime(fd, ns=(1_200_000_000_000_000_001, 1_300_000_000_000_000_002))
            os.close(fd)
            st("open.txt")
            times("open.txt")
            os.chmod("open.txt", 0o755)
            with open("open.txt", "a") as f:
                f.write("more")
            st("open.txt")

            # directories: mode on mkdir, chmod, times
            os.mkdir("sub", 0o700)
            st("sub")
            os.chmod("sub", 0o750)
            os.utime("sub", ns=(1_400_000_000_000_000_000, 1_500_000_000_000_000_000))
            st("sub")
            times("sub")
            attempt("mkdir-again", lambda: os.mkdir("sub"))
            with open("sub/inner", "w") as f:
                f.write("in")
            attempt("rmdir-full", lambda: os.rmdir("sub"))
            attempt("open-dir-for-write", lambda: os.open("sub", os.O_WRONLY))
            attempt("file-as-dir", lambda: os.stat("a.txt/x"))
            attempt("missing", lambda: os.stat("nothing"))
            attempt("unlink-missing", lambda: os.unlink("nothing"))

            # symbolic links
            os.symlink("a.txt", "link")
            os.symlink("sub/inner", "deep")
            os.symlink("no/such/target", "dangling")
            st("link")
            p("readlink", os.readlink("link"), os.readlink("deep"), os.readlink("dangling"))
            p("through-link", open("link", "rb").read(), open("deep").read())
            attempt("dangling-open", lambda: open("dangling").read())
            attempt("symlink-exists", lambda: os.symlink("x", "link"))
            attempt("readlink-of-file", lambda: os.readlink("a.txt"))
            os.rename("link", "link2")
            p("renamed-link", os.readlink("link2"))

            # extended attributes (user.*)
            os.setxattr("a.txt", "user.color", b"blue")
            os.setxattr("a.txt", "user.Bin", bytes(range(256)))
            p("getxattr", os.getxattr("a.txt", "user.color"), len(os.getxattr("a.txt", "user.Bin")))
            p("listxattr", sorted(os.listxattr("a.txt")))
            attempt("xattr-create-existing", lambda: os.setxattr("a.txt", "user.color", b"red", os.XATTR_CREATE))
            attempt("xattr-replace-missing", lambda: os.setxattr("a.txt", "user.none", b"x", os.XATTR_REPLACE))
            attempt("getxattr-missing", lambda: os.getxattr("a.txt", "user.none"))
            os.removexattr("a.txt", "user.Bin")
            attempt("removexattr-missing", lambda: os.removexattr("a.txt", "user.Bin"))
            p("listxattr", sorted(os.listxattr("a.txt")))
            os.setxattr("sub", "user.dir", b"yes")
            p("dir-xattr", os.getxattr("sub", "user.dir"))

            # rename keeps attributes; over an existing file; unlink
            os.rename("a.txt", "b.txt")
            st("b.txt")
            p("b.txt", "mtime", os.lstat("b.txt").st_mtime_ns) # atime: reads do not change it here (noatime)
            p("moved-xattr", os.getxattr("b.txt", "user.color"))
            os.rename("b.txt", "new.bin")
            st("new.bin")
            attempt("gone", lambda: os.stat("b.txt"))
            os.unlink("new.bin")
            attempt("unlinked", lambda: os.stat("new.bin"))
            p("listing", sorted(os.listdir(".")))
            """;

    /** Prints every path of the tree (below argv[1]) with what stat, readlink and listxattr say. */
    private static final String TREE = """
            import os, stat, sys
            d = sys.argv[1]
            for root, dirs, files in os.walk(d):
                dirs.sort()
                for name in sorted(dirs + files):
                    path = os.path.join(root, name)
                    s = os.lstat(path)
                    rel = os.path.relpath(path, d)
                    line = [rel, oct(s.st_mode), s.st_uid, s.st_gid]
                    if stat.S_ISLNK(s.st_mode):
                        line.append(os.readlink(path))
                    elif stat.S_ISREG(s.st_mode):
                        line += [s.st_size] + ([s.st_mtime_ns] if len(sys.argv) > 2 else [])
                    x = sorted((n, os.getxattr(path, n, follow_symlinks=False))
                            for n in os.listxattr(path, follow_symlinks=False) if n.startswith("user."))
                    print(*line, x)
            """;

    @BeforeAll
    static void mount() throws Exception {
        mount = new LocalMount(dir);
        mount.store().createBucket("posix");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            mount.close();
        }
    }

    @Test
    void systemCallsSeeWhatTheySeeOnALocalDiskAndTheTreeSurvivesARemount() throws Exception {
        Path reference = Files.createDirectories(dir.resolve("reference"));
        Path mounted = mount.path("posix");
        String expected = LocalMount.python(STEPS, reference.toString());
        String actual = LocalMount.python(STEPS, mounted.toString());
        assertThat(actual.lines()).containsExactlyElementsOf(expected.lines().toList());

        String referenceTree = LocalMount.python(TREE, reference.toString());
        assertThat(LocalMount.python(TREE, mounted.toString()).lines())
                .containsExactlyElementsOf(referenceTree.lines().toList());
        String withTimes = LocalMount.python(TREE, mounted.toString(), "times");
        mount.remount();
        assertThat(LocalMount.python(TREE, mounted.toString(), "times").lines()).as("after a remount")
                .containsExactlyElementsOf(withTimes.lines().toList());
    }

    @Test
    void attributesAreStoredInTheMetadataNamesS3fsAndRcloneUse() throws Exception {
        mount.store().createBucket("names");
        Path file = mount.path("names/run.sh");
        Files.writeString(file, "#!/bin/sh\necho ran\n");
        LocalMount.run(null, "chmod", "755", file.toString());
        LocalMount.run(null, "chown", "1000:1001", file.toString());
        LocalMount.run(null, "touch", "-m", "-d", "@1700000000.5", file.toString());
        LocalMount.run(null, "ln", "-s", "run.sh", mount.path("names/run").toString());

        ObjectMeta meta = mount.store().headObject("names", "run.sh");
        assertThat(meta.userMetadata()).containsEntry("mode", "33261") // 0100755, decimal, as s3fs writes it
                .containsEntry("uid", "1000").containsEntry("gid", "1001")
                .containsEntry("mtime", "1700000000.500000000").containsKey("ctime");
        ObjectMeta link = mount.store().headObject("names", "run");
        assertThat(link.userMetadata()).containsEntry("mode", "41471"); // 0120777: a symbolic link
        assertThat(link.size()).isEqualTo("run.sh".length());
        assertThat(LocalMount.run(mount.path("names"), "./run.sh")).as("chmod +x makes it runnable").isEqualTo("ran\n");
    }

    @Test
    void objectsWrittenByOtherToolsShowTheirAttributesAndObjectsWithoutThemTheDefaults() throws Exception {
        mount.store().createBucket("foreign");
        // s3fs: whole mode in decimal, integer seconds; rclone: fractional seconds.
        putWithMetadata("foreign", "s3fs.txt", java.util.Map.of("mode", "33216", "uid", "42", "gid", "43",
                "mtime", "1600000000"));
        putWithMetadata("foreign", "rclone.txt", java.util.Map.of("mtime", "1600000000.25"));
        putWithMetadata("foreign", "plain.txt", java.util.Map.of());
        putWithMetadata("foreign", "broken.txt", java.util.Map.of("mode", "rwx", "mtime", "yesterday"));
        String out = LocalMount.python("""
                import os, sys
                for name in sorted(os.listdir(sys.argv[1])):
                    s = os.stat(os.path.join(sys.argv[1], name))
                    print(name, oct(s.st_mode), s.st_uid, s.st_gid, s.st_mtime_ns if s.st_mtime_ns < 1700000000 * 10**9 else "now")
                """, mount.path("foreign").toString());
        assertThat(out.lines()).containsExactly(
                "broken.txt 0o100644 0 0 now",
                "plain.txt 0o100644 0 0 now",
                "rclone.txt 0o100644 0 0 1600000000250000000",
                "s3fs.txt 0o100700 42 43 1600000000000000000");
    }

    private static void putWithMetadata(String bucket, String key, java.util.Map<String, String> metadata) {
        byte[] body = key.getBytes();
        mount.store().putObject(new io.s3d.backend.PutRequest(bucket, key, new java.io.ByteArrayInputStream(body),
                body.length, java.util.Optional.empty(), java.util.Map.of(), metadata, java.util.Map.of(),
                java.util.Map::of, io.s3d.backend.WriteCondition.NONE));
    }
}
