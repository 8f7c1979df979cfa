package io.s3d.queue;

import io.s3d.backend.MultipartBackend;
import io.s3d.backend.PutRequest;
import io.s3d.filter.FilterParser;
import io.s3d.filter.Filters;
import io.s3d.filter.ObjectFacts;
import io.s3d.filter.Purpose;
import java.util.Map;

/**
 * Which writes go through the queue: the {@code upload} decision of the {@link Filters}
 * ({@code s3d.write-queue.filter}, the filter file's {@code queue:} rules, OPA). The bucket/prefix
 * patterns of earlier versions are filters of the same language: {@code logs} queues every key of
 * bucket {@code logs}; {@code photos/raw/} every key under {@code raw/}; {@code *-edge/*.jpg} keys
 * ending in {@code .jpg} of buckets ending in {@code -edge}. No rules: everything.
 */
public final class QueueFilter {
    private final Filters filters;

    public QueueFilter(Filters filters) {
        this.filters = filters;
    }

    /** A filter of {@code s3d.write-queue.filter} rules alone (tests, tools). */
    public static QueueFilter parse(String text) {
        io.s3d.filter.RuleSet rules;
        try {
            rules = FilterParser.parseList(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("s3d.write-queue.filter (S3D_WRITE_QUEUE_FILTER): " + e.getMessage(), e);
        }
        return new QueueFilter(new Filters(Map.of(Purpose.UPLOAD, rules), io.s3d.filter.FilterFile.EMPTY,
                java.util.Optional.empty()));
    }

    /** Whether a write to {@code bucket}/{@code key} is queued, known by its name alone. */
    public boolean queues(String bucket, String key) {
        return filters.selects(Purpose.UPLOAD, ObjectFacts.of(bucket, key));
    }

    /** Whether a PUT is queued: by its name, headers, metadata, size and tags, as the request carries them. */
    public boolean queues(PutRequest request) {
        return filters.selects(Purpose.UPLOAD, ObjectFacts.of(request.bucket(), request.key())
                .withSize(request.contentLength()).withHeaders(request.headers())
                .withMetadata(request.userMetadata()).withObjectTags(request.tags()));
    }

    /** Whether a multipart upload is queued, by what its initiation carries. */
    public boolean queues(MultipartBackend.UploadSpec spec) {
        return filters.selects(Purpose.UPLOAD, ObjectFacts.of(spec.bucket(), spec.key())
                .withHeaders(spec.headers()).withMetadata(spec.userMetadata()).withObjectTags(spec.tags()));
    }

    public boolean queuesEverything() {
        return filters.selectsEverything(Purpose.UPLOAD);
    }

    @Override
    public String toString() {
        if (queuesEverything()) {
            return "(everything)";
        }
        String setting = filters.setting(Purpose.UPLOAD).toString();
        return filters.file().sections().containsKey("queue") || filters.file().sections().containsKey("exclude")
                || filters.opa().isPresent() ? setting + " and the filter file/OPA" : setting;
    }
}
