package io.s3d.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import io.s3d.filter.Filters;
import io.s3d.filter.ObjectFacts;
import io.s3d.filter.Purpose;
import io.s3d.filter.Source;
import io.s3d.remote.RemoteBackend;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which reads go through the read cache: the {@code cache} decision of the {@link Filters}
 * ({@code s3d.read-cache.filter}, the filter file's {@code cache:} rules, OPA). Rules on bucket and
 * key cost nothing; bucket tags come from the filters' bucket-tag cache. Rules on headers, metadata
 * or object tags need the object's facts: a cached object's are known; for another one the remote
 * is asked once (HEAD, and the tag set only when a rule looks at tags and the object has any) and
 * the decision is kept for {@code remember} — not one remote request per read.
 */
final class CacheAdmission {
    private final Filters filters;
    private final RemoteBackend remote;
    private final ReadCache cache;
    private final Cache<ObjectId, Boolean> decided;
    /** The rules the remembered decisions were made by: a reload of the filter file forgets them. */
    private volatile long generation;

    CacheAdmission(Filters filters, RemoteBackend remote, ReadCache cache, Duration remember) {
        this.filters = filters;
        this.remote = remote;
        this.cache = cache;
        this.decided = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(remember).build();
    }

    /** Whether a read of {@code id} is served through the cache. */
    boolean caches(ObjectId id) {
        if (filters.selectsEverything(Purpose.CACHE)) {
            return true;
        }
        boolean objectFacts = filters.needs(Purpose.CACHE, Source.HEADER) || filters.needs(Purpose.CACHE, Source.METADATA)
                || filters.needs(Purpose.CACHE, Source.OBJECT_TAG);
        if (!objectFacts) {
            return filters.selects(Purpose.CACHE, ObjectFacts.of(id.bucket(), id.key()));
        }
        long now = filters.generation();
        if (now != generation) {
            decided.invalidateAll();
            generation = now;
        }
        Boolean known = decided.getIfPresent(id);
        if (known != null) {
            return known;
        }
        CacheEntry entry = cache.lookup(id);
        ObjectMeta meta;
        if (entry != null) {
            meta = entry.meta;
        } else {
            try {
                meta = remote.headObject(id.bucket(), id.key());
            } catch (S3Exception e) {
                // The GET will meet the same answer (NoSuchKey, unreachable): let it through the cache.
                return true;
            }
        }
        boolean decision = filters.selects(Purpose.CACHE, facts(id, meta));
        decided.put(id, decision);
        return decision;
    }

    private ObjectFacts facts(ObjectId id, ObjectMeta meta) {
        Supplier<Map<String, String>> tags = () -> {
            if (!meta.tags().isEmpty()) {
                return meta.tags();
            }
            try {
                return remote.getObjectTags(id.bucket(), id.key());
            } catch (S3Exception e) {
                return Map.of();
            }
        };
        return ObjectFacts.of(id.bucket(), id.key()).withSize(meta.size()).withHeaders(meta.headers())
                .withMetadata(meta.userMetadata()).withObjectTags(memo(tags));
    }

    private static Supplier<Map<String, String>> memo(Supplier<Map<String, String>> s) {
        return new Supplier<>() {
            private Map<String, String> value;

            @Override
            public synchronized Map<String, String> get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }

    /** The object changed through s3d: decide again. */
    void forget(String bucket, String key) {
        decided.invalidate(new ObjectId(bucket, key));
    }
}
