package io.s3d.filter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.s3d.backend.S3Exception;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Bucket tags for filter rules, kept for a while: a rule on bucket tags costs one remote request
 * per bucket and expiry period, never one per object. A bucket whose tags cannot be read counts as
 * untagged, for a short while only (a remote without bucket tagging answers the same forever).
 */
public final class BucketTags {
    private static final Logger LOG = Logger.getLogger(BucketTags.class);
    private static final Duration RETRY_FAILED = Duration.ofSeconds(5);

    private final Function<String, Map<String, String>> source;
    private final Cache<String, Entry> byBucket;
    private final java.time.Clock clock;

    private record Entry(Map<String, String> tags, long expiresAtMillis) {
    }

    public BucketTags(Function<String, Map<String, String>> source, Duration ttl, java.time.Clock clock) {
        this.source = source;
        this.clock = clock;
        this.byBucket = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    public Map<String, String> of(String bucket) {
        Entry e = byBucket.getIfPresent(bucket);
        if (e != null && e.expiresAtMillis() > clock.millis()) {
            return e.tags();
        }
        Map<String, String> tags;
        long expires = Long.MAX_VALUE;
        try {
            tags = Map.copyOf(source.apply(bucket));
        } catch (S3Exception e2) {
            tags = Map.of();
            // NoSuchTagSet (404) and NotImplemented (501) are answers: no tags. Others may pass.
            if (e2.status() != 404 && e2.status() != 501) {
                LOG.debugf("bucket tags of %s unreadable for filters (%s); counted as none for %s", bucket,
                        e2.getMessage(), RETRY_FAILED);
                expires = clock.millis() + RETRY_FAILED.toMillis();
            }
        }
        byBucket.put(bucket, new Entry(tags, expires));
        return tags;
    }

    /** The bucket's tags changed through s3d: read them again next time. */
    public void forget(String bucket) {
        byBucket.invalidate(bucket);
    }
}
