package io.s3d.filter;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a decision may know about one object: its bucket and key always; its headers and user
 * metadata and its tags when the caller has them (a PUT carries them, a cache entry or the queue
 * journal keeps them); the bucket's tags through a supplier that is only asked when a rule needs
 * them (and that answers from a cache, see {@link BucketTags}). Unknown facts are empty maps.
 *
 * @param headers lower-case standard header names ({@code content-type}, ...); {@code content-length}
 *        is added from {@code size} when that is known (not negative)
 */
public record ObjectFacts(String bucket, String key, long size, Map<String, String> headers,
        Map<String, String> metadata, Supplier<Map<String, String>> objectTags,
        Supplier<Map<String, String>> bucketTags) {

    private static final Supplier<Map<String, String>> NONE = Map::of;

    /** An object known only by its name. */
    public static ObjectFacts of(String bucket, String key) {
        return new ObjectFacts(bucket, key, -1, Map.of(), Map.of(), NONE, NONE);
    }

    public ObjectFacts withSize(long newSize) {
        return new ObjectFacts(bucket, key, newSize, headers, metadata, objectTags, bucketTags);
    }

    public ObjectFacts withHeaders(Map<String, String> newHeaders) {
        return new ObjectFacts(bucket, key, size, newHeaders, metadata, objectTags, bucketTags);
    }

    public ObjectFacts withMetadata(Map<String, String> newMetadata) {
        return new ObjectFacts(bucket, key, size, headers, newMetadata, objectTags, bucketTags);
    }

    public ObjectFacts withObjectTags(Map<String, String> tags) {
        return withObjectTags(() -> tags);
    }

    public ObjectFacts withObjectTags(Supplier<Map<String, String>> tags) {
        return new ObjectFacts(bucket, key, size, headers, metadata, tags, bucketTags);
    }

    public ObjectFacts withBucketTags(Supplier<Map<String, String>> tags) {
        return new ObjectFacts(bucket, key, size, headers, metadata, objectTags, tags);
    }

    /** One fact by where it lives and its name. */
    Optional<String> lookup(Source source, String name) {
        return switch (source) {
            case BUCKET_TAG -> Optional.ofNullable(bucketTags.get().get(name));
            case OBJECT_TAG -> Optional.ofNullable(objectTags.get().get(name));
            case METADATA -> Optional.ofNullable(metadata.get(name));
            case HEADER -> header(name);
        };
    }

    private Optional<String> header(String name) {
        if (name.equals("content-length") && size >= 0) {
            return Optional.of(Long.toString(size));
        }
        String v = headers.get(name);
        if (v == null) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.ofNullable(v);
    }
}
