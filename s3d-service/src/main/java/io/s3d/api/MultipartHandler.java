package io.s3d.api;

import io.s3d.api.auth.ChecksumAlgorithm;
import io.s3d.api.auth.DecodedBody;
import io.s3d.api.auth.Hasher;
import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.CopyConditions;
import io.s3d.backend.MultipartBackend.CompletedPart;
import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.MultipartBackend.CopyTarget;
import io.s3d.backend.MultipartBackend.Part;
import io.s3d.backend.MultipartBackend.PartsPage;
import io.s3d.backend.MultipartBackend.Upload;
import io.s3d.backend.MultipartBackend.UploadSpec;
import io.s3d.backend.MultipartBackend.UploadsPage;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/** The multipart upload operations, UploadPartCopy and CopyObject. */
final class MultipartHandler {
    private final ObjectBackend backend;

    /** For {@code x-amz-expiration} on the versions CompleteMultipartUpload and CopyObject make, as AWS. */
    private final io.s3d.lifecycle.BucketLifecycles lifecycles;

    MultipartHandler(ObjectBackend backend) {
        this.backend = backend;
        this.lifecycles = new io.s3d.lifecycle.BucketLifecycles(backend);
    }

    S3Response create(S3Request request) {
        Optional<String> algorithm = requestedAlgorithm(request);
        Optional<String> type = algorithm.map(a -> checksumType(a, request.header("x-amz-checksum-type")));
        Map<String, String> headers = new LinkedHashMap<>(ObjectLockHandler.with(request.storedHeaders(),
                ObjectLockHandler.newVersion(request, backend, false)));
        EncryptionHeaders.Write encryption = EncryptionHeaders.forWrite(request);
        headers.putAll(encryption.stored());
        String uploadId = backend.createMultipartUpload(new UploadSpec(request.bucket, request.key,
                headers, request.userMetadata(), Tagging.fromHeader(request.header("x-amz-tagging")),
                algorithm, type));
        XmlWriter xml = XmlWriter.document("InitiateMultipartUploadResult").element("Bucket", request.bucket)
                .element("Key", request.key).element("UploadId", uploadId);
        S3Response response = S3Response.xml(200, xml.finish("InitiateMultipartUploadResult"));
        EncryptionHeaders.answer(response, encryption.stored());
        algorithm.ifPresent(a -> response.header("x-amz-checksum-algorithm", a));
        type.ifPresent(t -> response.header("x-amz-checksum-type", t));
        return response;
    }

    /** {@code x-amz-checksum-algorithm} of CreateMultipartUpload and CopyObject, by S3's name; 400 if unknown. */
    private static Optional<String> requestedAlgorithm(S3Request request) {
        return Optional.ofNullable(request.header("x-amz-checksum-algorithm"))
                .map(name -> ChecksumAlgorithm.fromName(name).orElseThrow(() -> new S3Exception(
                        S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported. Please try again "
                                + "with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"))
                        .name());
    }

    /**
     * The checksum type of a new upload, with S3's rules: CRC64NVME supports only FULL_OBJECT (its
     * default), SHA-1 and SHA-256 only COMPOSITE, the 32-bit CRCs both (COMPOSITE by default).
     */
    private static String checksumType(String algorithm, String requested) {
        String type = requested == null ? (algorithm.equals("CRC64NVME") ? "FULL_OBJECT" : "COMPOSITE")
                : requested.trim().toUpperCase(java.util.Locale.ROOT);
        boolean crc = algorithm.startsWith("CRC");
        boolean allowed = switch (type) {
            case "FULL_OBJECT" -> crc;
            case "COMPOSITE" -> !algorithm.equals("CRC64NVME");
            default -> false;
        };
        if (!allowed) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The " + algorithm
                    + " algorithm does not support the checksum type " + type + ".");
        }
        return type;
    }

    S3Response uploadPart(S3Request request) {
        int partNumber = partNumber(request);
        boolean defaultRetention = backend.objectLockConfiguration(request.bucket)
                .flatMap(io.s3d.backend.ObjectLock.Configuration::defaultRetention).isPresent();
        if (defaultRetention && request.header("Content-MD5") == null && !request.hasChecksum()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Content-MD5 OR x-amz-checksum- HTTP header is "
                    + "required for Put Part requests with Object Lock parameters");
        }
        DecodedBody body = request.body();
        Part part = backend.uploadPart(request.bucket, request.key, request.query("uploadId"), partNumber,
                body.stream(), body.contentLength(), Optional.ofNullable(request.header("Content-MD5")),
                () -> named(body.checksums()));
        S3Response response = S3Response.status(200).header("ETag", '"' + part.etag() + '"');
        checksumHeaders(response, part.checksums());
        return response;
    }

    S3Response uploadPartCopy(S3Request request) {
        int partNumber = partNumber(request);
        CopySource source = copySource(request, rangeOf(request.header("x-amz-copy-source-range")));
        Part part = backend.uploadPartCopy(request.bucket, request.key, request.query("uploadId"), partNumber, source);
        XmlWriter xml = XmlWriter.document("CopyPartResult")
                .element("LastModified", HttpDates.xml(part.lastModified())).element("ETag", '"' + part.etag() + '"');
        part.checksums().forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                .ifPresent(a -> xml.element(a.xmlName(), value)));
        return copiedVersion(S3Response.xml(200, xml.finish("CopyPartResult")), source);
    }

    S3Response complete(S3Request request) {
        XmlRequest xml = XmlRequest.parse(request.smallBody(4 * 1024 * 1024), "CompleteMultipartUpload");
        List<CompletedPart> parts = new ArrayList<>();
        for (Element part : XmlRequest.children(xml.root(), "Part")) {
            String number = XmlRequest.childText(part, "PartNumber");
            String etag = XmlRequest.childText(part, "ETag");
            if (number == null || etag == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            Map<String, String> checksums = new LinkedHashMap<>();
            for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
                String value = XmlRequest.childText(part, algorithm.xmlName());
                if (value != null) {
                    checksums.put(algorithm.name(), value.trim());
                }
            }
            try {
                parts.add(new CompletedPart(Integer.parseInt(number.trim()), etag, checksums));
            } catch (NumberFormatException e) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
        }
        ObjectMeta meta = backend.completeMultipartUpload(request.bucket, request.key, request.query("uploadId"), parts,
                ObjectHandler.writeCondition(request), (upload, chosen) -> {
                    checkPartChecksums(request, upload, parts, chosen);
                    return objectChecksums(request, upload, chosen);
                });
        XmlWriter out = XmlWriter.document("CompleteMultipartUploadResult")
                .element("Location", "/" + request.bucket + "/" + request.key).element("Bucket", request.bucket)
                .element("Key", request.key).element("ETag", meta.quotedEtag());
        meta.checksums().forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                .ifPresent(a -> out.element(a.xmlName(), value)));
        ObjectHandler.checksumType(meta).ifPresent(type -> out.element("ChecksumType", type));
        return expiration(ObjectHandler.versionHeader(EncryptionHeaders.answer(S3Response.xml(200,
                out.finish("CompleteMultipartUploadResult")), meta), meta), request.bucket, meta);
    }

    S3Response abort(S3Request request) {
        backend.abortMultipartUpload(request.bucket, request.key, request.query("uploadId"));
        return S3Response.status(204);
    }

    S3Response listParts(S3Request request) {
        int marker = intParam(request, "part-number-marker", 0);
        int max = Math.min(intParam(request, "max-parts", 1000), 1000);
        PartsPage page = backend.listParts(request.bucket, request.key, request.query("uploadId"), marker, max);
        XmlWriter xml = XmlWriter.document("ListPartsResult").element("Bucket", request.bucket)
                .element("Key", request.key).element("UploadId", page.upload().uploadId());
        owner(xml, "Initiator", request);
        owner(xml, "Owner", request);
        xml.element("StorageClass", "STANDARD").element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", page.nextMarker()).element("MaxParts", max)
                .element("IsTruncated", page.truncated());
        page.upload().checksumAlgorithm().ifPresent(a -> xml.element("ChecksumAlgorithm", a));
        page.upload().checksumType().ifPresent(t -> xml.element("ChecksumType", t));
        for (Part part : page.parts()) {
            xml.start("Part").element("PartNumber", part.number())
                    .element("LastModified", HttpDates.xml(part.lastModified()))
                    .element("ETag", '"' + part.etag() + '"').element("Size", part.size());
            part.checksums().forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                    .ifPresent(a -> xml.element(a.xmlName(), value)));
            xml.end("Part");
        }
        return S3Response.xml(200, xml.finish("ListPartsResult"));
    }

    S3Response listUploads(S3Request request) {
        String prefix = request.query("prefix");
        String delimiter = request.query("delimiter");
        String keyMarker = request.query("key-marker");
        String uploadIdMarker = request.query("upload-id-marker");
        ListingHandler.urlEncoding(request);
        int max = Math.min(intParam(request, "max-uploads", 1000), 1000);
        UploadsPage page = backend.listMultipartUploads(request.bucket, prefix, delimiter, keyMarker, uploadIdMarker,
                max);
        XmlWriter xml = XmlWriter.document("ListMultipartUploadsResult").element("Bucket", request.bucket)
                .element("KeyMarker", keyMarker == null ? "" : keyMarker)
                .element("UploadIdMarker", uploadIdMarker == null ? "" : uploadIdMarker);
        if (page.truncated()) {
            xml.element("NextKeyMarker", page.nextKeyMarker()).element("NextUploadIdMarker", page.nextUploadIdMarker());
        }
        if (prefix != null) {
            xml.element("Prefix", prefix);
        }
        if (delimiter != null) {
            xml.element("Delimiter", delimiter);
        }
        xml.element("MaxUploads", max).element("IsTruncated", page.truncated());
        for (Upload upload : page.uploads()) {
            xml.start("Upload").element("Key", upload.key()).element("UploadId", upload.uploadId());
            owner(xml, "Initiator", request);
            owner(xml, "Owner", request);
            xml.element("StorageClass", "STANDARD").element("Initiated", HttpDates.xml(upload.initiated()));
            upload.checksumAlgorithm().ifPresent(a -> xml.element("ChecksumAlgorithm", a));
            upload.checksumType().ifPresent(t -> xml.element("ChecksumType", t));
            xml.end("Upload");
        }
        for (String commonPrefix : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", commonPrefix).end("CommonPrefixes");
        }
        return S3Response.xml(200, xml.finish("ListMultipartUploadsResult"));
    }

    S3Response copyObject(S3Request request) {
        CopySource source = copySource(request, Optional.empty());
        EncryptionHeaders.Write encryption = backend.forwards() ? EncryptionHeaders.Write.NONE
                : EncryptionHeaders.forWrite(request);
        boolean replaceMetadata = directive(request, "x-amz-metadata-directive");
        boolean replaceTags = directive(request, "x-amz-tagging-directive");
        CopyTarget target = new CopyTarget(request.bucket, request.key,
                replaceMetadata ? Optional.of(request.storedHeaders()) : Optional.empty(),
                replaceMetadata ? Optional.of(request.userMetadata()) : Optional.empty(),
                replaceTags ? Optional.of(Tagging.fromHeader(request.header("x-amz-tagging"))) : Optional.empty(),
                ObjectHandler.writeCondition(request), ObjectLockHandler.newVersion(request, backend, false),
                requestedAlgorithm(request), encryption.stored(), encryption.customerKey());
        ObjectMeta meta = backend.copyObject(source, target);
        XmlWriter xml = XmlWriter.document("CopyObjectResult").element("LastModified", HttpDates.xml(meta.lastModified()))
                .element("ETag", meta.quotedEtag());
        meta.checksums().forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                .ifPresent(a -> xml.element(a.xmlName(), value)));
        ObjectHandler.checksumType(meta).ifPresent(type -> xml.element("ChecksumType", type));
        S3Response response = ObjectHandler.versionHeader(EncryptionHeaders.answer(S3Response.xml(200,
                xml.finish("CopyObjectResult")), meta), meta);
        return expiration(copiedVersion(response, source), request.bucket, meta);
    }

    private S3Response expiration(S3Response response, String bucket, ObjectMeta meta) {
        lifecycles.expirationHeader(bucket, meta).ifPresent(value -> response.header("x-amz-expiration", value));
        return response;
    }

    /** {@code x-amz-copy-source-version-id}: the version a copy read, when the client named one. */
    private static S3Response copiedVersion(S3Response response, CopySource source) {
        return source.versionId() == null ? response
                : response.header("x-amz-copy-source-version-id", source.versionId());
    }

    private static boolean directive(S3Request request, String header) {
        String value = request.header(header);
        if (value == null || value.equalsIgnoreCase("COPY")) {
            return false;
        }
        if (value.equalsIgnoreCase("REPLACE")) {
            return true;
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown " + header + ": " + value);
    }

    /** Parses {@code x-amz-copy-source} ({@code [/]bucket/key[?versionId=...]}, URL-encoded) and its conditions. */
    static CopySource copySource(S3Request request, Optional<long[]> range) {
        String header = request.header("x-amz-copy-source");
        String value = header.startsWith("/") ? header.substring(1) : header;
        int query = value.indexOf('?');
        String versionId = null;
        if (query >= 0) {
            String params = value.substring(query + 1);
            if (params.startsWith("versionId=")) {
                versionId = S3Address.decode(params.substring("versionId=".length()), false);
            }
            value = value.substring(0, query);
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
                    .withElements(Map.of("ArgumentName", "x-amz-copy-source", "ArgumentValue", header));
        }
        String bucket = S3Address.decode(value.substring(0, slash), false);
        String key = S3Address.decode(value.substring(slash + 1), false);
        CopyConditions conditions = new CopyConditions(
                Optional.ofNullable(request.header("x-amz-copy-source-if-match")),
                Optional.ofNullable(request.header("x-amz-copy-source-if-none-match")),
                Optional.ofNullable(HttpDates.parse(request.header("x-amz-copy-source-if-modified-since"))),
                Optional.ofNullable(HttpDates.parse(request.header("x-amz-copy-source-if-unmodified-since"))));
        return new CopySource(bucket, key, range, conditions, versionId, EncryptionHeaders.copySourceKey(request));
    }

    private static Optional<long[]> rangeOf(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String spec = header.trim();
        int dash = spec.indexOf('-');
        if (!spec.startsWith("bytes=") || dash < 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }
        try {
            return Optional.of(new long[] { Long.parseLong(spec.substring(6, dash).trim()),
                    Long.parseLong(spec.substring(dash + 1).trim()) });
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }
    }

    /**
     * S3's checks of the part list against an upload created with a checksum algorithm: the request's
     * {@code x-amz-checksum-type} must be the upload's; a COMPOSITE upload must list each part's
     * checksum; a listed checksum must be the stored part's (InvalidPart otherwise).
     */
    private static void checkPartChecksums(S3Request request, Upload upload, List<CompletedPart> requested,
            List<Part> chosen) {
        if (upload.checksumAlgorithm().isEmpty()) {
            return;
        }
        String algorithm = upload.checksumAlgorithm().get();
        String type = upload.checksumType().orElse("COMPOSITE");
        String requestedType = request.header("x-amz-checksum-type");
        if (requestedType != null && !requestedType.trim().equalsIgnoreCase(type)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The upload was created using the " + type
                    + " checksum mode. The complete request must use the same checksum mode.");
        }
        for (int i = 0; i < requested.size(); i++) {
            CompletedPart wanted = requested.get(i);
            String listed = wanted.checksums().get(algorithm);
            if (listed == null) {
                if (type.equals("COMPOSITE")) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The upload was created using a "
                            + algorithm.toLowerCase(java.util.Locale.ROOT) + " checksum. The complete request must "
                            + "include the checksum for each part. It was missing for part " + wanted.number()
                            + " in the request.");
                }
                continue;
            }
            if (!listed.equals(chosen.get(i).checksums().get(algorithm))) {
                throw new S3Exception(S3ErrorCode.INVALID_PART).withElements(Map.of("UploadId",
                        upload.uploadId(), "PartNumber", Integer.toString(wanted.number()), "ETag", wanted.etag()));
            }
        }
    }

    /**
     * The object's checksums at completion: for a FULL_OBJECT upload the CRC of the whole content,
     * combined from the parts' CRCs and checked against the value the client sent (BadDigest);
     * otherwise the composite values.
     */
    private static Map<String, String> objectChecksums(S3Request request, Upload upload, List<Part> parts) {
        if (upload.checksumType().filter("FULL_OBJECT"::equals).isEmpty() || upload.checksumAlgorithm().isEmpty()) {
            return compositeChecksums(parts);
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.fromName(upload.checksumAlgorithm().get()).orElseThrow();
        List<io.s3d.api.auth.CrcCombine.Piece> pieces = new ArrayList<>();
        for (Part part : parts) {
            String value = part.checksums().get(algorithm.name());
            if (value == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Part " + part.number() + " was uploaded without a "
                        + algorithm.name() + " checksum, which this upload requires.");
            }
            pieces.add(new io.s3d.api.auth.CrcCombine.Piece(value, part.size()));
        }
        String whole = io.s3d.api.auth.CrcCombine.fullObject(algorithm, pieces).orElseThrow();
        String declared = request.header(algorithm.headerName());
        if (declared != null && !declared.trim().equals(whole)) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST, "The " + algorithm.name()
                    + " you specified did not match the calculated checksum.");
        }
        return Map.of(algorithm.name(), whole);
    }

    /** Composite checksums: the checksum of the parts' checksums, suffixed with the part count, as S3 does. */
    static Map<String, String> compositeChecksums(List<Part> parts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ChecksumAlgorithm algorithm : ChecksumAlgorithm.values()) {
            if (parts.stream().allMatch(p -> p.checksums().containsKey(algorithm.name()))) {
                Hasher hasher = algorithm.newHasher();
                for (Part part : parts) {
                    byte[] partSum = Base64.getDecoder().decode(part.checksums().get(algorithm.name()));
                    hasher.update(partSum, 0, partSum.length);
                }
                out.put(algorithm.name(), hasher.digestBase64() + "-" + parts.size());
            }
        }
        return out;
    }

    private static Map<String, String> named(Map<ChecksumAlgorithm, String> checksums) {
        Map<String, String> out = new LinkedHashMap<>();
        checksums.forEach((algorithm, value) -> out.put(algorithm.name(), value));
        return out;
    }

    private static void checksumHeaders(S3Response response, Map<String, String> checksums) {
        checksums.forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                .ifPresent(a -> response.header(a.headerName(), value)));
    }

    private static void owner(XmlWriter xml, String element, S3Request request) {
        io.s3d.access.Identity owner = request.bucketOwner();
        xml.start(element).element("ID", owner.canonicalId()).element("DisplayName", owner.displayName())
                .end(element);
    }

    private static int partNumber(S3Request request) {
        return intParam(request, "partNumber", -1);
    }

    private static int intParam(S3Request request, String name, int defaultValue) {
        String value = request.query(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new NumberFormatException("negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name)
                    .withElements(Map.of("ArgumentName", name, "ArgumentValue", value));
        }
    }
}
