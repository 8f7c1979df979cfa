package io.s3d.lifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One {@code <Rule>} of a bucket's lifecycle configuration, as validated by {@link LifecycleXml}.
 * Each action is present or not; a rule has at least one.
 *
 * @param id the rule's {@code <ID>} (one S3 made up when the client gave none)
 * @param legacyPrefix true when the rule was given with the pre-2016 {@code <Prefix>} element instead of a {@code <Filter>}
 * @param expiration expiry of current versions (and, for Days, of expired delete markers)
 * @param noncurrent expiry of noncurrent versions
 * @param abortAfterDays {@code AbortIncompleteMultipartUpload/DaysAfterInitiation}
 */
public record LifecycleRule(String id, boolean enabled, Filter filter, boolean legacyPrefix,
        Optional<Expiration> expiration, Optional<NoncurrentExpiration> noncurrent, OptionalInt abortAfterDays) {

    /**
     * What a rule applies to: a key prefix, tags that must all be present with these values, and
     * object sizes strictly between the bounds. {@code andForm} records that the client wrote an
     * {@code <And>}, so that GetBucketLifecycleConfiguration gives back the same shape.
     */
    public record Filter(String prefix, Map<String, String> tags, OptionalLong sizeGreaterThan,
            OptionalLong sizeLessThan, boolean andForm, boolean prefixGiven) {
        public static final Filter ALL = new Filter("", Map.of(), OptionalLong.empty(), OptionalLong.empty(), false,
                false);

        /** Whether an object (or version) with this key, size and tags is subject to the rule. */
        public boolean matches(String key, long size, Map<String, String> objectTags) {
            if (!key.startsWith(prefix)) {
                return false;
            }
            if (sizeGreaterThan.isPresent() && size <= sizeGreaterThan.getAsLong()) {
                return false;
            }
            if (sizeLessThan.isPresent() && size >= sizeLessThan.getAsLong()) {
                return false;
            }
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                if (!tag.getValue().equals(objectTags.get(tag.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether a delete marker falls under the rule: markers have no tags (a tag filter never
         * selects one) and no size (size bounds do not apply to them), only a key.
         */
        public boolean matchesMarker(String key) {
            return tags.isEmpty() && key.startsWith(prefix);
        }

        boolean hasSize() {
            return sizeGreaterThan.isPresent() || sizeLessThan.isPresent();
        }
    }

    /** {@code <Expiration>}: exactly one of Days, Date or ExpiredObjectDeleteMarker. */
    public record Expiration(OptionalInt days, Optional<Instant> date, Optional<Boolean> expiredObjectDeleteMarker) {
    }

    /** {@code <NoncurrentVersionExpiration>}. */
    public record NoncurrentExpiration(int noncurrentDays, OptionalInt newerNoncurrentVersions) {
    }

    /** When the current version with this time of last modification expires under this rule, if it does. */
    public Optional<Instant> expiryOf(Instant lastModified) {
        if (expiration.isEmpty()) {
            return Optional.empty();
        }
        Expiration e = expiration.get();
        if (e.date().isPresent()) {
            return e.date();
        }
        if (e.days().isPresent()) {
            return Optional.of(LifecycleDates.after(lastModified, e.days().getAsInt()));
        }
        return Optional.empty();
    }

    /** Whether the rule removes delete markers that are the only version left of their key, at once. */
    public boolean removesExpiredMarkers() {
        return expiration.flatMap(Expiration::expiredObjectDeleteMarker).orElse(false);
    }
}
