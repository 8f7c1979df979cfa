package io.s3d.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-loss file system itself: what survives its simulated power cut is exactly what was
 * fsynced — a file's content by an fsync of the file (or a write through an O_DSYNC file), a name
 * by an fsync of its directory. Each case writes through the mount as a program would, cuts the
 * power, remounts and looks at what is left.
 */
class PowerLossFileSystemTest {
    @TempDir
    Path dir;

    private PowerLossFileSystem fs;
    private Path mnt;

    @BeforeEach
    void mount() throws Exception {
        mnt = Files.createDirectories(dir.resolve("mnt"));
        fs = PowerLossFileSystem.mount(dir.resolve("fs"), mnt);
    }

    @AfterEach
    void unmount() throws Exception {
        if (fs != null) {
            fs.close();
        }
        FuseMounts.forceUnmount(mnt);
    }

    private void powerCut() throws Exception {
        fs.powerCut();
        fs = fs.remountAfterPowerCut();
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, UTF_8);
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void fsyncDir(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Test
    void aWriteWithoutFsyncIsGoneAfterAPowerCut() throws Exception {
        Path file = mnt.resolve("file.txt");
        write(file, "");
        fsyncDir(mnt); // the name is durable, the content never was
        write(file, "written, never fsynced");
        assertThat(Files.readString(file)).as("seen before the cut").isEqualTo("written, never fsynced");

        powerCut();

        assertThat(file).exists();
        assertThat(Files.readString(file)).as("content after the cut").isEmpty();
    }

    @Test
    void aFileFsyncedButNeverNamedDurablyIsGone() throws Exception {
        Path file = mnt.resolve("file.txt");
        write(file, "fsynced content");
        fsync(file);

        powerCut();

        assertThat(file).doesNotExist();
    }

    @Test
    void aRenameWithoutAnFsyncOfItsDirectoryLeavesTheOldNames() throws Exception {
        Path target = mnt.resolve("object");
        Path temp = mnt.resolve("object.tmp");
        write(target, "old");
        fsync(target);
        fsyncDir(mnt);
        write(temp, "new");
        fsync(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(target)).isEqualTo("new");

        powerCut();

        assertThat(Files.readString(target)).as("the rename was never made durable").isEqualTo("old");
        assertThat(temp).as("the temporary file's name was never durable either").doesNotExist();
    }

    @Test
    void aRenameFollowedByAnFsyncOfItsDirectoryIsDurable() throws Exception {
        Path target = mnt.resolve("object");
        Path temp = mnt.resolve("object.tmp");
        write(target, "old");
        fsync(target);
        fsyncDir(mnt);
        write(temp, "new");
        fsync(temp);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(mnt);

        powerCut();

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(temp).doesNotExist();
    }

    @Test
    void aRenameIntoAnotherDirectoryNeedsBothDirectoriesFsynced() throws Exception {
        Path from = Files.createDirectory(mnt.resolve("from"));
        Path to = Files.createDirectory(mnt.resolve("to"));
        fsyncDir(mnt);
        Path file = from.resolve("f");
        write(file, "moving");
        fsync(file);
        fsyncDir(from);
        Files.move(file, to.resolve("f"), StandardCopyOption.ATOMIC_MOVE);
        fsyncDir(to); // the source directory is not fsynced: the old name stays too

        powerCut();

        assertThat(Files.readString(to.resolve("f"))).isEqualTo("moving");
        assertThat(Files.readString(from.resolve("f"))).isEqualTo("moving");
    }

    @Test
    void aDeleteWithoutAnFsyncOfItsDirectoryIsUndone() throws Exception {
        Path kept = mnt.resolve("kept");
        Path deleted = mnt.resolve("deleted");
        write(kept, "k");
        write(deleted, "d");
        fsync(kept);
        fsync(deleted);
        fsyncDir(mnt);
        Files.delete(deleted);
        Files.delete(kept);
        fsyncDir(mnt);
        write(mnt.resolve("late"), "l");
        fsync(mnt.resolve("late"));

        powerCut();

        assertThat(mnt.resolve("kept")).doesNotExist();
        assertThat(mnt.resolve("deleted")).doesNotExist();
        assertThat(mnt.resolve("late")).as("created after the last directory fsync").doesNotExist();
    }

    @Test
    void aNewDirectoryIsOnlyThereOnceItsParentIsFsynced() throws Exception {
        Path sub = Files.createDirectories(mnt.resolve("a/b"));
        Path file = sub.resolve("f");
        write(file, "deep");
        fsync(file);
        fsyncDir(sub);
        fsyncDir(sub.getParent());

        powerCut();

        assertThat(mnt.resolve("a")).as("a never made durable in the mount's root").doesNotExist();

        Path again = Files.createDirectories(mnt.resolve("a/b"));
        write(again.resolve("f"), "deep");
        fsync(again.resolve("f"));
        fsyncDir(again);
        fsyncDir(again.getParent());
        fsyncDir(mnt);

        powerCut();

        assertThat(Files.readString(mnt.resolve("a/b/f"))).isEqualTo("deep");
    }

    @Test
    void contentFsyncedBeforeALaterWriteKeepsTheFsyncedVersion() throws Exception {
        Path file = mnt.resolve("f");
        write(file, "first");
        fsync(file);
        fsyncDir(mnt);
        write(file, "second, not fsynced");

        powerCut();

        assertThat(Files.readString(file)).isEqualTo("first");
    }

    @Test
    void aWriteThroughAnODsyncFileIsDurableWithoutFsync() throws Exception {
        Path file = mnt.resolve("f");
        write(file, "");
        fsyncDir(mnt);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            channel.write(ByteBuffer.wrap("synced write".getBytes(UTF_8)));
        }

        powerCut();

        assertThat(Files.readString(file)).isEqualTo("synced write");
    }

    @Test
    void aHardLinkIsDurableOnceItsDirectoryIsFsyncedAndStaysOneFile() throws Exception {
        Path versions = Files.createDirectory(mnt.resolve("versions"));
        fsyncDir(mnt);
        Path file = mnt.resolve("current");
        write(file, "v1");
        fsync(file);
        fsyncDir(mnt);
        Files.createLink(versions.resolve("v1"), file);
        Files.createLink(versions.resolve("unsynced"), file);
        assertThat(Files.isSameFile(file, versions.resolve("v1"))).as("two names of one file").isTrue();
        fsyncDir(versions);
        Files.delete(versions.resolve("unsynced"));
        Files.createLink(mnt.resolve("not-durable"), file);

        powerCut();

        assertThat(Files.readString(versions.resolve("v1"))).isEqualTo("v1");
        assertThat(versions.resolve("unsynced")).as("its removal was not fsynced").exists();
        assertThat(mnt.resolve("not-durable")).doesNotExist();
        assertThat(Files.isSameFile(file, versions.resolve("v1"))).as("still one file after the cut").isTrue();
        assertThat(Files.getAttribute(file, "unix:nlink")).isEqualTo(3);
    }

    @Test
    void aRenameOfAFileOverAnotherNameOfItselfChangesNothing() throws Exception {
        Path file = mnt.resolve("a");
        write(file, "same");
        Files.createLink(mnt.resolve("b"), file);
        Files.move(mnt.resolve("b"), file, StandardCopyOption.ATOMIC_MOVE);
        fsync(file);
        fsyncDir(mnt);

        powerCut();

        assertThat(Files.readString(mnt.resolve("a"))).isEqualTo("same");
        assertThat(Files.readString(mnt.resolve("b"))).as("rename(2) of two names of one file keeps both")
                .isEqualTo("same");
    }
}
