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

    void remember(String bucket, ListRequest request, ListPage page) {
        pages.put(new Page(bucket, request), page);
    }

    Optional<ListPage> recall(String bucket, ListRequest request) {
        return Optional.ofNullable(pages.getIfPresent(new Page(bucket, request)));
    }

    void forget(String bucket) {
        pages.asMap().keySet().removeIf(p -> p.bucket().equals(bucket));
    }
}
