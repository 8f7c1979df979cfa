package io.s3d.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import java.util.Optional;

/**
 * The last listing pages the remote gave, in memory (bounded by the objects they name), to answer
 * a LIST the same way when the remote cannot be reached. A write to a bucket through s3d forgets its
 * pages: a listing that would leave out that write is not given.
 */
final class ListingMemory {
    private record Page(String bucket, ListRequest request) {
    }

    private final Cache<Page, ListPage> pages = Caffeine.newBuilder().maximumWeight(200_000)
            .weigher((Page p, ListPage l) -> 1 + l.objects().size() + l.commonPrefixes().size()).build();

    /** Bumped by every write to the bucket: a page asked for before one is not kept. */
    private final java.util.Map<String, Long> generations = new java.util.concurrent.ConcurrentHashMap<>();

    long generation(String bucket) {
        return generations.getOrDefault(bucket, 0L);
    }

    /** Keeps a page the remote gave, unless the bucket was written since {@code generation}. */
    synchronized void remember(String bucket, ListRequest request, ListPage page, long generation) {
        if (generation(bucket) == generation) {
            pages.put(new Page(bucket, request), page);
        }
    }

    Optional<ListPage> recall(String bucket, ListRequest request) {
        return Optional.ofNullable(pages.getIfPresent(new Page(bucket, request)));
    }

    synchronized void forget(String bucket) {
        generations.merge(bucket, 1L, Long::sum);
        pages.asMap().keySet().removeIf(p -> p.bucket().equals(bucket));
    }
}
