package io.s3d.store;

import io.s3d.backend.ObjectLock;
import io.s3d.backend.ObjectMeta;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the local store keeps Object Lock: a bucket's configuration in its {@code .object-lock}
 * file (absent: Object Lock never enabled; cached in memory like the versioning status), and the
 * retention and legal hold of a version — first in its trailer (the lock it was written with, as
 * its {@code x-amz-object-lock-*} headers), then, once changed, in a small {@code .l} file beside
 * its tags, bound to the version's generation like them. Every file is replaced whole: written to
 * the store's {@code .tmp}, fsynced, renamed into place, its directory fsynced.
 */
final class ObjectLocks {
    static final String CONFIG_FILE = ".object-lock";
    static final String LOCK_SUFFIX = ".l";
    private static final int FORMAT = 1;

    private final Path tmp;
    private final Clock clock;
    private final ConcurrentHashMap<String, Optional<ObjectLock.Configuration>> configurations =
            new ConcurrentHashMap<>();

    ObjectLocks(Path tmp, Clock clock) {
        this.tmp = tmp;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** The bucket's configuration (empty: Object Lock not enabled), read once. */
    Optional<ObjectLock.Configuration> configuration(String bucket, Path bucketDir) {
        Optional<ObjectLock.Configuration> known = configurations.get(bucket);
        if (known != null) {
            return known;
        }
        Optional<ObjectLock.Configuration> read;
        try {
            read = Optional.of(decode(Files.readString(bucketDir.resolve(CONFIG_FILE), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            read = Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        configurations.put(bucket, read);
        return read;
    }

    /** The configuration already read for a bucket of this store, or null (a bucket's deletion forgets it). */
    Optional<ObjectLock.Configuration> known(String bucket) {
        return configurations.get(bucket);
    }

    /** The bucket is gone or new: read its configuration afresh next time. */
    void forget(String bucket) {
        configurations.remove(bucket);
    }

    void writeConfiguration(String bucket, Path bucketDir, ObjectLock.Configuration configuration)
            throws IOException {
        replace(bucketDir.resolve(CONFIG_FILE), encode(configuration).getBytes(StandardCharsets.UTF_8));
        configurations.put(bucket, Optional.of(configuration));
    }

    /** The configuration file's text: {@code Enabled}, then {@code <MODE> DAYS|YEARS <n>} for a default retention. */
    static String encode(ObjectLock.Configuration configuration) {
        return "Enabled\n" + configuration.defaultRetention().map(d -> d.mode().name() + " "
                + (d.days() > 0 ? "DAYS " + d.days() : "YEARS " + d.years()) + "\n").orElse("");
    }

    static ObjectLock.Configuration decode(String text) throws IOException {
        String[] lines = text.split("\n");
        if (!lines[0].trim().equals("Enabled")) {
            throw new IOException("unknown object lock configuration: " + text);
        }
        if (lines.length < 2 || lines[1].isBlank()) {
            return ObjectLock.Configuration.ENABLED;
        }
        String[] rule = lines[1].trim().split(" ");
        ObjectLock.Mode mode = ObjectLock.Mode.of(rule[0])
                .orElseThrow(() -> new IOException("unknown object lock mode: " + text));
        int period = Integer.parseInt(rule[2]);
        return new ObjectLock.Configuration(Optional.of(rule[1].equals("DAYS")
                ? new ObjectLock.DefaultRetention(mode, period, 0) : new ObjectLock.DefaultRetention(mode, 0, period)));
    }

    /**
     * A new version of a bucket with Object Lock: the lock the client asked for, or else the
     * bucket's default retention counted from now (the version's write time).
     */
    ObjectMeta newVersion(ObjectLock.Configuration configuration, ObjectMeta meta) {
        if (meta.headers().containsKey(ObjectLock.MODE) || configuration.defaultRetention().isEmpty()) {
            return meta;
        }
        ObjectLock.Retention retention = configuration.defaultRetention().get().from(now());
        return meta.withHeader(ObjectLock.MODE, retention.mode().name())
                .withHeader(ObjectLock.RETAIN_UNTIL, ObjectLock.format(retention.retainUntil()));
    }

    /** The version stored in {@code file} with its lock as last changed (its trailer's when never changed). */
    ObjectMeta withCurrentLock(Path file, ObjectMeta meta) throws IOException {
        Path lockFile = lockFile(file, meta);
        byte[] data;
        try {
            data = Files.readAllBytes(lockFile);
        } catch (NoSuchFileException e) {
            return meta;
        }
        Optional<ObjectLock.State> state = decodeState(data, meta.generation());
        return state.isEmpty() ? meta : withState(meta, state.get());
    }

    /** Replaces the lock of the version stored in {@code file}. */
    void writeState(Path file, ObjectMeta meta, ObjectLock.State state) throws IOException {
        replace(lockFile(file, meta), encodeState(meta.generation(), state));
    }

    static ObjectMeta withState(ObjectMeta meta, ObjectLock.State state) {
        return new ObjectMeta(meta.key(), meta.size(), meta.etag(), meta.lastModified(),
                state.applyTo(meta.headers()), meta.userMetadata(), meta.checksums(), meta.tags(), meta.partsCount(),
                meta.generation(), meta.partSizes());
    }

    /** Beside the version's tag file: {@code <versionId>.l} in the key's history, or {@code <name>.l}. */
    static Path lockFile(Path file, ObjectMeta meta) {
        Path tags = LocalStore.tagsFile(file, meta);
        String name = tags.getFileName().toString();
        return tags.resolveSibling(name.substring(0, name.length() - KeyCodec.TAGS_SUFFIX.length()) + LOCK_SUFFIX);
    }

    static byte[] encodeState(String generation, ObjectLock.State state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(FORMAT);
            MetaCodec.writeString(out, generation);
            MetaCodec.writeString(out, state.retention().map(r -> r.mode().name()).orElse(""));
            out.writeLong(state.retention().map(r -> r.retainUntil().toEpochMilli()).orElse(-1L));
            MetaCodec.writeString(out, state.legalHold().map(on -> on ? "ON" : "OFF").orElse(""));
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The lock in a lock file, when it belongs to {@code generation} (a file left by an overwritten version does not). */
    static Optional<ObjectLock.State> decodeState(byte[] data, String generation) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data));
        if (in.readInt() != FORMAT) {
            throw new IOException("unknown object lock file format");
        }
        if (!MetaCodec.readString(in).equals(generation)) {
            return Optional.empty();
        }
        Optional<ObjectLock.Mode> mode = ObjectLock.Mode.of(MetaCodec.readString(in));
        long until = in.readLong();
        String hold = MetaCodec.readString(in);
        return Optional.of(new ObjectLock.State(
                mode.map(m -> new ObjectLock.Retention(m, Instant.ofEpochMilli(until))),
                hold.isEmpty() ? Optional.empty() : Optional.of(hold.equals("ON"))));
    }

    private void replace(Path target, byte[] content) throws IOException {
        Path temp = tmp.resolve("lock-" + UUID.randomUUID());
        try {
            DurableFiles.writeNew(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(target.getParent());
        } finally {
            LocalStore.deleteQuietly(temp);
        }
    }
}
