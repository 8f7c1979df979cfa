package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final List<String> LINES = List.of(
            "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
            "s3d /mnt/s3d fuse.s3d rw,nosuid,nodev,relatime,user_id=0,group_id=0,allow_other 0 0",
            "s3d /tmp/my\\040mount fuse.s3d rw 0 0",
            "tmpfs /mnt/s3d tmpfs rw 0 0");

    @Test
    void findsTheLastMountAtAPath() {
        assertThat(MountTable.find(LINES, "/mnt/s3d")).contains(new MountTable.Entry("tmpfs", "/mnt/s3d", "tmpfs"));
        assertThat(MountTable.find(LINES, "/mnt")).isEmpty();
    }

    @Test
    void onlyFuseFileSystemsAreInTheWayOfTheMount() {
        assertThat(new MountTable.Entry("s3d", "/mnt/s3d", "fuse.s3d").isFuse()).isTrue();
        assertThat(new MountTable.Entry("sshfs", "/mnt/s3d", "fuse.sshfs").isFuse()).isTrue();
        assertThat(new MountTable.Entry("/dev/sda1", "/mnt/s3d", "ext4").isFuse()).as("a hostPath bind mount").isFalse();
        assertThat(new MountTable.Entry("tmpfs", "/mnt/s3d", "tmpfs").isFuse()).isFalse();
    }

    @Test
    void decodesOctalEscapes() {
        assertThat(MountTable.find(LINES, "/tmp/my mount")).map(MountTable.Entry::type).contains("fuse.s3d");
        assertThat(MountTable.unescape("a\\134b")).isEqualTo("a\\b");
        assertThat(MountTable.unescape("a\\9")).isEqualTo("a\\9");
    }

    @Test
    void modesAreOctal() {
        assertThat(FuseMount.mode("0644", "k")).isEqualTo(0644);
        assertThat(FuseMount.mode("755", "k")).isEqualTo(0755);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FuseMount.mode("rw-r--r--", "s3d.fuse.file-mode"))
                .hasMessageContaining("s3d.fuse.file-mode");
    }
}
