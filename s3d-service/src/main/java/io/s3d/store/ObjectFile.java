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
    static final int FOOTER = 8;

    private ObjectFile() {
    }

    /** Appends the metadata and footer after the content already written at {@code contentLength}. */
    static void writeTrailer(FileChannel channel, ObjectMeta meta) throws IOException {
        byte[] encoded = MetaCodec.encode(meta);
        ByteBuffer buffer = ByteBuffer.allocate(encoded.length + FOOTER);
        buffer.put(encoded).putInt(encoded.length).putInt(MAGIC).flip();
        long position = meta.size();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    /** Reads the metadata of an object file; IOException when the file is not a complete object. */
    static ObjectMeta readMeta(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < FOOTER) {
            throw new IOException("object file too short");
        }
        ByteBuffer footer = ByteBuffer.allocate(FOOTER);
        readFully(channel, footer, fileSize - FOOTER);
        footer.flip();
        int metaLength = footer.getInt();
        int magic = footer.getInt();
        if (magic != MAGIC || metaLength < 0 || metaLength > fileSize - FOOTER) {
            throw new IOException("not an s3d object file");
        }
        ByteBuffer meta = ByteBuffer.allocate(metaLength);
        readFully(channel, meta, fileSize - FOOTER - metaLength);
        ObjectMeta decoded = MetaCodec.decode(meta.array());
        if (decoded.size() != fileSize - FOOTER - metaLength) {
            throw new IOException("object file size does not match its metadata");
        }
        return decoded;
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
