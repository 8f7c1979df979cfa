package io.s3d.filter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.s3d.backend.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Bucket tags for filter rules, kept for a while: a rule on bucket tags costs one remote request
 * per bucket and period, never one per object. Only a bucket's first decision waits for the
 * remote; after that, tags past their time are still used while they are read again in the
 * background, so an unreachable remote never stalls a request here. A bucket whose tags cannot be
 * read counts as untagged (or keeps the tags it had), and is asked again after a few seconds;
 * NoSuchTagSet and NotImplemented are answers (no tags).
 */
public final class BucketTags {
    private static final Logger LOG = Logger.getLogger(BucketTags.class);
    private static final Duration RETRY_FAILED = Duration.ofSeconds(5);
    private static final Executor REFRESH = Executors.newVirtualThreadPerTaskExecutor();

    private final Function<String, Map<String, String>> source;
    private final Duration ttl;
    private final Clock clock;
    private final Cache<String, Entry> byBucket = Caffeine.newBuilder().maximumSize(10_000).build();

    private record Entry(Map<String, String> tags, long freshUntilMillis, AtomicBoolean refreshing) {
    }

    public BucketTags(Function<String, Map<String, String>> source, Duration ttl, Clock clock) {
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    public Map<String, String> of(String bucket) {
        Entry e = byBucket.getIfPresent(bucket);
        if (e == null) {
            return load(bucket, Map.of());
        }
        if (e.freshUntilMillis() <= clock.millis() && e.refreshing().compareAndSet(false, true)) {
            REFRESH.execute(() -> load(bucket, e.tags()));
        }
        return e.tags();
    }

    private Map<String, String> load(String bucket, Map<String, String> known) {
        Map<String, String> tags;
        long freshFor = ttl.toMillis();
        try {
            tags = Map.copyOf(source.apply(bucket));
        } catch (RuntimeException e) {
            // Whatever went wrong, an entry is put: a refresh that left none would never run again.
            if (e instanceof S3Exception s3 && (s3.status() == 404 || s3.status() == 501)) {
                tags = Map.of();
            } else {
                LOG.debugf("bucket tags of %s unreadable for filters (%s); asked again in %s", bucket,
                        e.getMessage(), RETRY_FAILED);
                tags = known;
                freshFor = RETRY_FAILED.toMillis();
            }
        }
        byBucket.put(bucket, new Entry(tags, clock.millis() + freshFor, new AtomicBoolean()));
        return tags;
    }

    /** The bucket's tags changed through s3d: read them again next time. */
    public void forget(String bucket) {
        byBucket.invalidate(bucket);
    }
}
