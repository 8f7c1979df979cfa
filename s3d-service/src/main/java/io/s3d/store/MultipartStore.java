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
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).withElements(Map.of("UploadId", uploadId));
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
        try {
            Files.move(written, partPath(uploadId, partNumber), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).withElements(Map.of("UploadId", uploadId));
        }
        DurableFiles.syncDirectory(uploads.resolve(uploadId));
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

    /** Checks the client's part list against the stored parts, as CompleteMultipartUpload does. */
    List<Part> validate(String uploadId, List<CompletedPart> requested) throws IOException {
        if (requested.isEmpty()) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        Map<Integer, Part> stored = new java.util.HashMap<>();
        for (Part part : parts(uploadId)) {
            stored.put(part.number(), part);
        }
        List<Part> chosen = new ArrayList<>();
        int previous = 0;
        for (CompletedPart wanted : requested) {
            if (wanted.number() <= previous) {
                throw new S3Exception(S3ErrorCode.INVALID_PART_ORDER);
            }
            previous = wanted.number();
            Part part = stored.get(wanted.number());
            if (part == null || !part.etag().equals(unquote(wanted.etag()))) {
                throw new S3Exception(S3ErrorCode.INVALID_PART).withElements(Map.of("UploadId", uploadId,
                        "PartNumber", Integer.toString(wanted.number()), "ETag", wanted.etag()));
            }
            chosen.add(part);
        }
        for (int i = 0; i < chosen.size() - 1; i++) {
            if (chosen.get(i).size() < MIN_PART_SIZE) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL).withElements(Map.of("ProposedSize",
                        Long.toString(chosen.get(i).size()), "MinSizeAllowed", Long.toString(MIN_PART_SIZE),
                        "PartNumber", Integer.toString(chosen.get(i).number()), "ETag", chosen.get(i).etag()));
            }
        }
        return chosen;
    }

    /** Concatenates the chosen parts into {@code target} and returns the multipart ETag. */
    String assemble(String uploadId, List<Part> parts, FileChannel target) throws IOException {
        java.security.MessageDigest md5;
        try {
            md5 = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long position = 0;
        for (Part part : parts) {
            try (FileChannel source = FileChannel.open(partPath(uploadId, part.number()), StandardOpenOption.READ)) {
                long copied = 0;
                while (copied < part.size()) {
                    copied += source.transferTo(copied, part.size() - copied, target.position(position + copied));
                }
            }
            position += part.size();
            md5.update(HexFormat.of().parseHex(part.etag()));
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
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
