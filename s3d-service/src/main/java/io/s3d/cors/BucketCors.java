package io.s3d.cors;

import io.s3d.backend.ObjectBackend;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CORS rules of each bucket, parsed once per stored configuration: the store hands out the
 * same bytes until the configuration changes, so a browser's request pays a map lookup, not an
 * XML parse.
 */
public final class BucketCors {
    private record Parsed(byte[] stored, List<CorsRule> rules) {
    }

    private final ObjectBackend backend;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    public BucketCors(ObjectBackend backend) {
        this.backend = backend;
    }

    /** The bucket's rules; empty when it has no CORS configuration (or this layer keeps none). */
    public Optional<List<CorsRule>> rules(String bucket) {
        Optional<byte[]> stored = backend.bucketCors(bucket);
        if (stored.isEmpty()) {
            parsed.remove(bucket);
            return Optional.empty();
        }
        Parsed known = parsed.get(bucket);
        if (known != null && known.stored() == stored.get()) {
            return Optional.of(known.rules());
        }
        List<CorsRule> rules = CorsXml.parse(stored.get());
        parsed.put(bucket, new Parsed(stored.get(), rules));
        return Optional.of(rules);
    }
}
