package io.s3d.fuse;

import io.s3d.backend.CopyConditions;
import io.s3d.backend.MultipartBackend.CompletedPart;
import io.s3d.backend.MultipartBackend.CopySource;
import io.s3d.backend.MultipartBackend.UploadSpec;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Stores a lazily staged file as a multipart upload: a part holding changed bytes (or bytes past
 * the pinned version's end) is uploaded from the staging file, once its unchanged bytes were
 * fetched from the pinned version; every other part is copied from the pinned version where it
 * lies (UploadPartCopy with {@code x-amz-copy-source-range} and {@code x-amz-copy-source-if-match}
 * its ETag), so it never travels through the mount. Parts are aligned on the part size, so all but
 * the last are of that size.
 */
final class PatchUpload {
    private static final Logger LOG = Logger.getLogger(PatchUpload.class);
    /** Copies asked for at once. */
    private static final int COPIES_AT_ONCE = 8;

    /** One part of the new object, {@code [from, to)}: copied from the pinned version, or uploaded. */
    record Part(int number, long from, long to, boolean copied) {
        long length() {
            return to - from;
        }
    }

    private PatchUpload() {
    }

    /** The parts of a file of {@code size} bytes. */
    static List<Part> plan(PinnedVersion pinned, long size, long partSize) {
        List<Part> parts = new ArrayList<>();
        int number = 1;
        for (long from = 0; from < size; from += partSize, number++) {
            long to = Math.min(size, from + partSize);
            parts.add(new Part(number, from, to, pinned.unchanged(from, to)));
        }
        return parts;
    }

    /** Whether storing by parts saves sending anything: some part is copied. */
    static boolean saves(List<Part> plan) {
        return plan.stream().anyMatch(Part::copied);
    }

    /**
     * Stores the file as the new version of {@code bucket/key}. Null when the pinned version is no
     * longer the stored one (a copy's condition failed, or it was deleted) or the store cannot copy
     * parts (NotImplemented): the upload is aborted, nothing was stored, and the caller falls back
     * to storing the whole file.
     */
    static ObjectMeta store(ObjectBackend backend, String bucket, String key, StagingFile staging,
            PinnedVersion pinned, List<Part> plan, Map<String, String> headers, Map<String, String> userMetadata,
            PartialRewrites counts) throws IOException {
        String uploadId = backend.createMultipartUpload(new UploadSpec(bucket, key, headers, userMetadata, Map.of(),
                Optional.empty(), Optional.empty()));
        try {
            String[] etags = new String[plan.size()];
            CopyConditions samePinned = new CopyConditions(Optional.of('"' + pinned.etag() + '"'), Optional.empty(),
                    Optional.empty(), Optional.empty());
            // The copies first (several at once: each is a request the store answers when it copied the
            // part): a version replaced meanwhile is found out before anything is sent.
            try (ExecutorService copiers = Executors.newFixedThreadPool(COPIES_AT_ONCE,
                    Thread.ofVirtual().name("s3d-fuse-copy-", 0).factory())) {
                List<Future<?>> copies = new ArrayList<>();
                for (Part part : plan) {
                    if (part.copied()) {
                        copies.add(copiers.submit(() -> {
                            etags[part.number() - 1] = backend.uploadPartCopy(bucket, key, uploadId, part.number(),
                                    new CopySource(pinned.bucket(), pinned.key(),
                                            Optional.of(new long[] {part.from(), part.to() - 1}), samePinned)).etag();
                            counts.copied(part.length());
                            return null;
                        }));
                    }
                }
                awaitAll(copies);
            }
            for (Part part : plan) {
                if (!part.copied()) {
                    staging.fill(part.from(), part.to());
                    try (InputStream body = staging.slice(part.from(), part.length())) {
                        etags[part.number() - 1] = backend.uploadPart(bucket, key, uploadId, part.number(), body,
                                part.length(), Optional.empty(), Map::of).etag();
                    }
                    counts.uploaded(part.length());
                }
            }
            List<CompletedPart> done = new ArrayList<>(plan.size());
            for (Part part : plan) {
                done.add(new CompletedPart(part.number(), etags[part.number() - 1]));
            }
            return backend.completeMultipartUpload(bucket, key, uploadId, done, WriteCondition.NONE,
                    (upload, parts) -> Map.of());
        } catch (S3Exception e) {
            abort(backend, bucket, key, uploadId, e);
            if (pinnedGone(e)) {
                LOG.infof("FUSE %s/%s changed since it was opened for writing (%s): storing the whole file instead "
                        + "of its changed parts", bucket, key, e.code());
                return null;
            }
            if (e.status() == 501) {
                LOG.warnf("FUSE %s/%s: the store cannot copy parts (%s %s): storing the whole file", bucket, key,
                        e.code(), e.getMessage());
                return null;
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            abort(backend, bucket, key, uploadId, e);
            throw e;
        }
    }

    /** Waits for every copy; the first failure cancels the others and is thrown as it was. */
    private static void awaitAll(List<Future<?>> copies) throws IOException {
        for (Future<?> copy : copies) {
            try {
                copy.get();
            } catch (ExecutionException e) {
                copies.forEach(c -> c.cancel(true));
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException(cause);
            } catch (InterruptedException e) {
                copies.forEach(c -> c.cancel(true));
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while parts were copied");
            }
        }
    }

    /** PreconditionFailed (another version is stored now) or NoSuchKey (it was deleted). */
    private static boolean pinnedGone(S3Exception e) {
        return e.status() == 412 || e.errorCode() == S3ErrorCode.PRECONDITION_FAILED
                || e.errorCode() == S3ErrorCode.NO_SUCH_KEY || "NoSuchKey".equals(e.code());
    }

    private static void abort(ObjectBackend backend, String bucket, String key, String uploadId, Exception cause) {
        try {
            backend.abortMultipartUpload(bucket, key, uploadId);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
