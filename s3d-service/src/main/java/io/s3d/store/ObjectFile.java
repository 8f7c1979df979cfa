package io.s3d.store;

import io.s3d.backend.ObjectMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Layout of one object on disk: the content bytes, then the metadata, then a fixed 8-byte footer
 * (metadata length, magic). Content and metadata live in one file so that one atomic rename makes
 * a whole new version visible: a reader sees the old object or the new one, never a mix.
 */
final class ObjectFile {
    static final int MAGIC = 0x53334431; // "S3D1"
    /** The footer magic of a file whose content is in the encrypted format (io.s3d.store.crypto.EncryptedFormat). */
    static final int ENCRYPTED_MAGIC = 0x53334445; // "S3DE"
    static final int FOOTER = 8;

    private ObjectFile() {
    }

    /** Appends the metadata and footer after the plaintext content already written. */
    static void writeTrailer(FileChannel channel, ObjectMeta meta) throws IOException {
        writeTrailer(channel, meta, meta.size(), false);
    }

    /**
     * Appends the metadata and footer after the content already written, {@code contentLength}
     * bytes: the plaintext, or (encrypted) the encrypted form of {@code meta.size()} bytes.
     */
    static void writeTrailer(FileChannel channel, ObjectMeta meta, long contentLength, boolean encrypted)
            throws IOException {
        byte[] encoded = MetaCodec.encode(meta);
        ByteBuffer buffer = ByteBuffer.allocate(encoded.length + FOOTER);
        buffer.put(encoded).putInt(encoded.length).putInt(encrypted ? ENCRYPTED_MAGIC : MAGIC).flip();
        long position = contentLength;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    /** Reads the metadata of an object file; IOException when the file is not a complete object. */
    static ObjectMeta readMeta(FileChannel channel) throws IOException {
        return read(channel).meta();
    }

    /** An object file's metadata, and whether its content is encrypted. */
    record Stored(ObjectMeta meta, boolean encrypted) {
    }

    /** Reads the metadata of an object file and how its content is kept; IOException when it is not a complete object. */
    static Stored read(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < FOOTER) {
            throw new IOException("object file too short");
        }
        ByteBuffer footer = ByteBuffer.allocate(FOOTER);
        readFully(channel, footer, fileSize - FOOTER);
        footer.flip();
        int metaLength = footer.getInt();
        int magic = footer.getInt();
        boolean encrypted = magic == ENCRYPTED_MAGIC;
        if ((magic != MAGIC && !encrypted) || metaLength < 0 || metaLength > fileSize - FOOTER) {
            throw new IOException("not an s3d object file");
        }
        ByteBuffer meta = ByteBuffer.allocate(metaLength);
        readFully(channel, meta, fileSize - FOOTER - metaLength);
        ObjectMeta decoded = MetaCodec.decode(meta.array());
        long contentLength = fileSize - FOOTER - metaLength;
        long expected = encrypted ? io.s3d.store.crypto.EncryptedFormat.storedLength(
                io.s3d.store.crypto.EncryptedContent.headerLength(channel), decoded.size()) : decoded.size();
        if (expected != contentLength) {
            throw new IOException("object file size does not match its metadata");
        }
        return new Stored(decoded, encrypted);
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("unexpected end of object file");
            }
            position += read;
        }
    }
}
