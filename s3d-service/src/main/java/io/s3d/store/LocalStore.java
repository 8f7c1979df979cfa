package io.s3d.store;

import io.s3d.backend.BucketInfo;
import io.s3d.backend.BucketNames;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.MultipartBackend.CompletedPart;
import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.MultipartBackend.CopyTarget;
import io.s3d.backend.MultipartBackend.Part;
import io.s3d.backend.MultipartBackend.PartsPage;
import io.s3d.backend.MultipartBackend.UploadSpec;
import io.s3d.backend.MultipartBackend.UploadsPage;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local store: buckets as directories, each key as a path of encoded segments ({@link KeyCodec}),
 * each object as one file holding its bytes and metadata ({@link ObjectFile}).
 *
 * <p>Durability: a new version is streamed to a temporary file under {@code .tmp}, fsynced,
 * renamed over the old one and the directory fsynced — only then is the write acknowledged. A
 * crash leaves the old version or the new one; temporary files are removed at start-up.
 */
public final class LocalStore implements ObjectBackend {
    static final String SEGMENT_NAME_FILE = ".name";
    static final String BUCKET_FILE = ".bucket";
    private static final String TMP_DIR = ".tmp";
    private static final String JOURNAL_DIR = ".journal";
    /** What recently completed multipart uploads made, so that a retried completion answers success. */
    private static final String COMPLETED_DIR = ".completed-uploads";
    /** A bucket's versioning status (absent: never versioned); see docs/architecture.md. */
    static final String VERSIONING_FILE = ".versioning";
    /** A bucket's lifecycle configuration (validated XML; absent: none). */
    static final String LIFECYCLE_FILE = ".lifecycle";
    /** A bucket's default encryption configuration (validated XML; absent: none). */
    static final String ENCRYPTION_FILE = ".encryption";
    /** A bucket's policy (validated JSON; absent: none). */
    static final String POLICY_FILE = ".policy";
    /** A bucket's CORS configuration (validated XML; absent: none). */
    static final String CORS_FILE = ".cors";
    private static final int MAX_KEY_BYTES = 1024;
    private static final int COPY_BUFFER = 256 * 1024;

    private final Path root;
    private final Path tmp;
    private final String region;
    private final DirectoryIndex index;
    private final StripedLocks locks = new StripedLocks(1024);
    private final com.github.benmanes.caffeine.cache.Cache<Path, GroupSync> directorySyncs =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakValues().build();
    private final long minFreeBytes;
    private java.nio.file.FileStore fileStore;
    private MultipartStore multipart;
    private VersionedKeys versions;
    /** Versioning status per bucket, read once from its {@code .versioning} file. */
    private final java.util.concurrent.ConcurrentHashMap<String, ObjectVersions.Status> versioning =
            new java.util.concurrent.ConcurrentHashMap<>();
    private ObjectLocks objectLocks;
    private ObjectLockStore objectLockStore;
    /** The small documents kept beside each bucket (CORS, policy, ACL, ...), by file name; read once, then from memory. */
    private final java.util.concurrent.ConcurrentHashMap<String, BucketDocument> documents =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The master keys of SSE-S3 and SSE-KMS objects (a key generated under {@code .keys} until configured). */
    private volatile io.s3d.store.crypto.MasterKeys masterKeys;
    private BucketDocument corsConfigurations;
    private BucketDocument policies;
    private BucketDocument lifecycles;
    private BucketDocument encryptions;

    private LocalStore(Path root, String region, long maxCachedListingEntries, long minFreeBytes) {
        this.root = root;
        this.minFreeBytes = minFreeBytes;
        this.tmp = root.resolve(TMP_DIR);
        this.region = region;
        this.index = new DirectoryIndex(maxCachedListingEntries);
    }

    /** Opens (creating if needed) the store at {@code root} and removes what a crash left behind. */
    public static LocalStore open(Path root, String region, long maxCachedListingEntries, long minFreeBytes)
            throws IOException {
        return open(root, region, maxCachedListingEntries, minFreeBytes, java.time.Clock.systemUTC());
    }

    /** {@link #open(Path, String, long, long)} with the clock Object Lock retentions are judged by. */
    public static LocalStore open(Path root, String region, long maxCachedListingEntries, long minFreeBytes,
            java.time.Clock clock) throws IOException {
        DurableFiles.createDirectories(root);
        LocalStore store = new LocalStore(root.toRealPath(), region, maxCachedListingEntries, minFreeBytes);
        store.cleanTemporaryFiles();
        store.masterKeys = io.s3d.store.crypto.MasterKeys.generatedIn(store.root.resolve(".keys")
                .resolve("master.key"));
        store.fileStore = Files.getFileStore(store.root);
        store.multipart = new MultipartStore(store.root, store.tmp);
        store.objectLocks = new ObjectLocks(store.tmp, clock);
        store.corsConfigurations = store.document(CORS_FILE);
        store.policies = store.document(POLICY_FILE);
        store.lifecycles = store.document(LIFECYCLE_FILE);
        store.encryptions = store.document(ENCRYPTION_FILE);
        VersionJournal journal = new VersionJournal(store.root.resolve(JOURNAL_DIR));
        store.versions = new VersionedKeys(store, journal);
        store.objectLockStore = new ObjectLockStore(store, store.objectLocks, store.versions);
        store.repairVersionedKeys(journal);
        return store;
    }

    /** Encrypts and decrypts SSE-S3 and SSE-KMS objects with these master keys (the key file's) from now on. */
    public void useMasterKeys(io.s3d.store.crypto.MasterKeys keys) {
        this.masterKeys = keys;
    }

    /**
     * How a write to {@code bucket} with these stored headers and SSE-C key is kept on disk: as they
     * ask, or when they ask for no encryption, as the bucket's default encryption says.
     */
    private io.s3d.store.crypto.Sealing sealing(String bucket, Map<String, String> headers,
            Optional<byte[]> customerKey) {
        Map<String, String> sealed = headers;
        Optional<byte[]> bucketDefault = customerKey.isPresent()
                || io.s3d.store.crypto.DefaultEncryption.asked(headers) ? Optional.empty() : bucketEncryption(bucket);
        if (bucketDefault.isPresent()) {
            sealed = new java.util.LinkedHashMap<>(headers);
            sealed.putAll(io.s3d.store.crypto.DefaultEncryption.headers(bucketDefault.get()));
        }
        return io.s3d.store.crypto.Sealing.forWrite(sealed, customerKey, masterKeys, region);
    }

    /** Finishes or undoes the versioned changes a crash interrupted (their intents name the keys). */
    private void repairVersionedKeys(VersionJournal journal) throws IOException {
        for (VersionJournal.Intent intent : journal.pending()) {
            Optional<Path> bucketDir = bucketDir(intent.bucket());
            if (bucketDir.isPresent()) {
                versions.repair(bucketDir.get(), intent);
            }
            journal.end(intent);
        }
    }

    /** Bytes free for s3d on the store's file system. */
    public long usableBytes() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The free-space floor below which writes are refused (503 SlowDown) and readiness fails. */
    public long minFreeBytes() {
        return minFreeBytes;
    }

    /**
     * Refuses a write that would take the disk below the floor: a full disk must not tear a write
     * half-way, and readers and the queue still need room.
     */
    private void checkRoomFor(long contentLength) {
        if (usableBytes() - Math.max(0, contentLength) < minFreeBytes) {
            throw new S3Exception(S3ErrorCode.SLOW_DOWN, "s3d's local disk is nearly full; please retry later.");
        }
    }

    public Path root() {
        return root;
    }

    /** Directory for temporary files on the store's file system (for renames into the store). */
    public Path tmpDir() {
        return tmp;
    }

    private void cleanTemporaryFiles() throws IOException {
        if (Files.isDirectory(tmp)) {
            try (var walk = Files.walk(tmp)) {
                List<Path> paths = walk.sorted(java.util.Comparator.reverseOrder()).toList();
                for (Path path : paths) {
                    if (!path.equals(tmp)) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
        Files.createDirectories(tmp);
    }

    // ---------------------------------------------------------------- buckets

    @Override
    public List<BucketInfo> listBuckets() {
        List<BucketInfo> buckets = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
            for (Path dir : stream) {
                String name = dir.getFileName().toString();
                if (BucketNames.isValid(name) && Files.isRegularFile(dir.resolve(BUCKET_FILE))) {
                    buckets.add(readBucket(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buckets.sort((a, b) -> a.name().compareTo(b.name()));
        return buckets;
    }

    @Override
    public void createBucket(String bucket) {
        createBucket(bucket, false);
    }

    /** With Object Lock, the bucket is born versioned and locked: both files are in it before it appears. */
    @Override
    public void createBucket(String bucket, boolean objectLockEnabled) {
        BucketNames.check(bucket);
        Path dir = root.resolve(bucket);
        versioning.remove(bucket);
        objectLocks.forget(bucket);
        documents.values().forEach(document -> document.forget(bucket));
        if (Files.exists(dir.resolve(BUCKET_FILE))) {
            throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU).withResource("/" + bucket)
                    .withElements(Map.of("BucketName", bucket));
        }
        try {
            Path staging = tmp.resolve("bucket-" + UUID.randomUUID());
            Files.createDirectory(staging);
            DurableFiles.writeNew(staging.resolve(BUCKET_FILE),
                    MetaCodec.encodeTags(Long.toString(System.currentTimeMillis()), Map.of()));
            if (objectLockEnabled) {
                DurableFiles.writeNew(staging.resolve(VERSIONING_FILE),
                        ObjectVersions.Status.ENABLED.xml().getBytes(StandardCharsets.UTF_8));
                DurableFiles.writeNew(staging.resolve(ObjectLocks.CONFIG_FILE),
                        ObjectLocks.encode(io.s3d.backend.ObjectLock.Configuration.ENABLED)
                                .getBytes(StandardCharsets.UTF_8));
            }
            DurableFiles.syncDirectory(staging);
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // A concurrent request created the bucket first. rename(2) then fails with EEXIST or
                // ENOTEMPTY, which the JDK reports as FileAlreadyExists, DirectoryNotEmpty or (for a
                // move onto a non-empty directory) a plain FileSystemException.
                deleteTree(staging);
                if (!Files.isRegularFile(dir.resolve(BUCKET_FILE))) {
                    throw e;
                }
                throw new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU).withResource("/" + bucket)
                        .withElements(Map.of("BucketName", bucket));
            }
            DurableFiles.syncDirectory(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BucketInfo headBucket(String bucket) {
        requireBucket(bucket);
        return readBucket(bucket);
    }

    @Override
    public void deleteBucket(String bucket) {
        Path dir = requireBucket(bucket);
        try {
            if (hasObjects(dir)) {
                throw new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY).withResource("/" + bucket)
                        .withElements(Map.of("BucketName", bucket));
            }
            Path trash = tmp.resolve("deleted-" + UUID.randomUUID());
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            versioning.remove(bucket);
                    objectLocks.forget(bucket);
            documents.values().forEach(document -> document.forget(bucket));
            DurableFiles.syncDirectory(root);
            deleteTree(trash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean hasObjects(Path dir) throws IOException {
        if (new KeyWalker(index).first(dir, new KeyWalker.Bound(KeyWalker.BoundKind.AT_OR_AFTER, "")) != null) {
            return true;
        }
        // Noncurrent versions and delete markers keep a bucket from being deleted, as in S3.
        return Files.exists(dir.resolve(VERSIONING_FILE)) && !new VersionListing(dir)
                .page(new ObjectVersions.ListRequest("", null, null, null, 1)).versions().isEmpty();
    }

    // ---------------------------------------------------------------- versioning

    @Override
    public ObjectVersions.Status bucketVersioning(String bucket) {
        return status(bucket, requireBucket(bucket));
    }

    private ObjectVersions.Status status(String bucket, Path bucketDir) {
        ObjectVersions.Status known = versioning.get(bucket);
        if (known != null) {
            return known;
        }
        ObjectVersions.Status read;
        try {
            read = switch (Files.readString(bucketDir.resolve(VERSIONING_FILE), StandardCharsets.UTF_8).trim()) {
                case "Enabled" -> ObjectVersions.Status.ENABLED;
                case "Suspended" -> ObjectVersions.Status.SUSPENDED;
                default -> throw new IOException("unknown versioning status in " + bucketDir.resolve(VERSIONING_FILE));
            };
        } catch (NoSuchFileException e) {
            read = ObjectVersions.Status.UNVERSIONED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        versioning.put(bucket, read);
        return read;
    }

    @Override
    public void putBucketVersioning(String bucket, ObjectVersions.Status status) {
        Path dir = requireBucket(bucket);
        if (status == ObjectVersions.Status.UNVERSIONED) {
            throw new IllegalArgumentException("a bucket cannot return to unversioned");
        }
        if (status != ObjectVersions.Status.ENABLED && objectLocks.configuration(bucket, dir).isPresent()) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE, "An Object Lock configuration is present on "
                    + "this bucket, so the versioning state cannot be changed.");
        }
        try {
            replaceSmallFile(dir, VERSIONING_FILE, status.xml().getBytes(StandardCharsets.UTF_8));
            versioning.put(bucket, status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version id a new version written to the bucket now gets, or null in an unversioned bucket. */
    private String newVersionId(String bucket, Path bucketDir) {
        return switch (status(bucket, bucketDir)) {
            case UNVERSIONED -> null;
            case ENABLED -> VersionedKeys.newVersionId();
            case SUSPENDED -> ObjectVersions.NULL_ID;
        };
    }

    /** The metadata of a new version, carrying its version id where the bucket is versioned. */
    private MetaFactory versioned(String bucket, Path bucketDir, MetaFactory factory) {
        MetaFactory locked = locked(bucket, bucketDir, factory);
        String versionId = newVersionId(bucket, bucketDir);
        if (versionId == null) {
            return locked;
        }
        return (size, etag) -> locked.create(size, etag).withHeader(ObjectMeta.VERSION_ID, versionId);
    }

    /** The metadata of a new version with its Object Lock: as asked, or the bucket's default retention. */
    private MetaFactory locked(String bucket, Path bucketDir, MetaFactory factory) {
        Optional<io.s3d.backend.ObjectLock.Configuration> lock = objectLocks.configuration(bucket, bucketDir);
        if (lock.isPresent()) {
            return (size, etag) -> objectLocks.newVersion(lock.get(), factory.create(size, etag));
        }
        return (size, etag) -> {
            ObjectMeta meta = factory.create(size, etag);
            if (io.s3d.backend.ObjectLock.requested(meta.headers())) {
                throw ObjectLockStore.missingConfiguration(true);
            }
            return meta;
        };
    }

    /** A version as stored in {@code file}, with its Object Lock as last changed (in a bucket that has Object Lock). */
    private ObjectMeta withLock(String bucket, Path bucketDir, Path file, ObjectMeta meta) throws IOException {
        if (objectLocks.configuration(bucket, bucketDir).isEmpty()) {
            return meta;
        }
        return objectLocks.withCurrentLock(file, meta);
    }

    /** A stored object as a client of a versioned bucket sees it: with its version id, {@code null} included. */
    private ObjectMeta withVersionId(String bucket, Path bucketDir, ObjectMeta meta) {
        if (meta.versionId().isPresent() || status(bucket, bucketDir) == ObjectVersions.Status.UNVERSIONED) {
            return meta;
        }
        return meta.withHeader(ObjectMeta.VERSION_ID, ObjectVersions.NULL_ID);
    }

    /** NoSuchKey, with the delete marker's headers when the key's current version is one (as S3 answers). */
    S3Exception missingKey(String bucket, Path bucketDir, String key, Path target) {
        S3Exception missing = noSuchKey(bucket, key);
        if (status(bucket, bucketDir) == ObjectVersions.Status.UNVERSIONED) {
            return missing;
        }
        try {
            List<VersionedKeys.Entry> entries = VersionedKeys.history(VersionedKeys.versionsDir(target));
            if (!entries.isEmpty() && entries.get(0).marker()) {
                return missing.withHeaders(Map.of("x-amz-delete-marker", "true", ObjectMeta.VERSION_ID,
                        entries.get(0).versionId()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return missing;
    }

    /** One version of a key: NoSuchVersion when there is none, 405 MethodNotAllowed for a delete marker. */
    VersionedKeys.Entry requireVersion(String bucket, String key, Path target, String versionId)
            throws IOException {
        checkVersionId(versionId);
        for (VersionedKeys.Entry entry : versions.versions(target)) {
            if (entry.versionId().equals(versionId)) {
                if (entry.marker()) {
                    throw new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED).withResource("/" + bucket + "/" + key)
                            .withElements(Map.of("Method", "GET", "ResourceType", "DeleteMarker"))
                            .withHeaders(Map.of("x-amz-delete-marker", "true", ObjectMeta.VERSION_ID, versionId,
                                    "Allow", "DELETE"));
                }
                return entry;
            }
        }
        throw new S3Exception(S3ErrorCode.NO_SUCH_VERSION).withResource("/" + bucket + "/" + key)
                .withElements(Map.of("Key", key, "VersionId", versionId));
    }

    private static void checkVersionId(String versionId) {
        if (versionId.isEmpty() || !VersionedKeys.wellFormed(versionId)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
                    .withElements(Map.of("ArgumentName", "versionId", "ArgumentValue", versionId));
        }
    }

    /** A version is read whole from its file; the caller applies {@code range} (as for {@link #getObject}). */
    @Override
    public ObjectData getObjectVersion(String bucket, String key, String versionId, String range) {
        if (versionId == null) {
            return getObject(bucket, key);
        }
        Path bucketDir = requireBucket(bucket);
        checkKeyForRead(bucket, key);
        Path target = objectPath(bucketDir, key);
        try {
            VersionedKeys.Entry entry = requireVersion(bucket, key, target, versionId);
            FileChannel channel;
            try {
                channel = FileChannel.open(entry.file(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                // Removed since we looked: as if we had looked a moment later.
                throw new S3Exception(S3ErrorCode.NO_SUCH_VERSION).withResource("/" + bucket + "/" + key)
                        .withElements(Map.of("Key", key, "VersionId", versionId));
            }
            try {
                ObjectFile.Stored stored = ObjectFile.read(channel);
                ObjectMeta meta = withVersionId(bucket, bucketDir, withLock(bucket, bucketDir, entry.file(),
                        withCurrentTags(entry.file(), stored.meta())));
                return new LocalObjectData(meta, channel, entry.file(), tmp, stored.encrypted(), masterKeys);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectMeta headObjectVersion(String bucket, String key, String versionId) {
        try (ObjectData data = getObjectVersion(bucket, key, versionId)) {
            return data.meta();
        }
    }

    @Override
    public ObjectVersions.Deleted deleteObjectVersion(String bucket, String key, String versionId) {
        return deleteObjectVersion(bucket, key, versionId, false);
    }

    /** Removes a version for good, unless its Object Lock protects it (403 AccessDenied). */
    @Override
    public ObjectVersions.Deleted deleteObjectVersion(String bucket, String key, String versionId,
            boolean bypassGovernance) {
        if (versionId == null) {
            return delete(bucket, key, true);
        }
        Path bucketDir = requireBucket(bucket);
        checkVersionId(versionId);
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return new ObjectVersions.Deleted(versionId, false);
        }
        Path target = objectPath(bucketDir, key);
        ReentrantLock lock = locks.lockFor(bucket, key);
        lock.lock();
        try {
            objectLockStore().checkDeletable(bucket, bucketDir, target, versionId, bypassGovernance);
            return versions.deleteVersion(bucketDir, bucket, key, target, versionId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, String> getObjectTags(String bucket, String key, String versionId) {
        return versionId == null ? getObjectTags(bucket, key) : headObjectVersion(bucket, key, versionId).tags();
    }

    @Override
    public void putObjectTags(String bucket, String key, String versionId, Map<String, String> tags) {
        if (versionId == null) {
            putObjectTags(bucket, key, tags);
            return;
        }
        Path bucketDir = requireBucket(bucket);
        checkKeyForRead(bucket, key);
        Path target = objectPath(bucketDir, key);
        ReentrantLock lock = locks.lockFor(bucket, key);
        lock.lock();
        try {
            VersionedKeys.Entry entry = requireVersion(bucket, key, target, versionId);
            ObjectMeta meta = VersionedKeys.readMeta(entry.file());
            if (meta == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_VERSION).withElements(Map.of("Key", key, "VersionId",
                        versionId));
            }
            Path tagsFile = tagsFile(entry.file(), meta);
            replaceSmallFile(tagsFile.getParent(), tagsFile.getFileName().toString(),
                    MetaCodec.encodeTags(meta.generation(), tags));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ObjectVersions.Page listObjectVersions(String bucket, ObjectVersions.ListRequest request) {
        Path bucketDir = requireBucket(bucket);
        try {
            return new VersionListing(bucketDir).page(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getBucketTags(String bucket) {
        Path dir = requireBucket(bucket);
        try {
            return MetaCodec.decodeBucket(Files.readAllBytes(dir.resolve(BUCKET_FILE))).tags();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void putBucketTags(String bucket, Map<String, String> tags) {
        Path dir = requireBucket(bucket);
        try {
            BucketFile current = MetaCodec.decodeBucket(Files.readAllBytes(dir.resolve(BUCKET_FILE)));
            replaceSmallFile(dir, BUCKET_FILE, MetaCodec.encodeTags(current.created(), tags));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- lifecycle configuration

    @Override
    public Optional<byte[]> bucketLifecycle(String bucket) {
        return lifecycles.read(bucket, () -> requireBucket(bucket)); // asked on every PUT, GET and HEAD (x-amz-expiration)
    }

    @Override
    public Optional<byte[]> bucketEncryption(String bucket) {
        return encryptions.read(bucket, () -> requireBucket(bucket)); // asked on every write
    }

    @Override
    public void putBucketEncryption(String bucket, byte[] configuration) {
        encryptions.replace(bucket, requireBucket(bucket), configuration);
    }

    @Override
    public void deleteBucketEncryption(String bucket) {
        encryptions.delete(bucket, requireBucket(bucket));
    }

    @Override
    public void putBucketLifecycle(String bucket, byte[] configuration) {
        lifecycles.replace(bucket, requireBucket(bucket), configuration);
    }

    @Override
    public void deleteBucketLifecycle(String bucket) {
        lifecycles.delete(bucket, requireBucket(bucket));
    }

    // ---------------------------------------------------------------- bucket policy

    @Override
    public Optional<byte[]> bucketPolicy(String bucket) {
        // asked on every request to the bucket once access control evaluates policies: served from memory
        return policies.read(bucket, () -> requireBucket(bucket));
    }

    @Override
    public void putBucketPolicy(String bucket, byte[] policy) {
        policies.replace(bucket, requireBucket(bucket), policy);
    }

    @Override
    public void deleteBucketPolicy(String bucket) {
        policies.delete(bucket, requireBucket(bucket));
    }

    // ---------------------------------------------------------------- CORS configuration

    @Override
    public Optional<byte[]> bucketCors(String bucket) {
        return corsConfigurations.read(bucket, () -> requireBucket(bucket));
    }

    @Override
    public void putBucketCors(String bucket, byte[] configuration) {
        corsConfigurations.replace(bucket, requireBucket(bucket), configuration);
    }

    @Override
    public void deleteBucketCors(String bucket) {
        corsConfigurations.delete(bucket, requireBucket(bucket));
    }

    private BucketInfo readBucket(String bucket) {
        try {
            BucketFile file = MetaCodec.decodeBucket(Files.readAllBytes(root.resolve(bucket).resolve(BUCKET_FILE)));
            return new BucketInfo(bucket, Instant.ofEpochMilli(Long.parseLong(file.created())), region);
        } catch (NoSuchFileException e) {
            throw noSuchBucket(bucket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kind of bucket document kept in the dot-file {@code fileName} of each bucket directory. */
    BucketDocument document(String fileName) {
        return documents.computeIfAbsent(fileName, name -> new BucketDocument(name, tmp));
    }

    Path requireBucket(String bucket) {
        if (!BucketNames.isValid(bucket)) {
            throw noSuchBucket(bucket);
        }
        Path dir = root.resolve(bucket);
        if (!Files.isRegularFile(dir.resolve(BUCKET_FILE))) {
            throw noSuchBucket(bucket);
        }
        return dir;
    }

    private static S3Exception noSuchBucket(String bucket) {
        return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).withResource("/" + bucket)
                .withElements(Map.of("BucketName", bucket));
    }

    // ---------------------------------------------------------------- object lock (see ObjectLockStore)

    private ObjectLockStore objectLockStore() {
        return objectLockStore;
    }

    /** The lock of the key's writes, shared by every change to it. */
    ReentrantLock keyLock(String bucket, String key) {
        return locks.lockFor(bucket, key);
    }

    @Override
    public Optional<io.s3d.backend.ObjectLock.Configuration> objectLockConfiguration(String bucket) {
        return objectLockStore.configuration(bucket);
    }

    @Override
    public void putObjectLockConfiguration(String bucket, io.s3d.backend.ObjectLock.Configuration configuration) {
        objectLockStore.putConfiguration(bucket, configuration);
    }

    @Override
    public io.s3d.backend.ObjectLock.State objectLockState(String bucket, String key, String versionId) {
        return objectLockStore.state(bucket, key, versionId);
    }

    @Override
    public void putObjectRetention(String bucket, String key, String versionId,
            Optional<io.s3d.backend.ObjectLock.Retention> retention, boolean bypassGovernance) {
        objectLockStore.change(bucket, key, versionId, current -> {
            RetentionRules.checkChange(current.retention(), retention, bypassGovernance, objectLockStore.now());
            return new io.s3d.backend.ObjectLock.State(retention, current.legalHold());
        });
    }

    @Override
    public void putObjectLegalHold(String bucket, String key, String versionId, boolean on) {
        objectLockStore.change(bucket, key, versionId,
                current -> new io.s3d.backend.ObjectLock.State(current.retention(), Optional.of(on)));
    }

    /** A copy's headers: its content headers and the Object Lock the copy request asked for. */
    private static Map<String, String> withObjectLock(Map<String, String> headers, Map<String, String> lock) {
        if (lock.isEmpty()) {
            return headers;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(lock);
        return all;
    }

    // ---------------------------------------------------------------- objects

    @Override
    public ObjectMeta putObject(PutRequest request) {
        try (Traced span = Traces.span("s3d.store.put")) {
            span.set("aws.s3.bucket", request.bucket());
            Path bucketDir = requireBucket(request.bucket());
            checkKey(request.key());
            checkRoomFor(request.contentLength());
            io.s3d.store.crypto.Sealing sealing = sealing(request.bucket(), request.headers(), request.customerKey());
            return storeObject(bucketDir, request.bucket(), request.key(), request.body(), request.contentLength(),
                    request.contentMd5(), sealing, versioned(request.bucket(), bucketDir, (size, etag) -> new ObjectMeta(
                            request.key(), size, etag, Instant.now(), sealing.headers(), request.userMetadata(),
                            request.checksums().get(), request.tags(), 0, UUID.randomUUID().toString())),
                    request.condition());
        }
    }

    /**
     * A new version of a key streamed into a temporary object file and fsynced, not yet visible:
     * {@link #commit()} makes it the key's current version; closing an uncommitted one removes it.
     * Lets a caller stream bodies without holding any lock and serialise only the commits.
     */
    public final class PreparedObject implements AutoCloseable {
        private final Path bucketDir;
        private final String bucket;
        private final String key;
        private final Path temp;
        private final ObjectMeta meta;
        private boolean committed;

        private PreparedObject(Path bucketDir, String bucket, String key, Path temp, ObjectMeta meta) {
            this.bucketDir = bucketDir;
            this.bucket = bucket;
            this.key = key;
            this.temp = temp;
            this.meta = meta;
        }

        public ObjectMeta meta() {
            return meta;
        }

        /** Renames the new version into place (the last commit of a key wins) and fsyncs the directory. */
        public void commit() {
            try {
                LocalStore.this.commit(bucketDir, bucket, key, temp, io.s3d.backend.WriteCondition.NONE);
                committed = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (!committed) {
                deleteQuietly(temp);
            }
        }
    }

    /** Streams a PUT's body into a {@link PreparedObject} (checks, Content-MD5, fsync), without committing it. */
    public PreparedObject prepareObject(PutRequest request) {
        try (Traced span = Traces.span("s3d.store.write")) {
            span.set("aws.s3.bucket", request.bucket());
            Path bucketDir = requireBucket(request.bucket());
            checkKey(request.key());
            checkRoomFor(request.contentLength());
            Path temp = tmp.resolve("put-" + UUID.randomUUID());
            boolean prepared = false;
            try {
                io.s3d.store.crypto.Sealing sealing = sealing(request.bucket(), request.headers(),
                        request.customerKey());
                ObjectMeta meta = writeObjectFile(temp, request.body(), request.contentLength(), request.contentMd5(),
                        sealing, versioned(request.bucket(), bucketDir, (size, etag) -> new ObjectMeta(request.key(),
                                size, etag, Instant.now(), sealing.headers(), request.userMetadata(),
                                request.checksums().get(), request.tags(), 0, UUID.randomUUID().toString())));
                prepared = true;
                return new PreparedObject(bucketDir, request.bucket(), request.key(), temp, meta);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (!prepared) {
                    deleteQuietly(temp);
                }
            }
        }
    }

    /** Streams a new version into a temporary object file and commits it; nothing is left behind on failure. */
    private ObjectMeta storeObject(Path bucketDir, String bucket, String key, InputStream body, long length,
            Optional<String> contentMd5, io.s3d.store.crypto.Sealing sealing, MetaFactory metaFactory,
            io.s3d.backend.WriteCondition condition) {
        Path temp = tmp.resolve("put-" + UUID.randomUUID());
        boolean moved = false;
        try {
            ObjectMeta meta = writeObjectFile(temp, body, length, contentMd5, sealing, metaFactory);
            commit(bucketDir, bucket, key, temp, condition);
            moved = true;
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** Builds an object's metadata once its size and MD5 ETag are known. */
    private interface MetaFactory {
        ObjectMeta create(long size, String etag);
    }

    /**
     * Streams a body into a new object file (content, in the clear or encrypted as {@code sealing}
     * says; MD5, Content-MD5 check, trailer, fsync).
     */
    private static ObjectMeta writeObjectFile(Path temp, InputStream body, long length, Optional<String> contentMd5,
            io.s3d.store.crypto.Sealing sealing, MetaFactory metaFactory) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            io.s3d.store.crypto.EncryptingWriter encrypting = sealing.key().isEmpty() ? null
                    : io.s3d.store.crypto.EncryptingWriter.start(channel, sealing.key().get());
            Written written = writeContent(channel, encrypting, body, length);
            if (contentMd5.isPresent()) {
                checkContentMd5(contentMd5.get(), written.md5);
            }
            long stored = encrypting == null ? written.size : encrypting.finish();
            ObjectMeta meta = metaFactory.create(written.size, sealing.etag(written.md5));
            ObjectFile.writeTrailer(channel, meta, stored, encrypting != null);
            channel.force(false);
            return meta;
        }
    }

    /**
     * Makes a fully written, fsynced object file the current version of a key: under the key's
     * lock (so conditional writes are decided against the version they replace), rename it into
     * place and fsync the directory.
     */
    void commit(Path bucketDir, String bucket, String key, Path temp, io.s3d.backend.WriteCondition condition)
            throws IOException {
        Path target = objectPath(bucketDir, key);
        ReentrantLock lock = locks.lockFor(bucket, key);
        lock.lock();
        try {
            if (!condition.isNone()) {
                condition.check(readMetaOrNull(target));
            }
            if (status(bucket, bucketDir) != ObjectVersions.Status.UNVERSIONED) {
                versions.put(bucketDir, bucket, key, target, temp);
                return;
            }
            for (int attempt = 0;; attempt++) {
                ensureParents(bucketDir, key, target.getParent());
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    break;
                } catch (NoSuchFileException e) {
                    // A concurrent delete removed an empty parent directory between our mkdir and the rename.
                    if (attempt > 10 || !Files.exists(temp)) {
                        throw e;
                    }
                }
            }
            directorySync(target.getParent()).sync();
            index.invalidate(target.getParent());
            Files.deleteIfExists(tagsPath(target));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The group commit of a directory's fsync: PUTs renamed into one directory at the same time
     * share one fsync that began after all their renames, instead of queueing for one each (at
     * 4 KiB the directory fsync is half of a PUT's time, docs/architecture.md). Held weakly: a
     * directory nobody is syncing costs no memory, and a new instance simply fsyncs afresh.
     */
    private GroupSync directorySync(Path dir) {
        return directorySyncs.get(dir, GroupSync::new);
    }

    private record Written(long size, byte[] md5) {
    }

    private static Written writeContent(FileChannel channel, io.s3d.store.crypto.EncryptingWriter encrypting,
            InputStream body, long expectedLength) throws IOException {
        MessageDigest md5 = md5();
        byte[] buffer = new byte[expectedLength > 0 ? (int) Math.min(expectedLength, COPY_BUFFER) : 64 * 1024];
        long total = 0;
        int read;
        // The buffer is filled before it is hashed and written: the request body arrives in Netty's
        // 8 KiB chunks, and one write(2) and one digest update per chunk cost 32 times the system
        // calls of one per 256 KiB (the profile of a 64 MiB PUT, docs/architecture.md).
        while ((read = body.readNBytes(buffer, 0, buffer.length)) > 0) {
            md5.update(buffer, 0, read);
            if (encrypting != null) {
                encrypting.write(buffer, 0, read);
            } else {
                ByteBuffer wrap = ByteBuffer.wrap(buffer, 0, read);
                while (wrap.hasRemaining()) {
                    channel.write(wrap);
                }
            }
            total += read;
            if (expectedLength >= 0 && total > expectedLength) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The request body is longer than its declared length.");
            }
        }
        if (expectedLength >= 0 && total != expectedLength) {
            throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
        }
        return new Written(total, md5.digest());
    }

    private static void checkContentMd5(String contentMd5, byte[] actual) {
        byte[] declared;
        try {
            declared = Base64.getDecoder().decode(contentMd5.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
        if (declared.length != 16) {
            throw new S3Exception(S3ErrorCode.INVALID_DIGEST);
        }
        if (!MessageDigest.isEqual(declared, actual)) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST).withElements(Map.of("ExpectedDigest",
                    HexFormat.of().formatHex(declared), "CalculatedDigest", Base64.getEncoder().encodeToString(actual)));
        }
    }

    @Override
    public ObjectData getObject(String bucket, String key) {
        try (Traced span = Traces.span("s3d.store.open")) {
            span.set("aws.s3.bucket", bucket);
            Path bucketDir = requireBucket(bucket);
            checkKeyForRead(bucket, key);
            Path path = objectPath(bucketDir, key);
            FileChannel channel;
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw missingKey(bucket, bucketDir, key, path);
            } catch (IOException e) {
                if (Files.isDirectory(path)) {
                    throw noSuchKey(bucket, key);
                }
                throw new UncheckedIOException(e);
            }
            try {
                ObjectFile.Stored stored = ObjectFile.read(channel);
                ObjectMeta meta = withVersionId(bucket, bucketDir,
                        withLock(bucket, bucketDir, path, withCurrentTags(path, stored.meta())));
                return new LocalObjectData(meta, channel, path, tmp, stored.encrypted(), masterKeys);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public ObjectMeta headObject(String bucket, String key) {
        try (Traced span = Traces.span("s3d.store.head")) {
            span.set("aws.s3.bucket", bucket);
            Path bucketDir = requireBucket(bucket);
            checkKeyForRead(bucket, key);
            Path path = objectPath(bucketDir, key);
            ObjectMeta meta = readMetaOrNull(path);
            if (meta == null) {
                throw missingKey(bucket, bucketDir, key, path);
            }
            try {
                return withVersionId(bucket, bucketDir, withLock(bucket, bucketDir, path, meta));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Whether any key starts with {@code dirPrefix} (which ends with {@code /}): one look at the
     * directory that holds such keys, not a listing, so it costs the same however many keys sit
     * beside it. Emptied directories are removed with their last key, so an existing one holds keys.
     */
    public boolean hasKeysUnder(String bucket, String dirPrefix) {
        Path bucketDir = requireBucket(bucket);
        if (!dirPrefix.endsWith("/")) {
            throw new IllegalArgumentException("not a directory prefix: " + dirPrefix);
        }
        if (dirPrefix.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return false;
        }
        Path dir = objectPath(bucketDir, dirPrefix).getParent();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().equals(SEGMENT_NAME_FILE)) {
                    return true;
                }
            }
            return false;
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void deleteObject(String bucket, String key) {
        try (Traced span = Traces.span("s3d.store.delete")) {
            span.set("aws.s3.bucket", bucket);
            delete(bucket, key, true);
        }
    }

    /**
     * Deletes a key without waiting for the deletion to reach the disk: for copies whose comeback
     * after a power cut is harmless (the write queue removes leftovers it no longer needs at start).
     */
    public void discardObject(String bucket, String key) {
        delete(bucket, key, false);
    }

    private ObjectVersions.Deleted delete(String bucket, String key, boolean durable) {
        Path bucketDir = requireBucket(bucket);
        ObjectVersions.Status status = status(bucket, bucketDir);
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return ObjectVersions.Deleted.UNVERSIONED;
        }
        Path target = objectPath(bucketDir, key);
        ReentrantLock lock = locks.lockFor(bucket, key);
        lock.lock();
        try {
            if (status != ObjectVersions.Status.UNVERSIONED) {
                return versions.addDeleteMarker(bucketDir, bucket, key, target,
                        status == ObjectVersions.Status.SUSPENDED);
            }
            boolean deleted = Files.deleteIfExists(target);
            Files.deleteIfExists(tagsPath(target));
            if (deleted) {
                if (durable) {
                    try {
                        DurableFiles.syncDirectory(target.getParent());
                    } catch (NoSuchFileException e) {
                        // A concurrent delete of the last sibling already removed the emptied directory.
                    }
                }
                index.invalidate(target.getParent());
                removeEmptyParents(bucketDir, target.getParent());
            }
            return ObjectVersions.Deleted.UNVERSIONED;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putObjectTags(String bucket, String key, Map<String, String> tags) {
        Path bucketDir = requireBucket(bucket);
        checkKeyForRead(bucket, key);
        Path target = objectPath(bucketDir, key);
        ReentrantLock lock = locks.lockFor(bucket, key);
        lock.lock();
        try {
            ObjectMeta meta = readMetaOrNull(target);
            if (meta == null) {
                throw noSuchKey(bucket, key);
            }
            Path tagsFile = tagsFile(target, meta);
            replaceSmallFile(tagsFile.getParent(), tagsFile.getFileName().toString(),
                    MetaCodec.encodeTags(meta.generation(), tags));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ListPage listObjects(String bucket, ListRequest request) {
        try (Traced span = Traces.span("s3d.store.list")) {
            span.set("aws.s3.bucket", bucket);
            Path bucketDir = requireBucket(bucket);
            try {
                return new LocalListing(new KeyWalker(index), bucketDir).page(request, this::readMetaOrNull);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------- multipart and copy

    @Override
    public String createMultipartUpload(UploadSpec requested) {
        if (requested.headers().containsKey(io.s3d.store.crypto.Sealing.CUSTOMER_ALGORITHM)) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "s3d does not take multipart uploads encrypted with a "
                    + "customer-provided key (SSE-C): the completion carries no key to encrypt the whole object with. "
                    + "Upload it in one PUT (up to 5 GiB), or use SSE-S3 or SSE-KMS.");
        }
        // an unknown KMS key is refused now, not at completion; the key id is kept as s3d answers it
        UploadSpec spec = new UploadSpec(requested.bucket(), requested.key(),
                sealing(requested.bucket(), requested.headers(), Optional.empty()).headers(),
                requested.userMetadata(), requested.tags(),
                requested.checksumAlgorithm(), requested.checksumType());
        requireBucket(spec.bucket());
        checkKey(spec.key());
        try {
            return multipart.create(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Part uploadPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
            Optional<String> contentMd5, java.util.function.Supplier<Map<String, String>> checksums) {
        requireBucket(bucket);
        checkPartNumber(partNumber);
        MultipartStore.UploadFile upload = multipart.require(bucket, key, uploadId);
        checkRoomFor(length);
        return storePart(upload, uploadId, partNumber, body, length, contentMd5, checksums,
                PartChecksum.forUpload(upload));
    }

    /**
     * A part whose bytes were copied from an object (UploadPartCopy done by a caller that reads the
     * source itself, as the write queue does): it gets the upload's checksum computed, as a copied part does.
     */
    public Part uploadCopiedPart(String bucket, String key, String uploadId, int partNumber, InputStream body,
            long length) {
        requireBucket(bucket);
        checkPartNumber(partNumber);
        MultipartStore.UploadFile upload = multipart.require(bucket, key, uploadId);
        checkRoomFor(length);
        return storePart(upload, uploadId, partNumber, body, length, Optional.empty(), Map::of,
                PartChecksum.forCopy(upload));
    }

    /**
     * Streams one part into its own file (the object file format) and renames it into its upload.
     * Each upload of a part writes its own file, so overlapping uploads of one part number never mix.
     */
    private Part storePart(MultipartStore.UploadFile upload, String uploadId, int partNumber, InputStream body,
            long length, Optional<String> contentMd5, java.util.function.Supplier<Map<String, String>> checksums,
            PartChecksum partChecksum) {
        Path temp = tmp.resolve("part-" + UUID.randomUUID());
        try {
            // A part of an encrypted upload is kept encrypted (SSE-S3, SSE-KMS: under the same master key).
            io.s3d.store.crypto.Sealing sealing = sealing(upload.bucket(), upload.headers(), Optional.empty());
            ObjectMeta meta = writeObjectFile(temp, partChecksum.watch(body), length, contentMd5,
                    new io.s3d.store.crypto.Sealing(sealing.key(), Map.of(), true),
                    (size, etag) -> new ObjectMeta("part-" + partNumber, size, etag, Instant.now(), Map.of(), Map.of(),
                            partChecksum.settle(checksums.get()), Map.of(), 0, UUID.randomUUID().toString()));
            multipart.commitPart(uploadId, partNumber, temp);
            return new Part(partNumber, meta.size(), meta.etag(), meta.lastModified(), meta.checksums());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(temp);
        }
    }

    @Override
    public Part uploadPartCopy(String bucket, String key, String uploadId, int partNumber, CopySource source) {
        requireBucket(bucket);
        checkPartNumber(partNumber);
        MultipartStore.UploadFile upload = multipart.require(bucket, key, uploadId);
        try (ObjectData opened = getObjectVersion(source.bucket(), source.key(), source.versionId())) {
            ObjectData data = io.s3d.store.crypto.CustomerKeys.open(opened, source.customerKey());
            ObjectMeta sourceMeta = data.meta();
            source.conditions().check(sourceMeta);
            long offset = 0;
            long length = sourceMeta.size();
            if (source.range().isPresent()) {
                long[] range = source.range().get();
                if (range[0] > range[1] || range[1] >= sourceMeta.size()) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "Range specified is not valid for source object of size: " + sourceMeta.size());
                }
                offset = range[0];
                length = range[1] - range[0] + 1;
            }
            checkRoomFor(length);
            return storePart(upload, uploadId, partNumber, data.open(offset, length), length, Optional.empty(),
                    Map::of,
                    PartChecksum.forCopy(upload));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectMeta completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
            io.s3d.backend.WriteCondition condition,
            java.util.function.BiFunction<io.s3d.backend.MultipartBackend.Upload, List<Part>, Map<String, String>> checksums) {
        Path bucketDir = requireBucket(bucket);
        MultipartStore.UploadFile upload;
        try {
            upload = multipart.require(bucket, key, uploadId);
        } catch (S3Exception e) {
            // A client that lost the answer retries: AWS answers success while the object is still that upload's.
            ObjectMeta done = completedBefore(bucket, key, uploadId);
            if (done != null) {
                return done;
            }
            throw e;
        }
        Path temp = tmp.resolve("complete-" + UUID.randomUUID());
        boolean moved = false;
        try (MultipartStore.ChosenParts open = multipart.validate(uploadId, parts)) {
            List<Part> chosen = open.parts();
            long total = chosen.stream().mapToLong(Part::size).sum();
            checkRoomFor(total);
            // checked (and refused) before any byte is copied
            Map<String, String> objectChecksums = checksums.apply(upload.toUpload(uploadId), chosen);
            ObjectMeta meta;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                io.s3d.store.crypto.Sealing sealing = sealing(upload.bucket(), upload.headers(), Optional.empty());
                long stored;
                String etag;
                if (sealing.encrypted() || open.anyEncrypted()) {
                    io.s3d.store.crypto.EncryptingWriter encrypting = sealing.key().isEmpty() ? null
                            : io.s3d.store.crypto.EncryptingWriter.start(channel, sealing.key().get());
                    etag = multipart.assembleDecrypted(open, channel, encrypting, masterKeys);
                    stored = encrypting == null ? total : encrypting.finish();
                } else {
                    etag = multipart.assemble(open, channel);
                    stored = total;
                }
                meta = versioned(bucket, bucketDir, (size, md5) -> new ObjectMeta(key, size, md5, Instant.now(),
                        sealing.headers(), upload.userMetadata(), objectChecksums,
                        upload.tags(), chosen.size(), UUID.randomUUID().toString(),
                        chosen.stream().map(Part::size).toList())).create(total, etag);
                ObjectFile.writeTrailer(channel, meta, stored, sealing.encrypted());
                channel.force(false);
            }
            commit(bucketDir, bucket, key, temp, condition);
            moved = true;
            recordCompletion(uploadId, bucket, key, meta.generation());
            multipart.delete(uploadId);
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        requireBucket(bucket);
        multipart.require(bucket, key, uploadId);
        try {
            multipart.delete(uploadId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this store has the multipart upload {@code uploadId} of this bucket and key (one small file read). */
    public boolean hasUpload(String bucket, String key, String uploadId) {
        try {
            multipart.require(bucket, key, uploadId);
            return true;
        } catch (S3Exception e) {
            return false;
        }
    }

    @Override
    public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
        requireBucket(bucket);
        MultipartStore.UploadFile upload = multipart.require(bucket, key, uploadId);
        try {
            return multipart.listParts(uploadId, upload, partNumberMarker, maxParts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public UploadsPage listMultipartUploads(String bucket, String prefix, String delimiter, String keyMarker,
            String uploadIdMarker, int maxUploads) {
        requireBucket(bucket);
        try {
            return multipart.list(bucket, prefix == null ? "" : prefix, delimiter, keyMarker, uploadIdMarker,
                    maxUploads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Aborts multipart uploads older than {@code maxAge}; returns how many were removed. */
    public int removeAbandonedUploads(java.time.Duration maxAge) {
        forgetCompletionsOlderThan(maxAge);
        return multipart.removeAbandoned(maxAge);
    }

    /**
     * Notes which object version an upload made (best effort, not fsynced: a note lost in a crash
     * only makes a retried completion answer NoSuchUpload, as before).
     */
    private void recordCompletion(String uploadId, String bucket, String key, String generation) throws IOException {
        Path dir = root.resolve(COMPLETED_DIR);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(uploadId), bucket + "\n" + generation + "\n" + key, StandardCharsets.UTF_8);
    }

    /** The object a finished upload made, when it is still the key's current version; else null. */
    private ObjectMeta completedBefore(String bucket, String key, String uploadId) {
        if (!uploadId.matches("[A-Za-z0-9_-]{16,64}")) {
            return null;
        }
        try {
            String[] note = Files.readString(root.resolve(COMPLETED_DIR).resolve(uploadId), StandardCharsets.UTF_8)
                    .split("\n", 3);
            if (note.length != 3 || !note[0].equals(bucket) || !note[2].equals(key)) {
                return null;
            }
            ObjectMeta current = headObject(bucket, key);
            return current.generation().equals(note[1]) ? current : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (S3Exception e) {
            return null; // the key is gone since
        }
    }

    private void forgetCompletionsOlderThan(java.time.Duration maxAge) {
        Instant cutoff = Instant.now().minus(maxAge);
        try (DirectoryStream<Path> notes = Files.newDirectoryStream(root.resolve(COMPLETED_DIR))) {
            for (Path note : notes) {
                if (Files.getLastModifiedTime(note).toInstant().isBefore(cutoff)) {
                    deleteQuietly(note);
                }
            }
        } catch (NoSuchFileException e) {
            // none yet
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectMeta copyObject(CopySource source, CopyTarget target) {
        Path bucketDir = requireBucket(target.bucket());
        checkKey(target.key());
        try (ObjectData opened = getObjectVersion(source.bucket(), source.key(), source.versionId())) {
            ObjectData data = io.s3d.store.crypto.CustomerKeys.open(opened, source.customerKey());
            ObjectMeta from = data.meta();
            source.conditions().check(from);
            boolean sameObject = source.bucket().equals(target.bucket()) && source.key().equals(target.key())
                    && source.versionId() == null;
            if (sameObject && target.replaceHeaders().isEmpty() && target.replaceTags().isEmpty()
                    && target.encryption().isEmpty() && target.customerKey().isEmpty()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it is trying "
                        + "to copy an object to itself without changing the object's metadata, storage class, "
                        + "website redirect location or encryption attributes.");
            }
            checkRoomFor(from.size());
            // x-amz-checksum-algorithm: that checksum of the copied bytes; otherwise the source's,
            // where it describes the whole content (not a composite of parts the copy no longer has)
            Optional<io.s3d.api.auth.ChecksumAlgorithm> algorithm = target.checksumAlgorithm()
                    .flatMap(io.s3d.api.auth.ChecksumAlgorithm::fromName);
            InputStream content = data.open(0, from.size());
            io.s3d.api.auth.HashingInputStream hashed = algorithm.isEmpty() ? null
                    : new io.s3d.api.auth.HashingInputStream(content, algorithm.get().newHasher());
            if (hashed != null) {
                content = hashed;
            }
            java.util.function.Supplier<Map<String, String>> checksums = () -> hashed == null
                    ? wholeContentChecksums(from) : Map.of(algorithm.get().name(), hashed.digestBase64());
            Map<String, String> headers = new java.util.LinkedHashMap<>(withObjectLock(target.replaceHeaders()
                    .orElse(from.contentHeaders()), target.objectLock()));
            headers.putAll(target.encryption());
            io.s3d.store.crypto.Sealing sealing = sealing(target.bucket(), headers, target.customerKey());
            return storeObject(bucketDir, target.bucket(), target.key(), content, from.size(),
                    Optional.empty(), sealing, versioned(target.bucket(), bucketDir, (size, etag) -> new ObjectMeta(
                            target.key(), size, etag, Instant.now(), sealing.headers(),
                            target.replaceUserMetadata().orElse(from.userMetadata()), checksums.get(),
                            target.replaceTags().orElse(from.tags()), 0, UUID.randomUUID().toString())),
                    target.condition());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checksums of an object that are of its whole content: all but composite ones ({@code …-N}). */
    private static Map<String, String> wholeContentChecksums(ObjectMeta meta) {
        Map<String, String> whole = new java.util.LinkedHashMap<>();
        meta.checksums().forEach((name, value) -> {
            if (!value.contains("-")) {
                whole.put(name, value);
            }
        });
        return whole;
    }

    private static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > 10_000) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                    .withElements(Map.of("ArgumentName", "partNumber", "ArgumentValue", Integer.toString(partNumber)));
        }
    }

    // ---------------------------------------------------------------- paths and files

    /** The file of a key: one directory per segment before the last, {@code .o} for the last. */
    static Path objectPath(Path bucketDir, String key) {
        Path dir = bucketDir;
        int start = 0;
        int slash;
        while ((slash = key.indexOf('/', start)) >= 0) {
            dir = dir.resolve(KeyCodec.baseName(key.substring(start, slash)) + KeyCodec.DIR_SUFFIX);
            start = slash + 1;
        }
        return dir.resolve(KeyCodec.baseName(key.substring(start)) + KeyCodec.OBJECT_SUFFIX);
    }

    static Path tagsPath(Path objectPath) {
        String name = objectPath.getFileName().toString();
        return objectPath.resolveSibling(name.substring(0, name.length() - 2) + KeyCodec.TAGS_SUFFIX);
    }

    /** Creates the directories of a key's path, each atomically with its {@code .name} when hashed. */
    void ensureParents(Path bucketDir, String key, Path parent) throws IOException {
        if (Files.isDirectory(parent)) {
            return;
        }
        Path dir = bucketDir;
        int start = 0;
        int slash;
        while ((slash = key.indexOf('/', start)) >= 0) {
            String segment = key.substring(start, slash);
            String base = KeyCodec.baseName(segment);
            Path next = dir.resolve(base + KeyCodec.DIR_SUFFIX);
            if (!Files.isDirectory(next)) {
                Path staging = tmp.resolve("dir-" + UUID.randomUUID());
                Files.createDirectory(staging);
                if (KeyCodec.isHashed(base)) {
                    DurableFiles.writeNew(staging.resolve(SEGMENT_NAME_FILE), segment.getBytes(StandardCharsets.UTF_8));
                }
                try {
                    Files.move(staging, next, StandardCopyOption.ATOMIC_MOVE);
                    DurableFiles.syncDirectory(dir);
                    index.invalidate(dir);
                } catch (java.nio.file.FileSystemException e) {
                    // A concurrent writer created it first (rename onto a non-empty directory fails with
                    // ENOTEMPTY, reported as a plain FileSystemException).
                    deleteTree(staging);
                    if (!Files.isDirectory(next)) {
                        throw e;
                    }
                }
            }
            dir = next;
            start = slash + 1;
        }
    }

    void invalidateListing(Path dir) {
        index.invalidate(dir);
    }

    void removeEmptyParents(Path bucketDir, Path dir) {
        while (!dir.equals(bucketDir)) {
            try {
                if (holdsMoreThanItsName(dir)) {
                    return; // e.g. the history of a deleted key: the directory (and its name) stays
                }
                Files.deleteIfExists(dir.resolve(SEGMENT_NAME_FILE));
                Files.delete(dir);
                index.invalidate(dir.getParent());
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return;
            }
            dir = dir.getParent();
        }
    }

    private static boolean holdsMoreThanItsName(Path dir) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path child : stream) {
                if (!child.getFileName().toString().equals(SEGMENT_NAME_FILE)) {
                    return true;
                }
            }
        }
        return false;
    }

    ObjectMeta readMetaOrNull(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return withCurrentTags(path, ObjectFile.readMeta(channel));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                return null;
            }
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where the tags of a stored version live once changed: beside the key ({@code <name>.t}) for an
     * object written without versioning, in the key's history ({@code <name>.v/<versionId>.t}) for
     * one written with it — the same place whether it is read as the current version or by its id.
     */
    static Path tagsFile(Path file, ObjectMeta meta) {
        Path parent = file.getParent();
        boolean inHistory = parent.getFileName().toString().endsWith(VersionedKeys.VERSIONS_SUFFIX);
        Path objectPath = inHistory ? VersionedKeys.objectPathOf(parent) : file;
        if (meta.versionId().isEmpty()) {
            return tagsPath(objectPath);
        }
        return VersionedKeys.versionsDir(objectPath).resolve(meta.versionId().get() + KeyCodec.TAGS_SUFFIX);
    }

    private ObjectMeta withCurrentTags(Path objectPath, ObjectMeta meta) throws IOException {
        Path tagsFile = tagsFile(objectPath, meta);
        if (!Files.exists(tagsFile)) {
            return meta; // the common case: tags never changed after the write (no exception on this hot path)
        }
        try {
            Map<String, String> tags = MetaCodec.decodeTags(Files.readAllBytes(tagsFile), meta.generation());
            return tags == null ? meta : meta.withTags(tags);
        } catch (NoSuchFileException e) {
            return meta;
        }
    }

    private void replaceSmallFile(Path dir, String name, byte[] content) throws IOException {
        Path temp = tmp.resolve("small-" + UUID.randomUUID());
        try {
            DurableFiles.writeNew(temp, content);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(dir);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Object key must not be empty.");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG_ERROR).withElements(Map.of("MaxSizeAllowed", "1024"));
        }
    }

    static void checkKeyForRead(String bucket, String key) {
        if (key.isEmpty() || key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw noSuchKey(bucket, key);
        }
    }

    private static S3Exception noSuchKey(String bucket, String key) {
        return new S3Exception(S3ErrorCode.NO_SUCH_KEY).withResource("/" + bucket + "/" + key)
                .withElements(Map.of("Key", key));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: start-up cleaning removes what is left in .tmp
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing useful to do
        }
    }

    /**
     * Bytes used by the store's files (walks the tree: for status, not for hot paths). Files come
     * and go while it walks (writes, deletes, the write queue's journal): one that is gone by the
     * time it is looked at counts as nothing, it does not fail the walk.
     */
    public long usedBytes() {
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            return total[0];
        } catch (IOException e) {
            return -1;
        }
    }

    Optional<Path> bucketDir(String bucket) {
        Path dir = root.resolve(bucket);
        return BucketNames.isValid(bucket) && Files.isRegularFile(dir.resolve(BUCKET_FILE)) ? Optional.of(dir)
                : Optional.empty();
    }
}
