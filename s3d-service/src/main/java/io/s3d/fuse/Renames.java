package io.s3d.fuse;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import ru.serce.jnrfuse.ErrorCodes;

/**
 * {@code rename} on a store that has no rename. A file is copied to the new key (content type,
 * user metadata and tags kept) and then deleted; it is not atomic: a crash in between leaves both. A file
 * still open for writing moves with its handles and is stored at the new key. An empty directory
 * moves its marker. A non-empty directory or a bucket answers EXDEV, so {@code mv} falls back to
 * copying each file and deleting the originals.
 */
final class Renames {
    private final ObjectBackend backend;
    private final Metadata metadata;
    private final OpenFiles openFiles;

    Renames(ObjectBackend backend, Metadata metadata, OpenFiles openFiles) {
        this.backend = backend;
        this.metadata = metadata;
        this.openFiles = openFiles;
    }

    /** Returns 0 or a negative errno. */
    int rename(FusePath from, FusePath to) throws IOException {
        if (from.equals(to)) {
            return 0;
        }
        if (from.key() == null || to.key() == null) {
            return -ErrorCodes.EXDEV();
        }
        if (!to.isNameable()) {
            return -ErrorCodes.EINVAL();
        }
        WrittenFile writing = openFiles.writer(from);
        Optional<Node> source = writing != null ? Optional.of(Node.file(0, Instant.now(), null))
                : metadata.lookup(from);
        if (source.isEmpty()) {
            return -ErrorCodes.ENOENT();
        }
        Optional<Node> target = metadata.lookup(to);
        if (source.get().directory()) {
            return renameDirectory(from, to, target);
        }
        if (target.isPresent() && target.get().directory()) {
            return -ErrorCodes.EISDIR();
        }
        // A file someone has open for writing at the target is replaced: what they still write goes nowhere.
        WrittenFile replaced = openFiles.writer(to);
        if (writing != null) {
            // Stored at the new key first: if that fails, the rename fails and nothing moved.
            writing.storeAs(backend, to);
        } else {
            copy(from, to);
        }
        if (replaced != null) {
            replaced.discard();
            openFiles.unregister(replaced);
        }
        if (writing != null) {
            openFiles.move(writing, from, to);
        }
        backend.deleteObject(from.bucket(), from.key());
        metadata.forget(from);
        metadata.forget(to);
        return 0;
    }

    private int renameDirectory(FusePath from, FusePath to, Optional<Node> target) {
        if (!isEmptyDirectory(from)) {
            return -ErrorCodes.EXDEV();
        }
        if (target.isPresent()) {
            if (!target.get().directory()) {
                return -ErrorCodes.ENOTDIR();
            }
            if (!isEmptyDirectory(to)) {
                return -ErrorCodes.ENOTEMPTY();
            }
        }
        // The marker carries the directory's mode, owner and times: they move with it.
        Map<String, String> attributes;
        try {
            attributes = backend.headObject(from.bucket(), from.markerKey()).userMetadata();
        } catch (io.s3d.backend.S3Exception e) {
            if (!Errno.isMissing(e)) {
                throw e;
            }
            attributes = Map.of();
        }
        EmptyObjects.put(backend, to.bucket(), to.markerKey(), attributes);
        backend.deleteObject(from.bucket(), from.markerKey());
        metadata.forget(from);
        metadata.forget(to);
        return 0;
    }

    /** Whether nothing but the directory's own marker lies under it. */
    private boolean isEmptyDirectory(FusePath dir) {
        ListPage page = backend.listObjects(dir.bucket(), new ListRequest(dir.dirPrefix(), null, "", 2));
        return page.commonPrefixes().isEmpty()
                && page.objects().stream().allMatch(o -> o.key().equals(dir.markerKey()));
    }

    private void copy(FusePath from, FusePath to) throws IOException {
        try (ObjectData data = backend.getObject(from.bucket(), from.key())) {
            ObjectMeta meta = data.meta();
            Map<String, String> tags = backend.getObjectTags(from.bucket(), from.key());
            try (InputStream body = data.open(0, meta.size())) {
                backend.putObject(new PutRequest(to.bucket(), to.key(), body, meta.size(), Optional.empty(),
                        meta.contentHeaders(), meta.userMetadata(), tags, Map::of, WriteCondition.NONE));
            }
        }
    }
}
