package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday programs working in the mount as they do on a local disk: git, tar, rsync, sqlite3,
 * gcc and vim. CI installs them (.ci/run); where one is missing the test is skipped, saying so.
 */
class FuseProgramsMountTest {
    @TempDir
    static Path dir;
    private static LocalMount mount;

    @BeforeAll
    static void mount() throws Exception {
        mount = new LocalMount(dir);
        mount.store().createBucket("work");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mount != null) {
            mount.close();
        }
    }

    private static void assumeProgram(String program) {
        boolean found = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
        if (!found) {
            System.err.println("SKIPPED: " + program + " is not installed here (CI installs it: .ci/run)");
        }
        assumeTrue(found, program + " is not installed (CI installs it: .ci/run)");
    }

    private static Path workDir(String name) throws Exception {
        return Files.createDirectories(mount.path("work/" + name));
    }

    @Test
    void gitInitCommitAndLog() throws Exception {
        assumeProgram("git");
        Path repo = workDir("repo");
        List<String> env = List.of("GIT_AUTHOR_NAME=s3d", "GIT_AUTHOR_EMAIL=s3d@example.com",
                "GIT_COMMITTER_NAME=s3d", "GIT_COMMITTER_EMAIL=s3d@example.com", "HOME=" + dir);
        LocalMount.run(repo, env, "git", "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("README"), "first\n");
        LocalMount.run(repo, env, "git", "add", "README");
        LocalMount.run(repo, env, "git", "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve("README"), "second\n");
        Files.writeString(repo.resolve("run.sh"), "#!/bin/sh\necho ok\n");
        LocalMount.run(repo, env, "chmod", "+x", "run.sh");
        LocalMount.run(repo, env, "git", "add", "-A");
        LocalMount.run(repo, env, "git", "commit", "-q", "-m", "second");
        assertThat(LocalMount.run(repo, env, "git", "log", "--format=%s")).isEqualTo("second\nfirst\n");
        assertThat(LocalMount.run(repo, env, "git", "status", "--porcelain")).as("nothing changed after commit").isEmpty();
        assertThat(LocalMount.run(repo, env, "git", "ls-files", "-s", "run.sh")).as("executable bit committed")
                .startsWith("100755");
        LocalMount.run(repo, env, "git", "fsck", "--strict");
        Path clone = dir.resolve("clone");
        LocalMount.run(null, env, "git", "clone", "-q", repo.toString(), clone.toString());
        assertThat(Files.readString(clone.resolve("README"))).isEqualTo("second\n");
    }

    @Test
    void tarCreatesAndExtractsInTheMountWithExitCodeZero() throws Exception {
        assumeProgram("tar");
        Path source = Files.createDirectories(dir.resolve("tar-src/tree/sub"));
        Files.writeString(source.resolve("a.txt"), "alpha");
        Files.writeString(source.getParent().resolve("b.sh"), "#!/bin/sh\n");
        LocalMount.run(null, "chmod", "750", source.getParent().resolve("b.sh").toString());
        LocalMount.run(null, "touch", "-d", "2020-01-02 03:04:05", source.resolve("a.txt").toString());
        LocalMount.run(null, "ln", "-s", "sub/a.txt", source.getParent().resolve("link").toString());
        Path target = workDir("tar");
        LocalMount.run(null, "tar", "-C", dir.resolve("tar-src").toString(), "-cf", target.resolve("t.tar").toString(),
                "tree");
        LocalMount.run(target, "tar", "-xpf", "t.tar");
        LocalMount.run(null, "tar", "-C", target.toString(), "-czf", dir.resolve("back.tgz").toString(), "tree");
        // --compare checks contents, modes, times and link targets of the extracted tree
        LocalMount.run(dir.resolve("tar-src").toFile().toPath(), "tar", "--compare", "-f",
                target.resolve("t.tar").toString(), "-C", target.toString());
    }

    @Test
    void rsyncArchiveKeepsTimesAndModesAndASecondRunCopiesNothing() throws Exception {
        assumeProgram("rsync");
        Path source = Files.createDirectories(dir.resolve("rsync-src/deep/er"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(source.resolve("f" + i), "file " + i);
        }
        LocalMount.run(null, "chmod", "640", source.resolve("f1").toString());
        LocalMount.run(null, "chmod", "755", source.resolve("f2").toString());
        LocalMount.run(null, "touch", "-d", "2019-05-06 07:08:09.123456789", source.resolve("f3").toString());
        LocalMount.run(null, "ln", "-s", "f0", source.resolve("ln").toString());
        String src = dir.resolve("rsync-src").toString() + "/";
        String dst = workDir("rsync").toString() + "/";
        LocalMount.run(null, "rsync", "-a", src, dst);
        String second = LocalMount.run(null, "rsync", "-a", "--itemize-changes", src, dst);
        assertThat(second).as("the second rsync -a finds nothing to do").isEmpty();
        assertThat(LocalMount.run(null, "rsync", "-a", "--dry-run", "--checksum", "--itemize-changes", src, dst))
                .as("bytes equal too").isEmpty();
    }

    @Test
    void sqliteCreatesInsertsAndPassesItsIntegrityCheck() throws Exception {
        assumeProgram("sqlite3");
        Path db = workDir("sqlite").resolve("test.db");
        LocalMount.run(null, "sqlite3", db.toString(), "create table t(id integer primary key, v text);"
                + "insert into t(v) select hex(randomblob(100)) from (with recursive c(x) as (select 1 union all "
                + "select x+1 from c limit 2000) select x from c);");
        LocalMount.run(null, "sqlite3", db.toString(), "update t set v = 'changed' where id % 7 = 0; delete from t where id % 11 = 0;");
        assertThat(LocalMount.run(null, "sqlite3", db.toString(), "pragma integrity_check;")).isEqualTo("ok\n");
        assertThat(LocalMount.run(null, "sqlite3", db.toString(), "select count(*), sum(v = 'changed') from t;"))
                .isEqualTo("1819|260\n");
        mount.remount();
        assertThat(LocalMount.run(null, "sqlite3", db.toString(), "pragma integrity_check;")).as("after a remount")
                .isEqualTo("ok\n");
    }

    @Test
    void gccBuildsABinaryInTheMountThatRunsFromIt() throws Exception {
        assumeProgram("gcc");
        Path src = workDir("gcc");
        Files.writeString(src.resolve("hello.c"), """
                #include <stdio.h>
                int main(void) { printf("hello from the mount\\n"); return 0; }
                """);
        LocalMount.run(src, "gcc", "-o", "hello", "hello.c");
        assertThat(LocalMount.run(src, "./hello")).isEqualTo("hello from the mount\n");
        mount.remount();
        assertThat(LocalMount.run(src, "./hello")).as("still executable after a remount")
                .isEqualTo("hello from the mount\n");
    }

    @Test
    void vimEditsAFileInPlaceAndKeepsItsMode() throws Exception {
        assumeProgram("vim");
        Path file = workDir("vim").resolve("notes.txt");
        Files.writeString(file, "one\ntwo\nthree\n");
        LocalMount.run(null, "chmod", "600", file.toString());
        LocalMount.run(null, "vim", "-u", "NONE", "-i", "NONE", "-N", "-es", "-c", "%s/two/TWO/", "-c", "wq",
                file.toString());
        assertThat(Files.readString(file)).isEqualTo("one\nTWO\nthree\n");
        assertThat(LocalMount.run(null, "stat", "-c", "%a", file.toString())).isEqualTo("600\n");
        // vim's "write by rename" (backupcopy=no): a new file renamed over the old one
        LocalMount.run(null, "vim", "-u", "NONE", "-i", "NONE", "-N", "-es", "-c", "set backupcopy=no writebackup",
                "-c", "%s/one/ONE/", "-c", "wq", file.toString());
        assertThat(Files.readString(file)).isEqualTo("ONE\nTWO\nthree\n");
        assertThat(LocalMount.run(null, "stat", "-c", "%a", file.toString())).isEqualTo("600\n");
    }
}
