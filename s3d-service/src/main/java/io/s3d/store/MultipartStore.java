package io.s3d.store;

import io.s3d.backend.MultipartBackend.CompletedPart;
import io.s3d.backend.MultipartBackend.Part;
import io.s3d.backend.MultipartBackend.PartsPage;
import io.s3d.backend.MultipartBackend.Upload;
import io.s3d.backend.MultipartBackend.UploadSpec;
import io.s3d.backend.MultipartBackend.UploadsPage;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multipart uploads in progress: {@code .uploads/<uploadId>/upload} holds what CreateMultipartUpload
 * fixed, {@code part-NNNNN} files hold each part in the object file format (bytes, then metadata).
 * Parts are streamed to disk; completing an upload concatenates them with {@code transferTo} into
 * one new object file, never through the heap.
 */
final class MultipartStore {
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final int VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    record UploadFile(String bucket, String key, Instant initiated, Map<String, String> headers,
            Map<String, String> userMetadata, Map<String, String> tags, Optional<String> checksumAlgorithm,
            Optional<String> checksumType) {

        Upload toUpload(String uploadId) {
            return new Upload(uploadId, key, initiated, checksumAlgorithm, checksumType);
        }
    }

    private final Path uploads;
    private final Path tmp;

    MultipartStore(Path root, Path tmp) throws IOException {
        this.uploads = root.resolve(".uploads");
        this.tmp = tmp;
        DurableFiles.createDirectories(uploads);
    }

    String create(UploadSpec spec) throws IOException {
        byte[] id = new byte[24];
        RANDOM.nextBytes(id);
        String uploadId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        Path staging = tmp.resolve("upload-" + uploadId);
        Files.createDirectory(staging);
        try {
            DurableFiles.writeNew(staging.resolve("upload"), encode(new UploadFile(spec.bucket(), spec.key(),
                    Instant.now(), spec.headers(), spec.userMetadata(), spec.tags(), spec.checksumAlgorithm(),
                    spec.checksumType())));
            DurableFiles.syncDirectory(staging);
            Files.move(staging, uploads.resolve(uploadId), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // A full disk (or any failure) must not leave a half-made upload behind in the staging area.
            try {
                LocalStore.deleteTree(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        DurableFiles.syncDirectory(uploads);
        return uploadId;
    }

    /** The upload, checked to belong to this bucket and key; NoSuchUpload otherwise. */
    UploadFile require(String bucket, String key, String uploadId) {
        UploadFile upload = read(uploadId);
        if (upload == null || !upload.bucket().equals(bucket) || !upload.key().equals(key)) {
            throw noSuchUpload(uploadId);
        }
        return upload;
    }

    private UploadFile read(String uploadId) {
        if (!uploadId.matches("[A-Za-z0-9_-]{16,64}")) {
            return null;
        }
        try {
            return decode(Files.readAllBytes(uploads.resolve(uploadId).resolve("upload")));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path partPath(String uploadId, int partNumber) {
        return uploads.resolve(uploadId).resolve(String.format("part-%05d", partNumber));
    }

    /** Renames a written part file into its upload; NoSuchUpload if the upload went away meanwhile. */
    void commitPart(String uploadId, int partNumber, Path written) throws IOException {
        // Two uploads of one part number each write their own file: the one renamed last (the
        // last to finish) is the part, as on S3. Abort moves the upload's directory away; a part
        // finishing after that (or while the directory is synced) answers NoSuchUpload.
        try {
            Files.move(written, partPath(uploadId, partNumber), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(uploads.resolve(uploadId));
        } catch (NoSuchFileException e) {
            throw noSuchUpload(uploadId);
        }
    }

    List<Part> parts(String uploadId) throws IOException {
        List<Part> parts = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(uploads.resolve(uploadId), "part-*")) {
            for (Path path : stream) {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    ObjectMeta meta = ObjectFile.readMeta(channel);
                    int number = Integer.parseInt(path.getFileName().toString().substring(5));
                    parts.add(new Part(number, meta.size(), meta.etag(), meta.lastModified(), meta.checksums()));
                }
            }
        } catch (NoSuchFileException e) {
            throw noSuchUpload(uploadId); // aborted or completed while listed
        }
        parts.sort((a, b) -> Integer.compare(a.number(), b.number()));
        return parts;
    }

    PartsPage listParts(String uploadId, UploadFile upload, int marker, int maxParts) throws IOException {
        List<Part> all = parts(uploadId);
        List<Part> page = new ArrayList<>();
        boolean truncated = false;
        for (Part part : all) {
            if (part.number() <= marker) {
                continue;
            }
            if (page.size() == maxParts) {
                truncated = true;
                break;
            }
            page.add(part);
        }
        int next = page.isEmpty() ? 0 : page.get(page.size() - 1).number();
        return new PartsPage(page, truncated, next, upload.toUpload(uploadId));
    }

    /**
     * Checks the client's part list against the stored parts, as CompleteMultipartUpload does, and
     * opens each chosen part file. The caller assembles from these open files: a part uploaded again
     * meanwhile (its new file renamed over the old one) does not change what this completion
     * assembles, and it cannot mix the bytes of one file with the size and ETag of another.
     */
    ChosenParts validate(String uploadId, List<CompletedPart> requested) throws IOException {
        if (requested.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        ChosenParts chosen = new ChosenParts();
        try {
            int previous = 0;
            for (CompletedPart wanted : requested) {
                if (wanted.number() <= previous) {
                    throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER);
                }
                previous = wanted.number();
                FileChannel channel = openPart(uploadId, wanted.number());
                Part part = null;
                if (channel != null) {
                    chosen.channels.add(channel);
                    ObjectFile.Stored stored = ObjectFile.read(channel);
                    chosen.encrypted.add(stored.encrypted());
                    ObjectMeta meta = stored.meta();
                    part = new Part(wanted.number(), meta.size(), meta.etag(), meta.lastModified(), meta.checksums());
                }
                if (part == null || !part.etag().equals(unquote(wanted.etag()))) {
                    throw new S3Exception(S3ErrorCode.INVALID_PART).withElements(Map.of("UploadId", uploadId,
                            "PartNumber", Integer.toString(wanted.number()), "ETag", wanted.etag()));
                }
                chosen.parts.add(part);
            }
            List<Part> parts = chosen.parts;
            for (int i = 0; i < parts.size() - 1; i++) {
                if (parts.get(i).size() < MIN_PART_SIZE) {
                    throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL).withElements(Map.of("ProposedSize",
                            Long.toString(parts.get(i).size()), "MinSizeAllowed", Long.toString(MIN_PART_SIZE),
                            "PartNumber", Integer.toString(parts.get(i).number()), "ETag", parts.get(i).etag()));
                }
            }
            return chosen;
        } catch (IOException | RuntimeException e) {
            chosen.close();
            throw e;
        }
    }

    /** The part file, open for reading; null if there is no such part; NoSuchUpload if the upload went away. */
    private FileChannel openPart(String uploadId, int partNumber) throws IOException {
        if (partNumber < 1 || partNumber > 10_000) {
            return null;
        }
        try {
            return FileChannel.open(partPath(uploadId, partNumber), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(uploads.resolve(uploadId))) {
                throw noSuchUpload(uploadId);
            }
            return null;
        }
    }

    /** The parts a completion chose, with their files held open until it is done. */
    static final class ChosenParts implements java.io.Closeable {
        private final List<Part> parts = new ArrayList<>();
        private final List<FileChannel> channels = new ArrayList<>();
        private final List<Boolean> encrypted = new ArrayList<>();

        List<Part> parts() {
            return parts;
        }

        /** Whether any chosen part is kept encrypted. */
        boolean anyEncrypted() {
            return encrypted.contains(true);
        }

        @Override
        public void close() throws IOException {
            IOException failure = null;
            for (FileChannel channel : channels) {
                try {
                    channel.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Concatenates the chosen parts (from their open files) into {@code target} and returns the multipart ETag. */
    String assemble(ChosenParts chosen, FileChannel target) throws IOException {
        java.security.MessageDigest md5;
        try {
            md5 = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long position = 0;
        for (int i = 0; i < chosen.parts.size(); i++) {
            Part part = chosen.parts.get(i);
            FileChannel source = chosen.channels.get(i);
            long copied = 0;
            while (copied < part.size()) {
                long n = source.transferTo(copied, part.size() - copied, target.position(position + copied));
                if (n <= 0) {
                    throw new IOException("part " + part.number() + " is shorter than its metadata says");
                }
                copied += n;
            }
            position += part.size();
            md5.update(HexFormat.of().parseHex(part.etag()));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + chosen.parts.size();
    }

    /**
     * {@link #assemble} through the parts' plaintext: each part read (decrypted when it is kept
     * encrypted, with {@code keys}) and written through {@code encrypting} (or in the clear when
     * null), a chunk at a time.
     */
    String assembleDecrypted(ChosenParts chosen, FileChannel target,
            io.s3d.store.crypto.EncryptingWriter encrypting, io.s3d.store.crypto.MasterKeys keys) throws IOException {
        java.security.MessageDigest md5;
        try {
            md5 = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[256 * 1024];
        long position = 0;
        for (int i = 0; i < chosen.parts.size(); i++) {
            Part part = chosen.parts.get(i);
            FileChannel source = chosen.channels.get(i);
            try (java.io.InputStream in = chosen.encrypted.get(i)
                    ? io.s3d.store.crypto.EncryptedContent.read(source, part.size()).open(0, part.size(), keys,
                            java.util.Optional.empty())
                    : java.nio.channels.Channels.newInputStream(source.position(0))) {
                long left = part.size();
                while (left > 0) {
                    int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n <= 0) {
                        throw new IOException("part " + part.number() + " is shorter than its metadata says");
                    }
                    if (encrypting != null) {
                        encrypting.write(buffer, 0, n);
                    } else {
                        java.nio.ByteBuffer wrap = java.nio.ByteBuffer.wrap(buffer, 0, n);
                        while (wrap.hasRemaining()) {
                            position += target.write(wrap, position);
                        }
                    }
                    left -= n;
                }
            }
            md5.update(HexFormat.of().parseHex(part.etag()));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + chosen.parts.size();
    }

    private static S3Exception noSuchUpload(String uploadId) {
        return new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).withElements(Map.of("UploadId", uploadId));
    }

    void delete(String uploadId) throws IOException {
        Path dir = uploads.resolve(uploadId);
        Path trash = tmp.resolve("aborted-" + uploadId);
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        DurableFiles.syncDirectory(uploads);
        LocalStore.deleteTree(trash);
    }

    UploadsPage list(String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker,
            int maxUploads) throws IOException {
        List<Upload> all = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(uploads)) {
            for (Path dir : stream) {
                UploadFile upload = read(dir.getFileName().toString());
                if (upload != null && upload.bucket().equals(bucket) && upload.key().startsWith(prefix)) {
                    all.add(upload.toUpload(dir.getFileName().toString()));
                }
            }
        }
        all.sort((a, b) -> {
            int byKey = KeyOrder.compare(a.key(), b.key());
            return byKey != 0 ? byKey : a.initiated().compareTo(b.initiated());
        });
        List<Upload> page = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        boolean truncated = false;
        boolean pastUploadMarker = uploadIdMarker == null || uploadIdMarker.isEmpty();
        for (Upload upload : all) {
            if (keyMarker != null && !keyMarker.isEmpty()) {
                int cmp = KeyOrder.compare(upload.key(), keyMarker);
                if (cmp < 0 || (cmp == 0 && pastUploadMarker)) {
                    continue;
                }
                if (cmp == 0) {
                    if (upload.uploadId().equals(uploadIdMarker)) {
                        pastUploadMarker = true;
                    }
                    continue;
                }
            }
            if (page.size() + prefixes.size() == maxUploads) {
                truncated = true;
                break;
            }
            int at = delimiter == null || delimiter.isEmpty() ? -1 : upload.key().indexOf(delimiter, prefix.length());
            if (at >= 0) {
                String common = upload.key().substring(0, at + delimiter.length());
                if (!prefixes.contains(common)) {
                    prefixes.add(common);
                }
                continue;
            }
            page.add(upload);
        }
        Upload last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new UploadsPage(page, prefixes, truncated, last == null ? null : last.key(),
                last == null ? null : last.uploadId());
    }

    /** Aborts uploads untouched for longer than {@code maxAge}; returns how many. */
    int removeAbandoned(Duration maxAge) {
        int removed = 0;
        Instant cutoff = Instant.now().minus(maxAge);
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(uploads)) {
            for (Path dir : stream) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
                    delete(dir.getFileName().toString());
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    private static String unquote(String etag) {
        String tag = etag.trim();
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1)
                : tag;
    }

    private static byte[] encode(UploadFile upload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(VERSION);
        MetaCodec.writeString(out, upload.bucket());
        MetaCodec.writeString(out, upload.key());
        out.writeLong(upload.initiated().toEpochMilli());
        MetaCodec.writeMap(out, upload.headers());
        MetaCodec.writeMap(out, upload.userMetadata());
        MetaCodec.writeMap(out, upload.tags());
        MetaCodec.writeString(out, upload.checksumAlgorithm().orElse(""));
        MetaCodec.writeString(out, upload.checksumType().orElse(""));
        out.flush();
        return bytes.toByteArray();
    }

    private static UploadFile decode(byte[] data) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        if (in.readInt() != VERSION) {
            throw new IOException("unknown upload file version");
        }
        String bucket = MetaCodec.readString(in);
        String key = MetaCodec.readString(in);
        Instant initiated = Instant.ofEpochMilli(in.readLong());
        Map<String, String> headers = MetaCodec.readMap(in);
        Map<String, String> user = MetaCodec.readMap(in);
        Map<String, String> tags = MetaCodec.readMap(in);
        String algorithm = MetaCodec.readString(in);
        String type = MetaCodec.readString(in);
        return new UploadFile(bucket, key, initiated, headers, user, tags,
                algorithm.isEmpty() ? Optional.empty() : Optional.of(algorithm),
                type.isEmpty() ? Optional.empty() : Optional.of(type));
    }
}
