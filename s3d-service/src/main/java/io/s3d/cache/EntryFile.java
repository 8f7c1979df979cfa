package io.s3d.cache;

import io.s3d.backend.ObjectMeta;
import io.s3d.store.MetaCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * The {@code entry} file of a cached object: which object and version it is, its metadata, its
 * block size, when it was last confirmed current and whether it is pinned, with a CRC32C. What the
 * index is rebuilt from after a restart.
 */
final class EntryFile {
    static final String NAME = "entry";
    private static final int MAGIC = 0x53334445; // "S3DE"
    /** 2 adds the version id (entries of version 1, written before, are of current versions). */
    private static final int VERSION = 2;

    private EntryFile() {
    }

    record Stored(ObjectId id, ObjectMeta meta, long blockSize, Instant validatedAt, boolean pinned) {
    }

    static void write(Path dir, Stored entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(entry.id().bucket());
        out.writeUTF(entry.id().key());
        out.writeBoolean(entry.id().isVersion());
        if (entry.id().isVersion()) {
            out.writeUTF(entry.id().versionId());
        }
        out.writeLong(entry.blockSize());
        out.writeLong(entry.validatedAt().toEpochMilli());
        out.writeBoolean(entry.pinned());
        byte[] meta = MetaCodec.encode(entry.meta());
        out.writeInt(meta.length);
        out.write(meta);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        Path tmp = dir.resolve(NAME + ".tmp" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The entry stored in {@code dir}; IOException when it is missing, torn or corrupted. */
    static Stored read(Path dir) throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve(NAME));
        if (all.length < Integer.BYTES * 3) {
            throw new IOException("truncated cache entry file");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - Integer.BYTES);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        int version = in.readInt() == MAGIC ? in.readInt() : -1;
        if (version != 1 && version != VERSION) {
            throw new IOException("not a cache entry file of this version");
        }
        String bucket = in.readUTF();
        String key = in.readUTF();
        String versionId = version > 1 && in.readBoolean() ? in.readUTF() : null;
        long blockSize = in.readLong();
        Instant validatedAt = Instant.ofEpochMilli(in.readLong());
        boolean pinned = in.readBoolean();
        int metaLength = in.readInt();
        if (metaLength < 0 || metaLength > all.length) {
            throw new IOException("corrupted cache entry file");
        }
        byte[] meta = new byte[metaLength];
        in.readFully(meta);
        int stored = in.readInt();
        if (stored != (int) crc.getValue()) {
            throw new IOException("cache entry file fails its CRC32C");
        }
        return new Stored(new ObjectId(bucket, key, versionId), MetaCodec.decode(meta), blockSize, validatedAt, pinned);
    }
}
