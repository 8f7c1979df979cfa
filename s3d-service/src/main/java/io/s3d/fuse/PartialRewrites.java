package io.s3d.fuse;

import java.util.concurrent.atomic.LongAdder;

/**
 * When a file opened for writing is staged lazily and stored by parts (see {@link PatchUpload}):
 * from {@code threshold} bytes on ({@code s3d.remote.multipart-threshold}), in parts of
 * {@code partSize} ({@code s3d.remote.part-size}). Counts the bytes the mount's stores sent
 * (uploaded) and those copied where they lay (UploadPartCopy).
 */
public final class PartialRewrites {
    /** The smallest part S3 takes (all but the last). */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** The most parts an S3 upload has. */
    static final int MAX_PARTS = 10_000;

    private final long threshold;
    private final long partSize;
    private final LongAdder uploaded = new LongAdder();
    private final LongAdder copied = new LongAdder();

    public PartialRewrites(long threshold, long partSize) {
        this.threshold = Math.max(threshold, 1);
        this.partSize = Math.max(partSize, MIN_PART_SIZE);
    }

    /** s3d's defaults (16 MiB, 8 MiB parts). */
    static PartialRewrites defaults() {
        return new PartialRewrites(16L * 1024 * 1024, 8L * 1024 * 1024);
    }

    /** Whether an existing file of {@code size} bytes opened for writing is staged lazily. */
    boolean applies(long size) {
        return size >= threshold;
    }

    /** The part size for a file of {@code size} bytes: the configured one, larger when 10,000 parts would not hold it. */
    long partSize(long size) {
        return Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    void uploaded(long bytes) {
        uploaded.add(bytes);
    }

    void copied(long bytes) {
        copied.add(bytes);
    }

    /** Bytes the mount's stores sent from staging files (whole files and changed parts). */
    public long uploadedBytes() {
        return uploaded.sum();
    }

    /** Bytes the mount's stores copied from the stored version instead (UploadPartCopy). */
    public long copiedBytes() {
        return copied.sum();
    }
}
