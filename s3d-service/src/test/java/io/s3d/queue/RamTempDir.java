package io.s3d.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories on tmpfs where there is one: the journal fsyncs every item and its
 * directory, which costs tens of milliseconds each on a real disk and is not what these tests
 * are about. Elsewhere (no {@code /dev/shm}) the default temporary directory is used.
 */
final class RamTempDir implements TempDirFactory {
    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            return Files.createTempDirectory(SHM, "s3d-queue-test-");
        }
        return Files.createTempDirectory("s3d-queue-test-");
    }
}
