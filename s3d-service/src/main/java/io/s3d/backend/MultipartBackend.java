package io.s3d.backend;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Multipart uploads and server-side copies, part of every storage layer's contract. */
public interface MultipartBackend {

    /** A new upload's settings, fixed at CreateMultipartUpload. */
    record UploadSpec(String bucket, String key, Map<String, String> headers, Map<String, String> userMetadata,
            Map<String, String> tags, Optional<String> checksumAlgorithm, Optional<String> checksumType) {
    }

    /**
     * An upload in progress; {@code checksumType} is COMPOSITE (checksum of the part checksums) or
     * FULL_OBJECT (checksum of the whole content), when an algorithm was chosen.
     */
    record Upload(String uploadId, String key, Instant initiated, Optional<String> checksumAlgorithm,
            Optional<String> checksumType) {
    }

    /** One stored part. */
    record Part(int number, long size, String etag, Instant lastModified, Map<String, String> checksums) {
    }

    /** A part named in CompleteMultipartUpload, with the checksums the client listed for it (algorithm name to value). */
    record CompletedPart(int number, String etag, Map<String, String> checksums) {
        public CompletedPart(int number, String etag) {
            this(number, etag, Map.of());
        }
    }

    record PartsPage(List<Part> parts, boolean truncated, int nextMarker, Upload upload) {
    }

    record UploadsPage(List<Upload> uploads, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
            String nextUploadIdMarker) {
    }

    /**
     * The source of a copy: an object (a given version of it when {@code versionId} is not null),
     * optionally a byte range of it, and its x-amz-copy-source-if-* rules.
     */
    record CopySource(String bucket, String key, Optional<long[]> range, CopyConditions conditions, String versionId,
            Optional<byte[]> customerKey) {
        public CopySource(String bucket, String key, Optional<long[]> range, CopyConditions conditions) {
            this(bucket, key, range, conditions, null);
        }

        /** A source not encrypted with a customer's key, or whose key the request did not give. */
        public CopySource(String bucket, String key, Optional<long[]> range, CopyConditions conditions,
                String versionId) {
            this(bucket, key, range, conditions, versionId, Optional.empty());
        }
    }

    /**
     * What CopyObject writes: new headers and metadata (REPLACE) or the source's (COPY), and the
     * checksum algorithm ({@code x-amz-checksum-algorithm}) to compute over the copy, if one was asked.
     */
    record CopyTarget(String bucket, String key, Optional<Map<String, String>> replaceHeaders,
            Optional<Map<String, String>> replaceUserMetadata, Optional<Map<String, String>> replaceTags,
            WriteCondition condition, Map<String, String> objectLock, Optional<String> checksumAlgorithm,
            Map<String, String> encryption, Optional<byte[]> customerKey) {
        /** A copy kept in the clear unless the bucket's store decides otherwise. */
        public CopyTarget(String bucket, String key, Optional<Map<String, String>> replaceHeaders,
                Optional<Map<String, String>> replaceUserMetadata, Optional<Map<String, String>> replaceTags,
                WriteCondition condition, Map<String, String> objectLock, Optional<String> checksumAlgorithm) {
            this(bucket, key, replaceHeaders, replaceUserMetadata, replaceTags, condition, objectLock,
                    checksumAlgorithm, Map.of(), Optional.empty());
        }

        /** A copy without Object Lock headers or a checksum algorithm of its own. */
        public CopyTarget(String bucket, String key, Optional<Map<String, String>> replaceHeaders,
                Optional<Map<String, String>> replaceUserMetadata, Optional<Map<String, String>> replaceTags,
                WriteCondition condition) {
            this(bucket, key, replaceHeaders, replaceUserMetadata, replaceTags, condition, Map.of(), Optional.empty());
        }
    }

    String createMultipartUpload(UploadSpec spec);

    Part uploadPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
            Optional<String> contentMd5, Supplier<Map<String, String>> checksums);

    Part uploadPartCopy(String bucket, String key, String uploadId, int partNumber, CopySource source);

    /**
     * Assembles the named parts into the object. {@code checksums} turns the upload and its chosen
     * parts into the object's checksums (composite {@code <checksum-of-checksums>-N} or full-object
     * values, as the upload asked).
     */
    ObjectMeta completeMultipartUpload(String bucket, String key, String uploadId, List<CompletedPart> parts,
            WriteCondition condition,
            java.util.function.BiFunction<Upload, List<Part>, Map<String, String>> checksums);

    void abortMultipartUpload(String bucket, String key, String uploadId);

    PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts);

    UploadsPage listMultipartUploads(String bucket, String prefix, String delimiter, String keyMarker,
            String uploadIdMarker, int maxUploads);

    ObjectMeta copyObject(CopySource source, CopyTarget target);
}
