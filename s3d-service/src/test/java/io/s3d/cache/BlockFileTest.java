package io.s3d.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFileTest {
    private static final ObjectId ID = new ObjectId("bucket", "dir/key.bin");

    @TempDir
    Path dir;

    private static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void aWrittenBlockVerifiesAndHoldsItsBytesAfterTheHeader() throws Exception {
        byte[] data = data(100_000);
        byte[] header = BlockFile.header(ID, "etag1", 3, data.length);
        Path block = dir.resolve("b3");
        BlockFile.write(block, header, new ByteArrayInputStream(data), data.length);

        assertThat(BlockFile.verify(block, header, data.length)).isTrue();
        byte[] all = Files.readAllBytes(block);
        assertThat(all).hasSize((int) BlockFile.fileSize(header.length, data.length));
        assertThat(java.util.Arrays.copyOfRange(all, header.length, header.length + data.length)).isEqualTo(data);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(block);
        }
    }

    @Test
    void aFlippedBitATruncationOrAnotherVersionFailsVerification() throws Exception {
        byte[] data = data(70_000);
        byte[] header = BlockFile.header(ID, "etag1", 0, data.length);
        Path block = dir.resolve("b0");
        BlockFile.write(block, header, new ByteArrayInputStream(data), data.length);

        assertThat(BlockFile.verify(block, BlockFile.header(ID, "etag2", 0, data.length), data.length))
                .as("another version's header").isFalse();
        assertThat(BlockFile.verify(block, BlockFile.header(ID, "etag1", 1, data.length), data.length))
                .as("another block index").isFalse();

        try (RandomAccessFile f = new RandomAccessFile(block.toFile(), "rw")) {
            f.seek(header.length + 12_345);
            int b = f.read();
            f.seek(header.length + 12_345);
            f.write(b ^ 1);
        }
        assertThat(BlockFile.verify(block, header, data.length)).as("one flipped bit").isFalse();

        BlockFile.write(block, header, new ByteArrayInputStream(data), data.length);
        try (RandomAccessFile f = new RandomAccessFile(block.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        assertThat(BlockFile.verify(block, header, data.length)).as("torn").isFalse();
        assertThat(BlockFile.verify(dir.resolve("missing"), header, data.length)).isFalse();
    }

    @Test
    void aShortSourceLeavesNoBlock() throws Exception {
        byte[] header = BlockFile.header(ID, "e", 0, 1000);
        Path block = dir.resolve("b0");
        assertThatThrownBy(() -> BlockFile.write(block, header, new ByteArrayInputStream(new byte[999]), 1000))
                .isInstanceOf(EOFException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
