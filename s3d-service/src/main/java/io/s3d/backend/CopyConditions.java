package io.s3d.backend;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The {@code x-amz-copy-source-if-*} rules, checked against the source version being copied. */
public record CopyConditions(Optional<String> ifMatch, Optional<String> ifNoneMatch,
        Optional<Instant> ifModifiedSince, Optional<Instant> ifUnmodifiedSince) {
    public static final CopyConditions NONE = new CopyConditions(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /** Throws PreconditionFailed when the source fails them, with AWS's precedence. */
    public void check(ObjectMeta source) {
        Instant modified = source.lastModified().truncatedTo(ChronoUnit.SECONDS);
        boolean matchHolds = ifMatch.map(tag -> Etags.matches(tag, source.etag())).orElse(true);
        if (!matchHolds) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
        }
        if (ifMatch.isEmpty() && ifUnmodifiedSince.map(modified::isAfter).orElse(false)) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
        }
        if (ifNoneMatch.map(tag -> Etags.matches(tag, source.etag())).orElse(false)) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
        }
        if (ifNoneMatch.isEmpty() && ifModifiedSince.map(since -> !modified.isAfter(since)).orElse(false)) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
        }
    }
}
