package io.s3d.store;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * An object version opened from the local store. The open channel pins this version: an overwrite
 * renames a new file over the path but cannot change what the channel reads.
 */
final class LocalObjectData implements ObjectData {
    private final ObjectMeta meta;
    private final FileChannel channel;
    private final Path path;
    private final Path tmp;
    private final boolean encrypted;
    private final io.s3d.store.crypto.MasterKeys keys;
    private Path link;
    private io.s3d.store.crypto.EncryptedContent content;
    private Optional<byte[]> customerKey = Optional.empty();

    LocalObjectData(ObjectMeta meta, FileChannel channel, Path path, Path tmp) {
        this(meta, channel, path, tmp, false, null);
    }

    LocalObjectData(ObjectMeta meta, FileChannel channel, Path path, Path tmp, boolean encrypted,
            io.s3d.store.crypto.MasterKeys keys) {
        this.meta = meta;
        this.channel = channel;
        this.path = path;
        this.tmp = tmp;
        this.encrypted = encrypted;
        this.keys = keys;
    }

    @Override
    public ObjectData withCustomerKey(byte[] key) {
        customerKey = Optional.of(key.clone());
        return this;
    }

    @Override
    public boolean opensWith(byte[] key) {
        try {
            return encrypted && encryptedContent().matches(key);
        } catch (IOException e) {
            return false;
        }
    }

    private io.s3d.store.crypto.EncryptedContent encryptedContent() throws IOException {
        if (content == null) {
            content = io.s3d.store.crypto.EncryptedContent.read(channel, meta.size());
        }
        return content;
    }

    @Override
    public ObjectMeta meta() {
        return meta;
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        if (encrypted) {
            return encryptedContent().open(offset, length, keys, customerKey);
        }
        return new ChannelRangeStream(channel, offset, length);
    }

    /**
     * A hard link to this very version, for zero-copy sending by path. The link is taken from the
     * path and then checked to be the same version (same generation), because the key may have
     * been overwritten since we opened it; in that case there is no stable file and the caller
     * streams from the pinned channel instead.
     */
    @Override
    public Optional<Path> stableFile() {
        if (encrypted) {
            return Optional.empty(); // its bytes on disk are not the content: stream the decrypted ones
        }
        if (link != null) {
            return Optional.of(link);
        }
        Path candidate = tmp.resolve("get-" + UUID.randomUUID());
        try {
            Files.createLink(candidate, path);
            try (FileChannel linked = FileChannel.open(candidate, StandardOpenOption.READ)) {
                if (ObjectFile.readMeta(linked).generation().equals(meta.generation())) {
                    link = candidate;
                    return Optional.of(link);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // fall through: stream from the channel
        }
        LocalStore.deleteQuietly(candidate);
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read channel cannot lose data
        }
        if (link != null) {
            LocalStore.deleteQuietly(link);
        }
    }

    /** Positional reads of a byte range, so concurrent readers of one channel never interfere. */
    private static final class ChannelRangeStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        ChannelRangeStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int wanted = (int) Math.min(len, end - position);
            int read = channel.read(ByteBuffer.wrap(b, off, wanted), position);
            if (read < 0) {
                throw new IOException("object file ended early");
            }
            position += read;
            return read;
        }
    }
}
