package io.s3d.remote;

import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * The remote S3 store as an {@link ObjectBackend}: every call is one (rarely two) requests to the
 * remote through the AWS SDK, bodies streamed in both directions, the remote's errors passed on
 * with their own code, status and message.
 */
public final class RemoteBackend implements ObjectBackend {
    private final S3Client s3;
    private final S3Client uploads;
    private final String region;
    private final String endpoint;
    private final RemoteForwarder forwarder;
    private final BucketVersioning versioning;

    /**
     * @param s3 the client for everything that can be retried
     * @param uploads a client without retries, for clients' bodies streamed through
     */
    public RemoteBackend(S3Client s3, S3Client uploads, String region, String endpoint) {
        this(s3, uploads, region, endpoint, null);
    }

    /** @param forwarder the generic path for requests s3d passes on as the client sent them */
    public RemoteBackend(S3Client s3, S3Client uploads, String region, String endpoint, RemoteForwarder forwarder) {
        this.s3 = s3;
        this.uploads = uploads;
        this.region = region;
        this.endpoint = endpoint;
        this.forwarder = forwarder;
        this.versioning = new BucketVersioning(bucket -> {
            String status = s3.getBucketVersioning(b -> b.bucket(bucket)).statusAsString();
            return status != null && !status.isEmpty();
        });
    }

    @Override
    public io.s3d.backend.ForwardedResponse forward(io.s3d.backend.ForwardedRequest request) {
        if (forwarder == null) {
            return ObjectBackend.super.forward(request);
        }
        io.s3d.backend.ForwardedResponse answer = forwarder.forward(request);
        if (!request.isRead() && request.bucket() != null && (request.key() == null
                && request.query().stream().anyMatch(p -> p.getKey().equals("versioning")))) {
            versioning.forget(request.bucket());
        }
        return answer;
    }

    @Override
    public boolean versioned(String bucket) {
        return versioning.versioned(bucket);
    }

    @Override
    public boolean forwards() {
        return forwarder != null;
    }

    @Override
    public boolean holdsUpload(String bucket, String key, String uploadId) {
        // Uploads on the remote are the remote's: every request on them goes as the client sent it.
        return false;
    }

    public String endpoint() {
        return endpoint;
    }

    @Override
    public List<BucketInfo> listBuckets() {
        return RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.listBuckets().buckets().stream()
                .map(b -> new BucketInfo(b.name(), b.creationDate(), region)).toList());
    }

    @Override
    public void createBucket(String bucket) {
        RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.createBucket(b -> {
            b.bucket(bucket);
            if (!region.equals("us-east-1")) {
                b.createBucketConfiguration(c -> c.locationConstraint(region));
            }
        }));
    }

    @Override
    public BucketInfo headBucket(String bucket) {
        var response = RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.headBucket(b -> b.bucket(bucket)));
        return new BucketInfo(bucket, Instant.EPOCH, Optional.ofNullable(response.bucketRegion()).orElse(region));
    }

    @Override
    public void deleteBucket(String bucket) {
        versioning.forget(bucket);
        RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.deleteBucket(b -> b.bucket(bucket)));
    }

    @Override
    public ObjectMeta putObject(PutRequest request) {
        if (request.contentLength() < 0) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        var builder = PutObjectRequest.builder().bucket(request.bucket()).key(request.key())
                .contentLength(request.contentLength()).metadata(request.userMetadata());
        request.contentMd5().ifPresent(builder::contentMD5);
        RemoteHeaders.apply(request.headers(), builder);
        if (!request.tags().isEmpty()) {
            builder.tagging(RemoteHeaders.tagging(request.tags()));
        }
        if (request.condition().mustNotExist()) {
            builder.ifNoneMatch("*");
        }
        request.condition().ifMatchEtag().ifPresent(builder::ifMatch);
        VerifiedBody body = new VerifiedBody(request.body(), request.contentLength());
        var response = callWithBody(body, () -> uploads.putObject(builder.build(),
                RequestBody.fromContentProvider(body.provider(), request.contentLength(),
                        request.headers().getOrDefault("content-type", "binary/octet-stream"))));
        String etag = Etag.unquote(response.eTag());
        return new ObjectMeta(request.key(), request.contentLength(), etag, Instant.now(), request.headers(),
                request.userMetadata(), request.checksums().get(), request.tags(), 0, etag);
    }

    /**
     * Runs an upload whose body is a client's stream; a failure while reading it (bad signature or
     * checksum, client gone) is that failure, not a remote one.
     */
    private static <T> T callWithBody(VerifiedBody body, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            Optional<S3Exception> clientSide = body.failure();
            if (clientSide.isPresent()) {
                throw clientSide.get();
            }
            throw RemoteErrors.translate(e, S3ErrorCode.NO_SUCH_KEY);
        } catch (IllegalStateException e) {
            throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE,
                    "The remote S3 store failed during the upload; retry the request.", e);
        }
    }

    @Override
    public ObjectData getObject(String bucket, String key) {
        return getObject(bucket, key, null);
    }

    @Override
    public ObjectData getObject(String bucket, String key, String range) {
        return RemoteObjectData.open(s3, bucket, key, null, range);
    }

    @Override
    public ObjectData getObjectVersion(String bucket, String key, String versionId, String range) {
        return RemoteObjectData.open(s3, bucket, key, versionId, range);
    }

    @Override
    public ObjectMeta headObjectVersion(String bucket, String key, String versionId) {
        HeadObjectResponse response = RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY, () -> s3.headObject(
                b -> b.bucket(bucket).key(key).versionId(versionId).checksumMode(ChecksumMode.ENABLED)));
        return RemoteHeaders.meta(key, response);
    }

    /**
     * A GET for the read cache: {@code range} (or all) of the object, of the version {@code ifMatch}
     * when given; empty when the object still has the ETag {@code ifNoneMatch} (304).
     */
    public Optional<Fetched> fetch(String bucket, String key, String range, String ifMatch, String ifNoneMatch) {
        return fetch(bucket, key, range, ifMatch, ifNoneMatch, null);
    }

    /**
     * {@link #fetch(String, String, String, String, String)} whose answer (status and headers) must
     * come within {@code deadline} (null: the read timeout only); a later one counts as unreachable.
     */
    public Optional<Fetched> fetch(String bucket, String key, String range, String ifMatch, String ifNoneMatch,
            java.time.Duration deadline) {
        return fetchVersion(bucket, key, null, range, ifMatch, ifNoneMatch, deadline);
    }

    /** {@link #fetch(String, String, String, String, String, java.time.Duration)} of one version by id (null: the current one). */
    public Optional<Fetched> fetchVersion(String bucket, String key, String versionId, String range, String ifMatch,
            String ifNoneMatch, java.time.Duration deadline) {
        return Optional.ofNullable(RemoteObjectData.fetch(s3, bucket, key, versionId, range, ifMatch, ifNoneMatch,
                deadline));
    }

    /** A HEAD whose answer must come within {@code deadline}; a later one counts as unreachable. */
    public ObjectMeta headObject(String bucket, String key, java.time.Duration deadline) {
        HeadObjectResponse response = RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY,
                () -> s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)
                        .overrideConfiguration(o -> o.apiCallTimeout(deadline))));
        return RemoteHeaders.meta(key, response);
    }

    /**
     * What a GET brought: the object's metadata, the bytes {@code [offset, offset + length)} in
     * {@code body} (close it; closing early aborts the transfer) and how many tags the object has.
     */
    public record Fetched(ObjectMeta meta, long offset, long length, int tagCount, InputStream body)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (java.io.IOException ignored) {
                // An aborted transfer: nothing more to release.
            }
        }
    }

    /** A ranged GET of one version (by ETag), for readers that need a part of it. */
    static GetObjectRequest rangedGet(String bucket, String key, String versionId, String etag, long offset,
            long length) {
        return GetObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).ifMatch('"' + etag + '"')
                .range("bytes=" + offset + "-" + (offset + length - 1)).build();
    }

    @Override
    public ObjectMeta headObject(String bucket, String key) {
        HeadObjectResponse response = RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY,
                () -> s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)));
        return RemoteHeaders.meta(key, response);
    }

    @Override
    public void deleteObject(String bucket, String key) {
        RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public ListPage listObjects(String bucket, ListRequest request) {
        if (request.maxKeys() <= 0) {
            // The bucket must still exist; an empty page, as the local store answers.
            headBucket(bucket);
            return new ListPage(List.of(), List.of(), false, null);
        }
        String startAfter = request.startAfter();
        if (request.delimiter() != null && !startAfter.isEmpty() && startAfter.endsWith(request.delimiter())
                && startAfter.startsWith(request.prefix()) && startAfter.length() > request.prefix().length()) {
            // The previous page ended on a common prefix: skip every key under it, not just the prefix itself.
            startAfter = startAfter + Character.toString(Character.MAX_CODE_POINT);
        }
        String after = startAfter;
        ListObjectsV2Response response = RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET,
                () -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(request.prefix()).delimiter(request.delimiter())
                        .startAfter(after.isEmpty() ? null : after).maxKeys(request.maxKeys())
                        .overrideConfiguration(o -> {
                            if (request.deadline() != null) {
                                o.apiCallTimeout(request.deadline());
                            }
                        })));
        List<ObjectMeta> objects = new ArrayList<>();
        for (S3Object o : response.contents()) {
            String etag = Etag.unquote(o.eTag());
            objects.add(new ObjectMeta(o.key(), o.size(), etag, o.lastModified(), Map.of(), Map.of(), Map.of(),
                    Map.of(), 0, etag));
        }
        List<String> prefixes = response.commonPrefixes().stream().map(CommonPrefix::prefix).toList();
        String next = null;
        if (Boolean.TRUE.equals(response.isTruncated())) {
            Comparator<String> order = io.s3d.store.KeyOrder.COMPARATOR;
            String lastKey = objects.isEmpty() ? null : objects.getLast().key();
            String lastPrefix = prefixes.isEmpty() ? null : prefixes.getLast();
            next = lastKey == null ? lastPrefix
                    : lastPrefix == null ? lastKey : order.compare(lastKey, lastPrefix) > 0 ? lastKey : lastPrefix;
        }
        return new ListPage(objects, prefixes, next != null, next);
    }

    @Override
    public void putObjectTags(String bucket, String key, Map<String, String> tags) {
        if (tags.isEmpty()) {
            RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY, () -> s3.deleteObjectTagging(b -> b.bucket(bucket).key(key)));
        } else {
            RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY, () -> s3.putObjectTagging(
                    b -> b.bucket(bucket).key(key).tagging(t -> t.tagSet(tagList(tags)))));
        }
    }

    @Override
    public Map<String, String> getObjectTags(String bucket, String key) {
        return RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY,
                () -> RemoteHeaders.tagMap(s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet()));
    }

    @Override
    public Map<String, String> getBucketTags(String bucket) {
        try {
            return RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET,
                    () -> RemoteHeaders.tagMap(s3.getBucketTagging(b -> b.bucket(bucket)).tagSet()));
        } catch (S3Exception e) {
            if (S3ErrorCode.NO_SUCH_TAG_SET.code().equals(e.code())) {
                return Map.of();
            }
            throw e;
        }
    }

    @Override
    public void putBucketTags(String bucket, Map<String, String> tags) {
        if (tags.isEmpty()) {
            RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.deleteBucketTagging(b -> b.bucket(bucket)));
        } else {
            RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET,
                    () -> s3.putBucketTagging(b -> b.bucket(bucket).tagging(t -> t.tagSet(tagList(tags)))));
        }
    }

    static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    // --- multipart uploads and copies ---

    @Override
    public String createMultipartUpload(UploadSpec spec) {
        var builder = CreateMultipartUploadRequest.builder().bucket(spec.bucket()).key(spec.key())
                .metadata(spec.userMetadata());
        RemoteHeaders.apply(spec.headers(), builder);
        if (!spec.tags().isEmpty()) {
            builder.tagging(RemoteHeaders.tagging(spec.tags()));
        }
        spec.checksumAlgorithm().ifPresent(builder::checksumAlgorithm);
        spec.checksumType().ifPresent(builder::checksumType);
        return RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.createMultipartUpload(builder.build()))
                .uploadId();
    }

    @Override
    public Part uploadPart(String bucket, String key, String uploadId, int partNumber, InputStream body, long length,
            Optional<String> contentMd5, Supplier<Map<String, String>> checksums) {
        if (length < 0) {
            throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
        }
        var builder = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                .contentLength(length);
        contentMd5.ifPresent(builder::contentMD5);
        VerifiedBody verified = new VerifiedBody(body, length);
        var response = callWithBody(verified, () -> uploads.uploadPart(builder.build(),
                RequestBody.fromContentProvider(verified.provider(), length, "application/octet-stream")));
        return new Part(partNumber, length, Etag.unquote(response.eTag()), Instant.now(), checksums.get());
    }

    @Override
    public Part uploadPartCopy(String bucket, String key, String uploadId, int partNumber, CopySource source) {
        var builder = UploadPartCopyRequest.builder().sourceBucket(source.bucket()).sourceKey(source.key())
                .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(partNumber);
        source.range().ifPresent(r -> builder.copySourceRange("bytes=" + r[0] + "-" + r[1]));
        source.conditions().ifMatch().ifPresent(builder::copySourceIfMatch);
        source.conditions().ifNoneMatch().ifPresent(builder::copySourceIfNoneMatch);
        source.conditions().ifModifiedSince().ifPresent(builder::copySourceIfModifiedSince);
        source.conditions().ifUnmodifiedSince().ifPresent(builder::copySourceIfUnmodifiedSince);
        var result = RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY, () -> s3.uploadPartCopy(builder.build()))
                .copyPartResult();
        long size = source.range().map(r -> r[1] - r[0] + 1).orElse(-1L);
        return new Part(partNumber, size, Etag.unquote(result.eTag()), result.lastModified(), Map.of());
    }

    @Override
    public ObjectMeta completeMultipartUpload(String bucket, String key, String uploadId,
            List<io.s3d.backend.MultipartBackend.CompletedPart> parts, WriteCondition condition,
            BiFunction<Upload, List<Part>, Map<String, String>> checksums) {
        List<software.amazon.awssdk.services.s3.model.CompletedPart> completed = parts.stream()
                .map(p -> software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(p.number()).eTag('"' + Etag.unquote(p.etag()) + '"')
                        .build())
                .toList();
        var response = RemoteErrors.call(S3ErrorCode.NO_SUCH_UPLOAD, () -> s3.completeMultipartUpload(b -> {
            b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build());
            if (condition.mustNotExist()) {
                b.ifNoneMatch("*");
            }
            condition.ifMatchEtag().ifPresent(b::ifMatch);
        }));
        String etag = Etag.unquote(response.eTag());
        return new ObjectMeta(key, -1, etag, Instant.now(), Map.of(), Map.of(), RemoteHeaders.checksums(
                response.checksumCRC32(), response.checksumCRC32C(), response.checksumCRC64NVME(),
                response.checksumSHA1(), response.checksumSHA256()), Map.of(), parts.size(), etag);
    }

    @Override
    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        RemoteErrors.call(S3ErrorCode.NO_SUCH_UPLOAD,
                () -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)));
    }

    @Override
    public PartsPage listParts(String bucket, String key, String uploadId, int partNumberMarker, int maxParts) {
        var response = RemoteErrors.call(S3ErrorCode.NO_SUCH_UPLOAD, () -> s3.listParts(b -> b.bucket(bucket)
                .key(key).uploadId(uploadId).partNumberMarker(partNumberMarker).maxParts(maxParts)));
        List<Part> parts = response.parts().stream().map(p -> new Part(p.partNumber(), p.size(),
                Etag.unquote(p.eTag()), p.lastModified(), RemoteHeaders.checksums(p.checksumCRC32(),
                        p.checksumCRC32C(), p.checksumCRC64NVME(), p.checksumSHA1(), p.checksumSHA256())))
                .toList();
        Upload upload = new Upload(uploadId, key, Instant.EPOCH,
                Optional.ofNullable(response.checksumAlgorithmAsString()),
                Optional.ofNullable(response.checksumTypeAsString()));
        int next = response.nextPartNumberMarker() == null ? 0 : response.nextPartNumberMarker();
        return new PartsPage(parts, Boolean.TRUE.equals(response.isTruncated()), next, upload);
    }

    @Override
    public UploadsPage listMultipartUploads(String bucket, String prefix, String delimiter, String keyMarker,
            String uploadIdMarker, int maxUploads) {
        var response = RemoteErrors.call(S3ErrorCode.NO_SUCH_BUCKET, () -> s3.listMultipartUploads(b -> b
                .bucket(bucket).prefix(prefix).delimiter(delimiter == null || delimiter.isEmpty() ? null : delimiter)
                .keyMarker(keyMarker == null || keyMarker.isEmpty() ? null : keyMarker)
                .uploadIdMarker(uploadIdMarker == null || uploadIdMarker.isEmpty() ? null : uploadIdMarker)
                .maxUploads(maxUploads)));
        List<Upload> uploads = response.uploads().stream().map(u -> new Upload(u.uploadId(), u.key(), u.initiated(),
                Optional.ofNullable(u.checksumAlgorithmAsString()), Optional.ofNullable(u.checksumTypeAsString())))
                .toList();
        return new UploadsPage(uploads, response.commonPrefixes().stream().map(CommonPrefix::prefix).toList(),
                Boolean.TRUE.equals(response.isTruncated()), response.nextKeyMarker(),
                response.nextUploadIdMarker());
    }

    @Override
    public ObjectMeta copyObject(CopySource source, CopyTarget target) {
        var builder = CopyObjectRequest.builder().sourceBucket(source.bucket()).sourceKey(source.key())
                .destinationBucket(target.bucket()).destinationKey(target.key());
        source.conditions().ifMatch().ifPresent(builder::copySourceIfMatch);
        source.conditions().ifNoneMatch().ifPresent(builder::copySourceIfNoneMatch);
        source.conditions().ifModifiedSince().ifPresent(builder::copySourceIfModifiedSince);
        source.conditions().ifUnmodifiedSince().ifPresent(builder::copySourceIfUnmodifiedSince);
        if (target.replaceHeaders().isPresent() || target.replaceUserMetadata().isPresent()) {
            builder.metadataDirective(MetadataDirective.REPLACE);
            RemoteHeaders.apply(target.replaceHeaders().orElse(Map.of()), builder);
            builder.metadata(target.replaceUserMetadata().orElse(Map.of()));
        }
        target.replaceTags().ifPresent(tags -> builder.taggingDirective(TaggingDirective.REPLACE)
                .tagging(RemoteHeaders.tagging(tags)));
        if (target.condition().mustNotExist()) {
            builder.ifNoneMatch("*");
        }
        target.condition().ifMatchEtag().ifPresent(builder::ifMatch);
        var result = RemoteErrors.call(S3ErrorCode.NO_SUCH_KEY, () -> s3.copyObject(builder.build()))
                .copyObjectResult();
        String etag = Etag.unquote(result.eTag());
        return new ObjectMeta(target.key(), -1, etag, result.lastModified(), Map.of(), Map.of(),
                RemoteHeaders.checksums(result.checksumCRC32(), result.checksumCRC32C(),
                        result.checksumCRC64NVME(), result.checksumSHA1(), result.checksumSHA256()),
                Map.of(), 0, etag);
    }

    /** ETags as the remote sends them (quoted) and as s3d keeps them (bare). */
    static final class Etag {
        private Etag() {
        }

        static String unquote(String etag) {
            if (etag == null) {
                return "";
            }
            String e = etag.startsWith("W/") ? etag.substring(2) : etag;
            return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
        }
    }
}
