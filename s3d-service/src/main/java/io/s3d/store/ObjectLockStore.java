package io.s3d.store;

import io.s3d.backend.ObjectLock;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Object Lock on the local store: a bucket's configuration, the lock of each version, and the
 * check that keeps a locked version from being deleted. Changes to a version's lock happen under
 * the key's lock, like every other change to the key.
 */
final class ObjectLockStore {
    private final LocalStore store;
    private final ObjectLocks locks;
    private final VersionedKeys versions;

    ObjectLockStore(LocalStore store, ObjectLocks locks, VersionedKeys versions) {
        this.store = store;
        this.locks = locks;
        this.versions = versions;
    }

    /**
     * InvalidRequest for Object Lock on a bucket without it. S3 words it differently for a write
     * carrying lock headers and for the retention and legal hold calls.
     */
    static S3Exception missingConfiguration(boolean onWrite) {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST, onWrite ? "Bucket is missing ObjectLockConfiguration"
                : "Bucket is missing Object Lock Configuration");
    }

    /** The bucket's configuration: a map lookup once known (every PUT asks), else read from its file. */
    Optional<ObjectLock.Configuration> configuration(String bucket) {
        Optional<ObjectLock.Configuration> known = locks.known(bucket);
        return known != null ? known : locks.configuration(bucket, store.requireBucket(bucket));
    }

    /** Enables Object Lock (on a bucket whose versioning is Enabled) or replaces its default retention. */
    void putConfiguration(String bucket, ObjectLock.Configuration configuration) {
        Path dir = store.requireBucket(bucket);
        if (store.bucketVersioning(bucket) != ObjectVersions.Status.ENABLED) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                    "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration")
                    .withElements(Map.of("BucketName", bucket));
        }
        try {
            locks.writeConfiguration(bucket, dir, configuration);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lock of one version ({@code versionId} null: the current one). */
    ObjectLock.State state(String bucket, String key, String versionId) {
        requireLockEnabled(bucket);
        return ObjectLock.State.of(store.headObjectVersion(bucket, key, versionId).headers());
    }

    /** Replaces the lock of one version with what {@code change} makes of it (which may refuse). */
    void change(String bucket, String key, String versionId, UnaryOperator<ObjectLock.State> change) {
        Path bucketDir = requireLockEnabled(bucket);
        LocalStore.checkKeyForRead(bucket, key);
        Path target = LocalStore.objectPath(bucketDir, key);
        ReentrantLock lock = store.keyLock(bucket, key);
        lock.lock();
        try {
            Path file = target;
            ObjectMeta meta;
            if (versionId == null) {
                meta = store.readMetaOrNull(target);
                if (meta == null) {
                    throw store.missingKey(bucket, bucketDir, key, target);
                }
            } else {
                file = store.requireVersion(bucket, key, target, versionId).file();
                meta = VersionedKeys.readMeta(file);
                if (meta == null) {
                    throw new S3Exception(S3ErrorCode.NO_SUCH_VERSION).withResource("/" + bucket + "/" + key)
                            .withElements(Map.of("Key", key, "VersionId", versionId));
                }
            }
            ObjectLock.State current = ObjectLock.State.of(locks.withCurrentLock(file, meta).headers());
            locks.writeState(file, meta, change.apply(current));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** Refuses (403 AccessDenied) to remove a version its legal hold or retention protects; the caller holds the key's lock. */
    void checkDeletable(String bucket, Path bucketDir, Path target, String versionId, boolean bypassGovernance)
            throws IOException {
        if (locks.configuration(bucket, bucketDir).isEmpty()) {
            return;
        }
        for (VersionedKeys.Entry entry : versions.versions(target)) {
            if (entry.versionId().equals(versionId) && !entry.marker()) {
                ObjectMeta meta = VersionedKeys.readMeta(entry.file());
                if (meta != null) {
                    RetentionRules.checkDelete(ObjectLock.State.of(locks.withCurrentLock(entry.file(), meta)
                            .headers()), bypassGovernance, locks.now());
                }
                return;
            }
        }
    }

    java.time.Instant now() {
        return locks.now();
    }

    private Path requireLockEnabled(String bucket) {
        Path dir = store.requireBucket(bucket);
        if (locks.configuration(bucket, dir).isEmpty()) {
            throw missingConfiguration(false);
        }
        return dir;
    }
}
