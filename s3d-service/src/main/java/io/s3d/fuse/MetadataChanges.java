package io.s3d.fuse;

import io.s3d.backend.CopyConditions;
import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.MultipartBackend.CopyTarget;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * Reads and changes the user metadata of a path, where its POSIX attributes and extended
 * attributes live: a file open for writing keeps the change for its next store; a stored file is
 * copied onto itself with the new metadata (CopyObject, server-side on a remote); a directory's
 * marker ({@code dir/}) is written with it, made when the directory had none. Buckets and the
 * root have no metadata: changes to them are accepted and not kept.
 */
final class MetadataChanges {
    private final ObjectBackend backend;
    private final Metadata metadata;
    private final OpenFiles openFiles;

    MetadataChanges(ObjectBackend backend, Metadata metadata, OpenFiles openFiles) {
        this.backend = backend;
        this.metadata = metadata;
        this.openFiles = openFiles;
    }

    /** The user metadata of {@code path} now, or empty when nothing is there. */
    Optional<Map<String, String>> current(FusePath path) {
        WrittenFile writing = openFiles.writer(path);
        if (writing != null) {
            return Optional.of(writing.userMetadata());
        }
        Optional<Node> node = metadata.lookup(path);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (path.isRoot() || path.isBucket()) {
            return Optional.of(Map.of());
        }
        String key = node.get().directory() ? path.markerKey() : path.key();
        return Optional.of(head(path, key).map(ObjectMeta::userMetadata).orElse(Map.of()));
    }

    /**
     * Applies {@code change} to the user metadata of {@code path}; returns 0, -ENOENT, or -ENOSPC
     * when the result would not fit in the 2 KB S3 allows.
     */
    int change(FusePath path, UnaryOperator<Map<String, String>> change) throws IOException {
        return openFiles.locked(path, () -> {
            WrittenFile writing = openFiles.writer(path);
            if (writing != null) {
                if (!Xattrs.fits(change.apply(writing.userMetadata()))) {
                    return -ErrorCodes.ENOSPC();
                }
                writing.changeMetadata(change);
                return 0;
            }
            Optional<Node> node = metadata.lookup(path);
            if (node.isEmpty()) {
                return -ErrorCodes.ENOENT();
            }
            if (path.isRoot() || path.isBucket()) {
                return 0;
            }
            if (node.get().directory()) {
                Optional<ObjectMeta> marker = head(path, path.markerKey());
                Map<String, String> changed = changed(marker.map(ObjectMeta::userMetadata).orElse(Map.of()), change);
                if (!Xattrs.fits(changed)) {
                    return -ErrorCodes.ENOSPC();
                }
                EmptyObjects.put(backend, path.bucket(), path.markerKey(), changed);
            } else {
                ObjectMeta meta = backend.headObject(path.bucket(), path.key());
                Map<String, String> changed = changed(meta.userMetadata(), change);
                if (!Xattrs.fits(changed)) {
                    return -ErrorCodes.ENOSPC();
                }
                // Only if it is still the version looked at: a write through S3 meanwhile is not undone.
                backend.copyObject(new CopySource(path.bucket(), path.key(), Optional.empty(),
                        new CopyConditions(Optional.of(meta.etag()), Optional.empty(), Optional.empty(),
                                Optional.empty())),
                        new CopyTarget(path.bucket(), path.key(), Optional.of(meta.contentHeaders()),
                                Optional.of(changed), Optional.empty(), WriteCondition.NONE));
            }
            metadata.forget(path);
            return 0;
        });
    }

    private static Map<String, String> changed(Map<String, String> userMetadata,
            UnaryOperator<Map<String, String>> change) {
        return PosixAttributes.changedNow(change.apply(userMetadata));
    }

    private Optional<ObjectMeta> head(FusePath path, String key) {
        try {
            return Optional.of(backend.headObject(path.bucket(), key));
        } catch (S3Exception e) {
            if (Errno.isMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
