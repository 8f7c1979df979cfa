package io.s3d.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The access-control documents of the local store (a bucket's ACL, ownership controls and public
 * access block; each object version's ACL), kept as small files beside the bucket so that they go
 * with it: deleting a bucket deletes them, a bucket created again under the same name starts clean.
 *
 * <p>Bucket documents are {@link BucketDocument}s of the store. Each file is written to {@code .tmp}, fsynced, renamed into place and its directory fsynced
 * before the request is acknowledged. An object's ACL is filed under its key and the generation of
 * the write it belongs to, so an ACL can never outlive its object onto a later write of the key:
 * a write whose ACL was not recorded (a crash in between) reads as having none, and access control
 * then falls back to the bucket owner's full control — it fails closed.
 */
public final class AccessDocuments {
    /** Object ACLs, one file per key and generation; the name has no key suffix, so listings never see it. */
    private static final String OBJECT_ACLS_DIR = ".object-acls";
    private final LocalStore store;

    public AccessDocuments(LocalStore store) {
        this.store = store;
    }

    /**
     * A bucket document ({@code name} like {@code .acl}), asked on every request: read once, then
     * from memory until it changes or the bucket goes. NoSuchBucket when the bucket does not exist.
     */
    public Optional<byte[]> bucketDocument(String bucket, String name) {
        return store.document(name).read(bucket, () -> store.requireBucket(bucket));
    }

    public void putBucketDocument(String bucket, String name, byte[] content) {
        store.document(name).replace(bucket, store.requireBucket(bucket), content);
    }

    /** Removes a bucket document; removing none succeeds. */
    public void deleteBucketDocument(String bucket, String name) {
        store.document(name).delete(bucket, store.requireBucket(bucket));
    }

    /** The document of the write {@code generation} of {@code key}, if one was recorded. */
    public Optional<byte[]> objectDocument(String bucket, String key, String generation) {
        return read(store.requireBucket(bucket).resolve(OBJECT_ACLS_DIR).resolve(fileName(key, generation)));
    }

    public void putObjectDocument(String bucket, String key, String generation, byte[] content) {
        Path bucketDir = store.requireBucket(bucket);
        try {
            Path dir = DurableFiles.createDirectories(bucketDir.resolve(OBJECT_ACLS_DIR));
            replace(dir, fileName(key, generation), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when some write of the bucket has (or had) a document of its own. */
    public boolean keepsObjectDocuments(String bucket) {
        return store.bucketDir(bucket).map(dir -> Files.isDirectory(dir.resolve(OBJECT_ACLS_DIR))).orElse(false);
    }

    /** Forgets the document of one write of a key (a version that is gone). */
    public void forgetObjectDocument(String bucket, String key, String generation) {
        store.bucketDir(bucket).ifPresent(dir -> {
            try {
                Files.deleteIfExists(dir.resolve(OBJECT_ACLS_DIR).resolve(fileName(key, generation)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Optional<byte[]> read(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replace(Path dir, String name, byte[] content) {
        Path temp = store.tmpDir().resolve("access-" + UUID.randomUUID());
        try {
            DurableFiles.writeNew(temp, content);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // start-up empties .tmp
            }
        }
    }

    /** Keys may be 1 KiB of any bytes: the file is named by a hash of key and generation. */
    private static String fileName(String key, String generation) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(generation.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
