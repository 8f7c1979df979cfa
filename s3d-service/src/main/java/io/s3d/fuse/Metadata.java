package io.s3d.fuse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import io.s3d.store.LocalStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds out what a path is, asking the store and remembering answers for the metadata TTL, so an
 * {@code ls -l} after a listing costs no request per file, and a name found missing is not asked
 * for again meanwhile (shells, git and editors probe the same missing names over and over; in
 * gateway mode each probe would be remote requests). A directory wins over a file of the same
 * name (a key {@code a} and keys under {@code a/}), as in Mountpoint; the file is then reachable
 * through S3 only. Changes made through the mount are forgotten at once ({@link #forget}).
 */
final class Metadata {
    /** Bounds the memory of remembered entries (about 200 bytes each). */
    private static final int MAX_ENTRIES = 200_000;

    private final ObjectBackend backend;
    /** The local store when it is what {@link #backend} stores in (standalone), else null. */
    private final LocalStore local;
    /** What each path is, or empty: nothing is there. */
    private final Cache<FusePath, Optional<Node>> nodes;
    /**
     * Counts {@link #forget}s: an answer the store gave while a change through the mount was being
     * made (a file stored by its last writer) may be the state before it, and must not be kept.
     */
    private final AtomicLong changes = new AtomicLong();
    private final Instant mountedAt = Instant.now();

    Metadata(ObjectBackend backend, LocalStore local, Duration ttl) {
        this.backend = backend;
        this.local = local;
        this.nodes = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).build();
    }

    /** The node at {@code path}, or empty when nothing is there. */
    Optional<Node> lookup(FusePath path) {
        if (path.isRoot()) {
            return Optional.of(Node.dir(mountedAt));
        }
        if (!path.isNameable() || !FusePath.isFileName(path.bucket())) {
            return Optional.empty();
        }
        Optional<Node> known = nodes.getIfPresent(path);
        if (known != null) {
            return known;
        }
        long before = changes.get();
        Optional<Node> found = path.isBucket() ? bucket(path.bucket()) : key(path);
        keep(path, found, before);
        return found;
    }

    private Optional<Node> bucket(String bucket) {
        try {
            Instant created = backend.headBucket(bucket).creationDate();
            // A remote HeadBucket carries no creation date (EPOCH): show the mount time instead.
            return Optional.of(Node.dir(created == null || created.equals(Instant.EPOCH) ? mountedAt : created));
        } catch (S3Exception e) {
            if (Errno.isMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A key is a directory when keys lie under {@code key/} (a directory wins over a file of the
     * same name), else a file when the key exists. Over the local store that is two lookups of
     * their own (a directory's existence and a HEAD), whatever the size of the directory around it.
     */
    private Optional<Node> key(FusePath path) {
        if (isDirectory(path)) {
            return Optional.of(directory(path));
        }
        return head(path.bucket(), path.key())
                .map(meta -> Node.file(meta.size(), meta.lastModified(), meta.etag(),
                        PosixAttributes.of(meta.userMetadata())));
    }

    private boolean isDirectory(FusePath path) {
        if (local != null) {
            return local.hasKeysUnder(path.bucket(), path.dirPrefix());
        }
        ListPage under = backend.listObjects(path.bucket(), new ListRequest(path.dirPrefix(), "/", "", 1));
        return !under.objects().isEmpty() || !under.commonPrefixes().isEmpty();
    }

    /** A directory's time and attributes come from its marker ({@code dir/}); without one, the mount's start. */
    private Node directory(FusePath path) {
        return head(path.bucket(), path.markerKey())
                .map(marker -> Node.dir(marker.lastModified(), PosixAttributes.of(marker.userMetadata())))
                .orElseGet(() -> Node.dir(mountedAt));
    }

    private Optional<ObjectMeta> head(String bucket, String key) {
        try {
            return Optional.of(backend.headObject(bucket, key));
        } catch (S3Exception e) {
            if (Errno.isMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether a listing's entries carry their user metadata (the local store's do, a remote's do not). */
    boolean listingsCarryMetadata() {
        return local != null;
    }

    /** Where the changes stand: pass it to {@link #remember} for what the store says from now on. */
    long changes() {
        return changes.get();
    }

    /** Remembers what a listing (asked for when {@link #changes} was {@code before}) said about one entry. */
    void remember(FusePath path, Node node, long before) {
        keep(path, Optional.of(node), before);
    }

    /** Keeps an answer unless a change was made meanwhile (then it may be the state before the change). */
    private void keep(FusePath path, Optional<Node> found, long before) {
        nodes.put(path, found);
        if (changes.get() != before) {
            nodes.invalidate(path);
        }
    }

    /** Forgets {@code path} and what it was (or that it was missing): after a change made through the mount. */
    void forget(FusePath path) {
        changes.incrementAndGet();
        nodes.invalidate(path);
    }

    /** The buckets, for the root directory. */
    List<BucketInfo> buckets() {
        return backend.listBuckets();
    }
}
