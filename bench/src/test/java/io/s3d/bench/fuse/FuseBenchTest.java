package io.s3d.bench.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseBenchTest {

    @Test
    void withoutWhatItNeedsTheRunWritesASkippedSectionSayingWhyAndSucceeds(@TempDir Path root) throws Exception {
        // no s3d jar under this root (and on some machines no /dev/fuse either): nothing can be mounted
        Path out = root.resolve("bench/results/fuse.md");

        FuseBench.run(FuseSizes.QUICK, root, root.resolve("work"), out, "test");

        String page = Files.readString(out);
        assertTrue(page.startsWith("# FUSE mount beside a local directory and the S3 API"), page);
        assertTrue(page.contains("**Skipped**"), page);
        assertTrue(page.contains("/dev/fuse") || page.contains("libfuse.so.2")
                || page.contains("quarkus-run.jar is missing"), page);
    }

    @Test
    void sizesDefaultToTheFullRunAndFlagsReduceThem() {
        assertEquals(FuseSizes.FULL, FuseSizes.parse(List.of()));
        assertFalse(FuseSizes.FULL.reduced());
        assertEquals(1L << 30, FuseSizes.FULL.sequentialBytes());
        assertEquals(List.of(0, 1_000, 5_000, 10_000), FuseSizes.FULL.directorySteps());

        FuseSizes s = FuseSizes.parse(List.of("--seq-mib", "64", "--small-files", "200", "--dir-steps", "1000,0",
                "--probes", "10"));

        assertEquals(64L << 20, s.sequentialBytes());
        assertEquals(200, s.smallFiles());
        assertEquals(List.of(0, 1000), s.directorySteps());
        assertEquals(1010, s.largestDirectory());
        assertTrue(s.reduced());
        assertTrue(s.describe().contains("sequential file 64 MiB, 200 small files"), s.describe());
    }

    @Test
    void aSizeOfZeroIsRefusedNamingTheSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FuseSizes.parse(List.of("--small-files", "0")));
        assertTrue(e.getMessage().contains("smallFiles=0"), e.getMessage());
    }
}
