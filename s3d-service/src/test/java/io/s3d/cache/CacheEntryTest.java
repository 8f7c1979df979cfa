package io.s3d.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.ObjectMeta;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheEntryTest {
    @TempDir
    Path dir;

    private CacheEntry entryWithOneBlock(int size) throws Exception {
        ObjectMeta meta = new ObjectMeta("k", size, "etag", Instant.EPOCH, Map.of(), Map.of(), Map.of(), Map.of(), 0,
                "g");
        CacheEntry entry = new CacheEntry(new ObjectId("b", "k"), meta, 1 << 20, dir, Instant.now(), false);
        BlockFile.write(entry.blockPath(0), entry.blockHeader(0), new ByteArrayInputStream(new byte[size]), size);
        entry.blockStored(0);
        return entry;
    }

    @Test
    void aBlockChangedRightAfterItWasVerifiedIsCaughtEvenWithTheSameTimestamp() throws Exception {
        CacheEntry entry = entryWithOneBlock(4096);
        assertThat(entry.verified(0)).isTrue();
        var before = Files.getLastModifiedTime(entry.blockPath(0));
        try (RandomAccessFile f = new RandomAccessFile(entry.blockPath(0).toFile(), "rw")) {
            f.seek(100);
            f.write(0x42);
        }
        // Same size, same inode, and the timestamp put back: only the content changed.
        Files.setLastModifiedTime(entry.blockPath(0), before);
        assertThat(entry.verified(0)).isFalse();
        assertThat(entry.has(0)).isFalse();
        assertThat(Files.exists(entry.blockPath(0))).as("the bad block is deleted").isFalse();
    }

    @Test
    void anOldVerifiedBlockIsTrustedUntilItsFileChanges() throws Exception {
        CacheEntry entry = entryWithOneBlock(4096);
        Files.setLastModifiedTime(entry.blockPath(0),
                java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(entry.verified(0)).isTrue();
        try (RandomAccessFile f = new RandomAccessFile(entry.blockPath(0).toFile(), "rw")) {
            f.seek(100);
            f.write(0x42);
        }
        assertThat(entry.verified(0)).as("the write changed the modification time").isFalse();
    }
}
