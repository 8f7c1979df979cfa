package io.s3d.remote;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Copies a local object to the remote with everything that makes it the same object: content type
 * and the other stored headers, user metadata, tags and (for single uploads) its additional
 * checksums, which the remote verifies. Content-MD5 is sent with every request, so the remote
 * rejects bytes damaged on the way. Large objects go by multipart upload, several parts at once,
 * each read straight from the local file (a retry re-reads it).
 */
public final class ObjectUploader {
    /**
     * Told of the multipart uploads a push opens on the remote, so an upload a crash or a lost link
     * leaves open can be aborted later (an open upload keeps its parts, billed, on AWS).
     */
    public interface UploadLog {
        UploadLog NONE = new UploadLog() {
            @Override
            public void started(String bucket, String key, String uploadId) {
            }

            @Override
            public void ended(String uploadId) {
            }
        };

        /** The upload was created: record it durably before any part is sent (throwing aborts the push). */
        void started(String bucket, String key, String uploadId);

        /** The upload was completed or aborted: nothing is left open on the remote. */
        void ended(String uploadId);

        /** The push failed and could not abort the upload (the link is down, say): it is left open for later. */
        default void abandoned(String uploadId) {
        }
    }

    private final S3Client s3;
    private final long multipartThreshold;
    private final long partSize;
    private final int partsInFlight;
    private final ExecutorService partThreads = Executors.newVirtualThreadPerTaskExecutor();

    public ObjectUploader(S3Client s3, long multipartThreshold, long partSize, int partsInFlight) {
        this.s3 = s3;
        this.multipartThreshold = multipartThreshold;
        this.partSize = Math.max(5L * 1024 * 1024, partSize);
        this.partsInFlight = Math.max(1, partsInFlight);
    }

    /** Uploads {@code data} as {@code bucket}/{@code key}; returns the remote's ETag. */
    public String upload(String bucket, String key, ObjectData data) {
        return upload(bucket, key, data, WriteCondition.NONE);
    }

    /**
     * Uploads {@code data} as {@code bucket}/{@code key} if the remote's current version still meets
     * {@code condition} (If-None-Match / If-Match, decided by the remote when the object is complete);
     * returns the remote's ETag, or throws the remote's 412 PreconditionFailed.
     */
    public String upload(String bucket, String key, ObjectData data, WriteCondition condition) {
        return upload(bucket, key, data, condition, UploadLog.NONE);
    }

    /** As {@link #upload(String, String, ObjectData, WriteCondition)}, telling {@code log} of multipart uploads. */
    public String upload(String bucket, String key, ObjectData data, WriteCondition condition, UploadLog log) {
        ObjectMeta meta = data.meta();
        try {
            return meta.size() >= multipartThreshold || compositeAlgorithm(meta) != null
                    ? multipart(bucket, key, data, condition, log) : single(bucket, key, data, condition);
        } catch (SdkException e) {
            throw RemoteErrors.translate(e, S3ErrorCode.NO_SUCH_BUCKET);
        }
    }

    private String single(String bucket, String key, ObjectData data, WriteCondition condition) {
        ObjectMeta meta = data.meta();
        var builder = PutObjectRequest.builder().bucket(bucket).key(key).contentLength(meta.size())
                .metadata(meta.userMetadata()).contentMD5(md5(data, 0, meta.size()));
        if (condition.mustNotExist()) {
            builder.ifNoneMatch("*");
        }
        condition.ifMatchEtag().map(ObjectUploader::quoted).ifPresent(builder::ifMatch);
        RemoteHeaders.apply(meta.headers(), builder);
        if (!meta.tags().isEmpty()) {
            builder.tagging(RemoteHeaders.tagging(meta.tags()));
        }
        fullObjectChecksums(meta).forEach((algorithm, value) -> {
            switch (algorithm) {
                case "CRC32" -> builder.checksumCRC32(value);
                case "CRC32C" -> builder.checksumCRC32C(value);
                case "CRC64NVME" -> builder.checksumCRC64NVME(value);
                case "SHA1" -> builder.checksumSHA1(value);
                case "SHA256" -> builder.checksumSHA256(value);
                default -> {
                }
            }
        });
        // Named too (the value is sent as is, not computed again): some stores keep a checksum only
        // when the request names its algorithm.
        fullObjectChecksums(meta).keySet().stream().findFirst().ifPresent(builder::checksumAlgorithm);
        var response = s3.putObject(builder.build(), RequestBody.fromContentProvider(() -> open(data, 0, meta.size()),
                meta.size(), meta.contentType()));
        return RemoteBackend.Etag.unquote(response.eTag());
    }

    /** Checksums of the whole content; composite ones ({@code …-N}) describe parts s3d does not keep. */
    private static Map<String, String> fullObjectChecksums(ObjectMeta meta) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        meta.checksums().forEach((k, v) -> {
            if (!v.contains("-")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * The algorithm of an object's composite checksum (one of part checksums, {@code …-N}) when s3d
     * knows the parts the client uploaded it in, else null. Such an object is pushed in the very
     * same parts, each with its checksum, so the remote verifies them and composes the checksum the
     * client was given (and the same multipart ETag).
     */
    private static software.amazon.awssdk.services.s3.model.ChecksumAlgorithm compositeAlgorithm(ObjectMeta meta) {
        if (meta.partSizes().isEmpty() || meta.partSizes().stream().mapToLong(Long::longValue).sum() != meta.size()) {
            return null;
        }
        return meta.checksums().entrySet().stream().filter(c -> c.getValue().endsWith("-" + meta.partSizes().size()))
                .map(c -> software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.fromValue(c.getKey()))
                .filter(a -> a != software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.UNKNOWN_TO_SDK_VERSION)
                .findFirst().orElse(null);
    }

    /** The part boundaries of a push: the client's own for an object with a composite checksum, else s3d's part size. */
    private List<long[]> partsOf(ObjectMeta meta, boolean clientParts) {
        List<long[]> parts = new ArrayList<>();
        if (clientParts) {
            long offset = 0;
            for (long size : meta.partSizes()) {
                parts.add(new long[] { offset, size });
                offset += size;
            }
            return parts;
        }
        for (long offset = 0; offset < meta.size(); offset += partSize) {
            parts.add(new long[] { offset, Math.min(partSize, meta.size() - offset) });
        }
        return parts;
    }

    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : '"' + etag + '"';
    }

    private String multipart(String bucket, String key, ObjectData data, WriteCondition condition, UploadLog log) {
        ObjectMeta meta = data.meta();
        var algorithm = compositeAlgorithm(meta);
        var create = CreateMultipartUploadRequest.builder().bucket(bucket).key(key).metadata(meta.userMetadata())
                .checksumAlgorithm(algorithm);
        RemoteHeaders.apply(meta.headers(), create);
        if (!meta.tags().isEmpty()) {
            create.tagging(RemoteHeaders.tagging(meta.tags()));
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        try {
            log.started(bucket, key, uploadId);
            List<Future<CompletedPart>> parts = new ArrayList<>();
            Semaphore inFlight = new Semaphore(partsInFlight);
            int number = 1;
            for (long[] part : partsOf(meta, algorithm != null)) {
                long partOffset = part[0];
                long length = part[1];
                int partNumber = number++;
                inFlight.acquire();
                parts.add(partThreads.submit(() -> {
                    try {
                        // With an algorithm the SDK computes the part's checksum over the bytes it sends.
                        var response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length).checksumAlgorithm(algorithm)
                                .contentMD5(md5(data, partOffset, length)),
                                RequestBody.fromContentProvider(() -> open(data, partOffset, length), length,
                                        "application/octet-stream"));
                        return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                                .checksumCRC32(response.checksumCRC32()).checksumCRC32C(response.checksumCRC32C())
                                .checksumCRC64NVME(response.checksumCRC64NVME()).checksumSHA1(response.checksumSHA1())
                                .checksumSHA256(response.checksumSHA256()).build();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                completed.add(part.get());
            }
            var response = s3.completeMultipartUpload(b -> {
                b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed));
                if (condition.mustNotExist()) {
                    b.ifNoneMatch("*");
                }
                condition.ifMatchEtag().map(ObjectUploader::quoted).ifPresent(b::ifMatch);
            });
            log.ended(uploadId);
            return RemoteBackend.Etag.unquote(response.eTag());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortQuietly(bucket, key, uploadId, log);
            throw new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "push interrupted");
        } catch (ExecutionException e) {
            abortQuietly(bucket, key, uploadId, log);
            if (e.getCause() instanceof SdkException sdk) {
                throw sdk;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            abortQuietly(bucket, key, uploadId, log);
            throw e;
        }
    }

    private void abortQuietly(String bucket, String key, String uploadId, UploadLog log) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            log.ended(uploadId);
        } catch (RuntimeException notNow) {
            // The link is down, say: the upload stays in the log and is aborted later. The push is retried anyway.
            log.abandoned(uploadId);
        }
    }

    private static InputStream open(ObjectData data, long offset, long length) {
        try {
            return data.open(offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(ObjectData data, long offset, long length) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (offset == 0 && length == data.meta().size() && data.meta().partsCount() == 0
                && data.meta().etag().matches("[0-9a-f]{32}")) {
            // A single-part object's ETag is the MD5 of its content.
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(data.meta().etag()));
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = data.open(offset, length)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md5.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(md5.digest());
    }
}
