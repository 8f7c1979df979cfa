package io.s3d.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * One cached block on disk: a header naming what it holds (bucket, key, ETag, block index,
 * length), the bytes, then a CRC32C of header and bytes. Written to a temporary file and renamed,
 * so a reader finds a whole block or none; verified before it is served, so a torn or corrupted
 * block is never sent.
 */
final class BlockFile {
    private static final int MAGIC = 0x53334442; // "S3DB"
    private static final int VERSION = 1;
    private static final int BUFFER = 64 * 1024;

    private BlockFile() {
    }

    /** The header of block {@code index} ({@code length} bytes) of the version {@code etag} of {@code id}. */
    static byte[] header(ObjectId id, String etag, long index, long length) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(id.bucket());
            out.writeUTF(id.key());
            out.writeUTF(etag);
            out.writeLong(index);
            out.writeLong(length);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Size of a whole block file with a header of this length and this data length. */
    static long fileSize(int headerLength, long length) {
        return headerLength + length + Integer.BYTES;
    }

    /**
     * Writes {@code length} bytes of {@code data} as the block file {@code target}: to a temporary
     * file first, renamed when complete. Not fsynced: a block torn by a crash fails its CRC and is
     * fetched again.
     *
     * @throws EOFException when {@code data} ends early
     */
    static void write(Path target, byte[] header, InputStream data, long length) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp" + Long.toHexString(
                ThreadLocalRandom.current().nextLong()));
        CRC32C crc = new CRC32C();
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(header);
                crc.update(header);
                byte[] buffer = new byte[BUFFER];
                long left = length;
                while (left > 0) {
                    int n = data.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new EOFException("the remote sent " + (length - left) + " of " + length + " bytes");
                    }
                    out.write(buffer, 0, n);
                    crc.update(buffer, 0, n);
                    left -= n;
                }
                int value = (int) crc.getValue();
                out.write(new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
                        (byte) value });
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Whether {@code file} is a whole, uncorrupted block with exactly this header and length: its
     * size, header and CRC32C are checked (the whole file is read).
     */
    static boolean verify(Path file, byte[] header, long length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long total = fileSize(header.length, length);
            if (channel.size() != total) {
                return false;
            }
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            CRC32C crc = new CRC32C();
            long dataEnd = total - Integer.BYTES;
            long position = 0;
            byte[] seenHeader = new byte[header.length];
            while (position < dataEnd) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), dataEnd - position));
                int n = channel.read(buffer, position);
                if (n <= 0) {
                    return false;
                }
                if (position < header.length) {
                    int copy = (int) Math.min(n, header.length - position);
                    System.arraycopy(buffer.array(), 0, seenHeader, (int) position, copy);
                }
                crc.update(buffer.array(), 0, n);
                position += n;
            }
            if (!Arrays.equals(seenHeader, header)) {
                return false;
            }
            ByteBuffer trailer = ByteBuffer.allocate(Integer.BYTES);
            while (trailer.hasRemaining()) {
                if (channel.read(trailer, dataEnd + trailer.position()) <= 0) {
                    return false;
                }
            }
            return trailer.getInt(0) == (int) crc.getValue();
        } catch (IOException e) {
            return false;
        }
    }
}
