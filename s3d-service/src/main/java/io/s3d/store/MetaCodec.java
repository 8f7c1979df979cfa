package io.s3d.store;

import io.s3d.backend.ObjectMeta;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary form of an object's metadata, as stored in the trailer of its file, and of a tag set.
 * Versioned so a later s3d can still read what an earlier one wrote.
 */
public final class MetaCodec {
    private static final int VERSION = 1;
    /** Version 1 followed by the sizes of the parts a client uploaded the object in. */
    private static final int WITH_PART_SIZES = 2;

    private MetaCodec() {
    }

    public static byte[] encode(ObjectMeta meta) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            // Version 1 unless part sizes are known: what older s3d wrote, and can still read.
            out.writeInt(meta.partSizes().isEmpty() ? VERSION : WITH_PART_SIZES);
            writeString(out, meta.key());
            out.writeLong(meta.size());
            writeString(out, meta.etag());
            out.writeLong(meta.lastModified().toEpochMilli());
            writeString(out, meta.generation());
            out.writeInt(meta.partsCount());
            writeMap(out, meta.headers());
            writeMap(out, meta.userMetadata());
            writeMap(out, meta.checksums());
            writeMap(out, meta.tags());
            if (!meta.partSizes().isEmpty()) {
                out.writeInt(meta.partSizes().size());
                for (long partSize : meta.partSizes()) {
                    out.writeLong(partSize);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMeta decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
        int version = in.readInt();
        if (version != VERSION && version != WITH_PART_SIZES) {
            throw new IOException("unknown object metadata version " + version);
        }
        String key = readString(in);
        long size = in.readLong();
        String etag = readString(in);
        Instant lastModified = Instant.ofEpochMilli(in.readLong());
        String generation = readString(in);
        int parts = in.readInt();
        Map<String, String> headers = readMap(in);
        Map<String, String> user = readMap(in);
        Map<String, String> checksums = readMap(in);
        Map<String, String> tags = readMap(in);
        java.util.List<Long> partSizes = new java.util.ArrayList<>();
        if (version == WITH_PART_SIZES) {
            int count = in.readInt();
            if (count < 0 || count > 10_000) {
                throw new IOException("corrupted object metadata: " + count + " parts");
            }
            for (int i = 0; i < count; i++) {
                partSizes.add(in.readLong());
            }
        }
        return new ObjectMeta(key, size, etag, lastModified, headers, user, checksums, tags, parts, generation,
                partSizes);
    }

    static byte[] encodeTags(String generation, Map<String, String> tags) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            writeString(out, generation);
            writeMap(out, tags);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the tags if they belong to the given generation, else null. */
    static Map<String, String> decodeTags(byte[] data, String generation) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
        if (in.readInt() != VERSION) {
            throw new IOException("unknown tag file version");
        }
        String owner = readString(in);
        Map<String, String> tags = readMap(in);
        return owner.equals(generation) ? tags : null;
    }

    /** Reads a bucket file: its creation time (epoch millis, as text) and its tag set. */
    static BucketFile decodeBucket(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
        if (in.readInt() != VERSION) {
            throw new IOException("unknown bucket file version");
        }
        return new BucketFile(readString(in), readMap(in));
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("corrupt metadata string length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    static Map<String, String> readMap(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 10_000) {
            throw new IOException("corrupt metadata map size " + count);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }
}
