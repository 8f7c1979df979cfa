package io.s3d.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encrypted object format: round trips, every range boundary, and what a changed file does. */
class EncryptedFormatTest {
    private static final int CHUNK = EncryptedFormat.CHUNK;

    @TempDir
    Path dir;

    private final MasterKeys keys = MasterKeys.parse("default = " + key(1) + "\nother = " + key(2) + "\n", "test");

    private static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private Path write(byte[] plain, WrappingKey key) throws IOException {
        Path file = dir.resolve("object-" + plain.length + "-" + System.nanoTime());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            EncryptingWriter writer = EncryptingWriter.start(channel, key);
            // written in uneven slices, as request bodies arrive
            int at = 0;
            Random random = new Random(7);
            while (at < plain.length) {
                int n = Math.min(plain.length - at, 1 + random.nextInt(CHUNK + 300));
                writer.write(plain, at, n);
                at += n;
            }
            long stored = writer.finish();
            assertThat(stored).isEqualTo(channel.size());
            assertThat(stored).isEqualTo(EncryptedFormat.storedLength(EncryptedContent.headerLength(channel),
                    plain.length));
        }
        return file;
    }

    private byte[] read(Path file, long size, long offset, long length, Optional<byte[]> customerKey)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                InputStream in = EncryptedContent.read(channel, size).open(offset, length, keys, customerKey)) {
            return in.readAllBytes();
        }
    }

    @Test
    void everySizeRoundTripsAndEveryRangeAroundAChunkBoundaryReads() throws IOException {
        WrappingKey.Master master = keys.require(MasterKeys.DEFAULT);
        for (int size : new int[] { 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 5 }) {
            byte[] plain = content(size);
            Path file = write(plain, master);
            assertThat(read(file, size, 0, size, Optional.empty())).as("whole of %d", size).isEqualTo(plain);
            long[] points = { 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2L * CHUNK - 1, 2L * CHUNK, size - 1L, size };
            for (long first : points) {
                for (long end : points) {
                    if (first < 0 || end > size || first > end) {
                        continue;
                    }
                    byte[] expected = java.util.Arrays.copyOfRange(plain, (int) first, (int) end);
                    assertThat(read(file, size, first, end - first, Optional.empty()))
                            .as("size %d bytes [%d, %d)", size, first, end).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void theFileDoesNotHoldThePlaintext() throws IOException {
        byte[] plain = "the secret text of a customer's object ".repeat(5000).getBytes(StandardCharsets.UTF_8);
        Path file = write(plain, keys.require(MasterKeys.DEFAULT));
        String onDisk = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(onDisk).doesNotContain("secret text");
        assertThat(read(file, plain.length, 0, plain.length, Optional.empty())).isEqualTo(plain);
    }

    @Test
    void aFlippedBitIsAnErrorNotWrongBytes() throws IOException {
        byte[] plain = content(3 * CHUNK);
        Path file = write(plain, keys.require(MasterKeys.DEFAULT));
        long inSecondChunk;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            inSecondChunk = EncryptedContent.headerLength(channel) + CHUNK + EncryptedFormat.TAG + 100;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, inSecondChunk);
            one.put(0, (byte) (one.get(0) ^ 1));
            one.rewind();
            channel.write(one, inSecondChunk);
        }
        // the untouched first chunk still reads; the changed one never does
        assertThat(read(file, plain.length, 0, CHUNK, Optional.empty()))
                .isEqualTo(java.util.Arrays.copyOf(plain, CHUNK));
        assertThatThrownBy(() -> read(file, plain.length, CHUNK, 10, Optional.empty()))
                .isInstanceOf(IOException.class).hasMessageContaining("failed authentication at chunk 1");
    }

    @Test
    void aFileCutAtAChunkBoundaryIsDetected() throws IOException {
        byte[] plain = content(3 * CHUNK);
        Path file = write(plain, keys.require(MasterKeys.DEFAULT));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(EncryptedContent.headerLength(channel) + 2L * (CHUNK + EncryptedFormat.TAG));
        }
        // read as if the object had been two chunks long: chunk 1 was not sealed as the last one
        assertThatThrownBy(() -> read(file, 2L * CHUNK, CHUNK, CHUNK, Optional.empty()))
                .isInstanceOf(IOException.class).hasMessageContaining("failed authentication at chunk 1");
        // and read with its real size, the missing chunk is a truncation
        assertThatThrownBy(() -> read(file, plain.length, 2L * CHUNK, CHUNK, Optional.empty()))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
    }

    @Test
    void aSwappedMasterKeyDoesNotOpenTheDataKey() throws IOException {
        byte[] plain = content(1000);
        Path file = write(plain, keys.require(MasterKeys.DEFAULT));
        MasterKeys changed = MasterKeys.parse("default = " + key(3) + "\n", "changed");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> EncryptedContent.read(channel, plain.length).open(0, 10, changed,
                    Optional.empty())).isInstanceOf(IOException.class).hasMessageContaining("master key 'default'");
        }
    }

    @Test
    void aCustomerKeyedObjectOpensOnlyWithItsKey() throws IOException {
        byte[] customer = Base64.getDecoder().decode(key(9));
        byte[] plain = content(CHUNK + 10);
        Path file = write(plain, new WrappingKey.Customer(customer));
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).doesNotContain(
                new String(customer, StandardCharsets.ISO_8859_1));
        assertThat(read(file, plain.length, 5, CHUNK, Optional.of(customer)))
                .isEqualTo(java.util.Arrays.copyOfRange(plain, 5, CHUNK + 5));
        byte[] wrong = Base64.getDecoder().decode(key(10));
        assertThatThrownBy(() -> read(file, plain.length, 0, 1, Optional.of(wrong)))
                .isInstanceOf(EncryptedContent.WrongKeyException.class);
        assertThatThrownBy(() -> read(file, plain.length, 0, 1, Optional.empty()))
                .isInstanceOf(EncryptedContent.WrongKeyException.class);
    }
}
