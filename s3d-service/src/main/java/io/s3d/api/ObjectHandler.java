package io.s3d.api;

import io.s3d.api.auth.ChecksumAlgorithm;
import io.s3d.api.auth.DecodedBody;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** PutObject, GetObject, HeadObject, DeleteObject and object tagging. */
final class ObjectHandler {
    /** Objects at least this large are sent with zero-copy sendfile; smaller ones are copied. */
    private static final long SENDFILE_THRESHOLD = 256 * 1024;
    private static final String[][] RESPONSE_OVERRIDES = { { "response-content-type", "Content-Type" },
            { "response-content-language", "Content-Language" }, { "response-expires", "Expires" },
            { "response-cache-control", "Cache-Control" },
            { "response-content-disposition", "Content-Disposition" },
            { "response-content-encoding", "Content-Encoding" } };

    private final ObjectBackend backend;
    private final io.s3d.lifecycle.BucketLifecycles lifecycles;

    ObjectHandler(ObjectBackend backend) {
        this.backend = backend;
        this.lifecycles = new io.s3d.lifecycle.BucketLifecycles(backend);
    }

    /** {@code x-amz-expiration} on PUT, GET and HEAD of a current version an Expiration rule will remove, as AWS. */
    private S3Response expiration(S3Response response, String bucket, ObjectMeta meta) {
        lifecycles.expirationHeader(bucket, meta).ifPresent(value -> response.header("x-amz-expiration", value));
        return response;
    }

    S3Response put(S3Request request) {
        String contentLength = request.header("Content-Length");
        String transferEncoding = request.header("Transfer-Encoding");
        if (contentLength == null && transferEncoding == null) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        Map<String, String> userMetadata = request.userMetadata();
        Map<String, String> tags = Tagging.fromHeader(request.header("x-amz-tagging"));
        WriteCondition condition = writeCondition(request);
        checkStorageClass(request);
        Map<String, String> headers = new LinkedHashMap<>(ObjectLockHandler.with(request.storedHeaders(),
                ObjectLockHandler.newVersion(request, backend, true)));
        EncryptionHeaders.Write encryption = EncryptionHeaders.forWrite(request);
        headers.putAll(encryption.stored());
        DecodedBody body = request.body();
        ObjectMeta meta = backend.putObject(new PutRequest(request.bucket, request.key, body.stream(),
                body.contentLength(), Optional.ofNullable(request.header("Content-MD5")), headers, userMetadata, tags,
                () -> toNames(body.checksums()), condition, encryption.customerKey()));
        S3Response response = expiration(versionHeader(EncryptionHeaders.answer(S3Response.status(200)
                .header("ETag", meta.quotedEtag()), meta), meta), request.bucket, meta);
        meta.checksums().forEach((algorithm, value) -> ChecksumAlgorithm.fromName(algorithm)
                .ifPresent(a -> response.header(a.headerName(), value)));
        return response;
    }

    /** {@code x-amz-version-id} of a version written to (or read from) a versioned bucket. */
    static S3Response versionHeader(S3Response response, ObjectMeta meta) {
        meta.versionId().ifPresent(id -> response.header(ObjectMeta.VERSION_ID, id));
        return response;
    }

    private static Map<String, String> toNames(Map<ChecksumAlgorithm, String> checksums) {
        Map<String, String> named = new LinkedHashMap<>();
        checksums.forEach((algorithm, value) -> named.put(algorithm.name(), value));
        return named;
    }

    private static void checkStorageClass(S3Request request) {
        String storageClass = request.header("x-amz-storage-class");
        if (storageClass != null && !java.util.Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
                "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "EXPRESS_ONEZONE",
                "SNOW").contains(storageClass)) {
            throw new S3Exception(S3ErrorCode.INVALID_STORAGE_CLASS);
        }
    }

    static WriteCondition writeCondition(S3Request request) {
        String ifNoneMatch = request.header("If-None-Match");
        String ifMatch = request.header("If-Match");
        if (ifNoneMatch != null && !ifNoneMatch.trim().equals("*")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "If-None-Match on writes supports only '*'.");
        }
        if (ifNoneMatch == null && ifMatch == null) {
            return WriteCondition.NONE;
        }
        return new WriteCondition(ifNoneMatch != null, Optional.ofNullable(ifMatch));
    }

    S3Response get(S3Request request) {
        refuseUnsafeOverrides(request);
        String versionId = request.query("versionId");
        ObjectData data = versionId == null ? backend.getObject(request.bucket, request.key, request.header("Range"))
                : backend.getObjectVersion(request.bucket, request.key, versionId, request.header("Range"));
        boolean handedOver = false;
        try {
            if (!backend.forwards()) {
                data = EncryptionHeaders.forRead(data, EncryptionHeaders.readKey(request));
            }
            ObjectMeta meta = data.meta();
            S3Response notModified = Conditions.evaluate(request, meta);
            if (notModified != null) {
                return notModified;
            }
            ByteRange range = range(request, meta);
            S3Response response = describe(request, meta, range);
            if (versionId == null) {
                expiration(response, request.bucket, meta);
            }
            long offset = range == null ? 0 : range.first();
            long length = range == null ? meta.size() : range.length();
            Optional<ObjectData.FileSlice> file = length >= SENDFILE_THRESHOLD ? data.localSlice(offset, length)
                    : Optional.empty();
            if (file.isPresent()) {
                response.file(file.get().file(), file.get().position(), length, data);
            } else {
                response.stream(data.open(offset, length), length, data);
            }
            handedOver = true;
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!handedOver) {
                data.close();
            }
        }
    }

    S3Response head(S3Request request) {
        refuseUnsafeOverrides(request);
        String versionId = request.query("versionId");
        ObjectMeta meta = versionId == null ? backend.headObject(request.bucket, request.key)
                : backend.headObjectVersion(request.bucket, request.key, versionId);
        meta = EncryptionHeaders.checkedHead(backend, request, versionId, meta);
        S3Response notModified = Conditions.evaluate(request, meta);
        if (notModified != null) {
            return notModified;
        }
        S3Response response = describe(request, meta, range(request, meta));
        return versionId == null ? expiration(response, request.bucket, meta) : response;
    }

    /**
     * The part of the object a GET or HEAD asks for: the part {@code ?partNumber=N} (of a multipart
     * object; part 1 is the whole of any other object), or the {@code Range} header's bytes.
     */
    private static ByteRange range(S3Request request, ObjectMeta meta) {
        String partNumber = request.query("partNumber");
        if (partNumber == null) {
            return ByteRange.parse(request.header("Range"), meta.size());
        }
        if (request.header("Range") != null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Cannot specify both Range header and partNumber query parameter");
        }
        int number;
        try {
            number = Integer.parseInt(partNumber.trim());
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1 || number > 10_000) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "Part number must be an integer between 1 and 10000, inclusive")
                    .withElements(Map.of("ArgumentName", "partNumber", "ArgumentValue", partNumber));
        }
        int parts = Math.max(1, meta.partsCount());
        if (number > parts) {
            throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER)
                    .withElements(Map.of("PartNumberRequested", Integer.toString(number), "ActualPartCount",
                            Integer.toString(parts)));
        }
        if (meta.partsCount() == 0) {
            return meta.size() == 0 ? null : new ByteRange(0, meta.size() - 1);
        }
        long[] bytes = meta.partRange(number).orElseThrow(() -> new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                "This object was completed before s3d recorded its part sizes; read it with a Range instead."));
        return new ByteRange(bytes[0], bytes[1]);
    }

    /** Status and headers of a GET or HEAD answer for the whole object or one range of it. */
    private static S3Response describe(S3Request request, ObjectMeta meta, ByteRange range) {
        S3Response response = S3Response.status(range == null ? 200 : 206);
        objectHeaders(response, meta, request, range == null);
        response.header("Content-Length", Long.toString(range == null ? meta.size() : range.length()));
        if (range != null) {
            response.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + meta.size());
        }
        return response;
    }

    private static void objectHeaders(S3Response response, ObjectMeta meta, S3Request request, boolean wholeObject) {
        response.header("ETag", meta.quotedEtag());
        response.header("Last-Modified", HttpDates.header(meta.lastModified()));
        response.header("Accept-Ranges", "bytes");
        response.header("Content-Type", meta.contentType());
        meta.headers().forEach((name, value) -> {
            // the encryption context is answered on the write only, as AWS
            if (!name.equals("content-type") && !name.equals(io.s3d.store.crypto.Sealing.CONTEXT)) {
                response.header(canonical(name), value);
            }
        });
        meta.userMetadata().forEach((name, value) -> response.header("x-amz-meta-" + name, value));
        if (!meta.tags().isEmpty()) {
            response.header("x-amz-tagging-count", Integer.toString(meta.tags().size()));
        }
        if (meta.partsCount() > 0) {
            response.header("x-amz-mp-parts-count", Integer.toString(meta.partsCount()));
        }
        if (wholeObject && "ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode"))) {
            meta.checksums().forEach((algorithm, value) -> ChecksumAlgorithm.fromName(algorithm)
                    .ifPresent(a -> response.header(a.headerName(), value)));
            checksumType(meta).ifPresent(type -> response.header("x-amz-checksum-type", type));
        }
        for (String[] override : RESPONSE_OVERRIDES) {
            String value = request.query(override[0]);
            if (value != null) {
                response.header(override[1], value);
            }
        }
    }

    /** A response-* override with a control character could not be sent as a header: 400 before any work. */
    private static void refuseUnsafeOverrides(S3Request request) {
        for (String[] override : RESPONSE_OVERRIDES) {
            HeaderValues.requireSafe(override[0], request.query(override[0]));
        }
    }

    /** COMPOSITE for checksums of part checksums ({@code …-N}), FULL_OBJECT for checksums of the content. */
    static Optional<String> checksumType(ObjectMeta meta) {
        if (meta.checksums().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(meta.checksums().values().stream().anyMatch(v -> v.contains("-")) ? "COMPOSITE"
                : "FULL_OBJECT");
    }

    private static String canonical(String lowerCaseName) {
        return switch (lowerCaseName) {
            case "content-encoding" -> "Content-Encoding";
            case "content-disposition" -> "Content-Disposition";
            case "content-language" -> "Content-Language";
            case "cache-control" -> "Cache-Control";
            case "expires" -> "Expires";
            default -> lowerCaseName;
        };
    }

    S3Response delete(S3Request request) {
        io.s3d.backend.ObjectVersions.Deleted deleted = backend.deleteObjectVersion(request.bucket, request.key,
                request.query("versionId"), ObjectLockHandler.bypassGovernance(request));
        S3Response response = S3Response.status(204);
        if (deleted.versionId() != null) {
            response.header(ObjectMeta.VERSION_ID, deleted.versionId());
        }
        if (deleted.deleteMarker()) {
            response.header("x-amz-delete-marker", "true");
        }
        return response;
    }

    S3Response getTagging(S3Request request) {
        String versionId = request.query("versionId");
        S3Response response = S3Response.xml(200, Tagging.toXml(backend.getObjectTags(request.bucket, request.key,
                versionId)));
        return versionId == null ? response : response.header(ObjectMeta.VERSION_ID, versionId);
    }

    S3Response putTagging(S3Request request) {
        Map<String, String> tags = Tagging.fromXml(request.digestedSmallBody(256 * 1024), Tagging.MAX_OBJECT_TAGS);
        String versionId = request.query("versionId");
        backend.putObjectTags(request.bucket, request.key, versionId, tags);
        S3Response response = S3Response.status(200);
        return versionId == null ? response : response.header(ObjectMeta.VERSION_ID, versionId);
    }

    S3Response deleteTagging(S3Request request) {
        String versionId = request.query("versionId");
        backend.putObjectTags(request.bucket, request.key, versionId, Map.of());
        S3Response response = S3Response.status(204);
        return versionId == null ? response : response.header(ObjectMeta.VERSION_ID, versionId);
    }

    /** S3's rules for If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since on reads. */
    static final class Conditions {
        private Conditions() {
        }

        /** Returns a 304 response, throws 412, or returns null to go on. */
        static S3Response evaluate(S3Request request, ObjectMeta meta) {
            String ifMatch = request.header("If-Match");
            String ifNoneMatch = request.header("If-None-Match");
            Instant lastModified = HttpDates.seconds(meta.lastModified());
            if (ifMatch != null) {
                if (!io.s3d.backend.Etags.matches(ifMatch, meta.etag())) {
                    throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED).withElements(Map.of("Condition", "If-Match"));
                }
            } else {
                Instant ifUnmodifiedSince = HttpDates.parse(request.header("If-Unmodified-Since"));
                if (ifUnmodifiedSince != null && lastModified.isAfter(ifUnmodifiedSince)) {
                    throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED)
                            .withElements(Map.of("Condition", "If-Unmodified-Since"));
                }
            }
            if (ifNoneMatch != null) {
                if (io.s3d.backend.Etags.matches(ifNoneMatch, meta.etag())) {
                    return notModified(meta);
                }
            } else {
                Instant ifModifiedSince = HttpDates.parse(request.header("If-Modified-Since"));
                if (ifModifiedSince != null && !lastModified.isAfter(ifModifiedSince)) {
                    return notModified(meta);
                }
            }
            return null;
        }

        private static S3Response notModified(ObjectMeta meta) {
            return S3Response.status(304).header("ETag", meta.quotedEtag())
                    .header("Last-Modified", HttpDates.header(meta.lastModified()));
        }
    }
}
