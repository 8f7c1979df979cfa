package io.s3d.fuse;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Skips a test that needs real FUSE mounts where the machine cannot make them. */
public final class FuseAvailable {
    private static final List<Path> LIBFUSE = List.of(Path.of("/lib/x86_64-linux-gnu/libfuse.so.2"),
            Path.of("/usr/lib/x86_64-linux-gnu/libfuse.so.2"), Path.of("/lib/aarch64-linux-gnu/libfuse.so.2"),
            Path.of("/usr/lib/aarch64-linux-gnu/libfuse.so.2"), Path.of("/usr/lib64/libfuse.so.2"),
            Path.of("/usr/lib/libfuse.so.2"), Path.of("/lib64/libfuse.so.2"));

    private FuseAvailable() {
    }

    public static void assumeFuse() {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse on this machine: FUSE mounts cannot be tested");
        assumeTrue(LIBFUSE.stream().anyMatch(Files::exists),
                "no libfuse.so.2 on this machine (apt-get install libfuse2 fuse3): FUSE mounts cannot be tested");
    }

    /** Whether this machine can make FUSE mounts (what {@link #assumeFuse()} checks). */
    public static boolean available() {
        return Files.exists(Path.of("/dev/fuse")) && LIBFUSE.stream().anyMatch(Files::exists);
    }

    /** Whether /proc/mounts lists a FUSE file system at {@code mountPoint}. */
    public static boolean isMounted(Path mountPoint) {
        return MountTable.fuseAt(mountPoint).isPresent();
    }
}
