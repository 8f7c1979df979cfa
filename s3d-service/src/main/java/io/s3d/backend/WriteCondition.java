package io.s3d.backend;

import java.util.Optional;

/**
 * Conditions on an overwrite: {@code If-None-Match: *} (only create) and {@code If-Match: etag}
 * (only replace that version). Checked under the key's lock, right before the new version is
 * made visible, so two racing conditional writers cannot both win.
 */
public record WriteCondition(boolean mustNotExist, Optional<String> ifMatchEtag) {
    public static final WriteCondition NONE = new WriteCondition(false, Optional.empty());

    public boolean isNone() {
        return !mustNotExist && ifMatchEtag.isEmpty();
    }

    /** Throws PreconditionFailed (or NoSuchKey for If-Match on a missing key) when the current version fails it. */
    public void check(ObjectMeta current) {
        if (mustNotExist && current != null) {
            throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
        }
        if (ifMatchEtag.isPresent()) {
            if (current == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_KEY);
            }
            if (!Etags.matches(ifMatchEtag.get(), current.etag())) {
                throw new S3Exception(S3ErrorCode.PRECONDITION_FAILED);
            }
        }
    }
}
