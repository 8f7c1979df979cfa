package io.s3d.backend;

import java.time.Instant;
import java.util.List;

/** The values S3 versioning adds to the storage contract (see the versioning calls of {@link ObjectBackend}). */
public final class ObjectVersions {
    /** The id S3 gives the version written while versioning is off or suspended. */
    public static final String NULL_ID = "null";

    private ObjectVersions() {
    }

    /** A bucket's versioning status as S3 names it: never set (no status at all), Enabled or Suspended. */
    public enum Status {
        UNVERSIONED, ENABLED, SUSPENDED;

        /** The {@code <Status>} text, empty for a bucket that never had versioning. */
        public String xml() {
            return switch (this) {
                case UNVERSIONED -> "";
                case ENABLED -> "Enabled";
                case SUSPENDED -> "Suspended";
            };
        }
    }

    /**
     * What a delete did: the version it removed or the delete marker it made ({@code versionId}
     * null when the bucket is unversioned), and whether that version is a delete marker.
     */
    public record Deleted(String versionId, boolean deleteMarker) {
        public static final Deleted UNVERSIONED = new Deleted(null, false);
    }

    /**
     * One version of a key in a ListObjectVersions page: an object ({@code meta} set) or a delete
     * marker ({@code meta} null).
     */
    public record Version(String key, String versionId, boolean latest, Instant lastModified, ObjectMeta meta) {
        public boolean deleteMarker() {
            return meta == null;
        }
    }

    /** ListObjectVersions parameters; markers may be null. */
    public record ListRequest(String prefix, String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
    }

    /** One page of versions (newest first within a key) and common prefixes, with where the next page starts. */
    public record Page(List<Version> versions, List<String> commonPrefixes, boolean truncated, String nextKeyMarker,
            String nextVersionIdMarker) {
    }
}
