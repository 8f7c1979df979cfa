package io.s3d.lifecycle;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifecycle rules of each bucket, parsed once per stored configuration: the store hands out
 * the same bytes until the configuration changes, so a GET pays a map lookup, not an XML parse.
 * Also computes {@code x-amz-expiration}, which AWS sends on PUT, GET and HEAD of an object an
 * Expiration rule will remove.
 */
public final class BucketLifecycles {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US).withZone(ZoneOffset.UTC);

    private record Parsed(byte[] stored, List<LifecycleRule> rules) {
    }

    private final ObjectBackend backend;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    public BucketLifecycles(ObjectBackend backend) {
        this.backend = backend;
    }

    /** The bucket's rules (none when it has no lifecycle configuration, or the layer keeps none). */
    public List<LifecycleRule> rules(String bucket) {
        Optional<byte[]> stored = backend.bucketLifecycle(bucket);
        if (stored.isEmpty()) {
            parsed.remove(bucket);
            return List.of();
        }
        Parsed known = parsed.get(bucket);
        if (known != null && known.stored() == stored.get()) {
            return known.rules();
        }
        List<LifecycleRule> rules = LifecycleXml.parse(stored.get());
        parsed.put(bucket, new Parsed(stored.get(), rules));
        return rules;
    }

    /** The earliest Expiration of the current version {@code meta} under the enabled rules, and the rule's id. */
    public static Optional<Expiry> expiry(List<LifecycleRule> rules, ObjectMeta meta) {
        Expiry earliest = null;
        for (LifecycleRule rule : rules) {
            if (!rule.enabled() || !rule.filter().matches(meta.key(), meta.size(), meta.tags())) {
                continue;
            }
            Optional<Instant> date = rule.expiryOf(meta.lastModified());
            if (date.isPresent() && (earliest == null || date.get().isBefore(earliest.date()))) {
                earliest = new Expiry(date.get(), rule.id());
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** When an object expires, and by which rule. */
    public record Expiry(Instant date, String ruleId) {
        /** The {@code x-amz-expiration} header value: {@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="..."}. */
        public String header() {
            return "expiry-date=\"" + HTTP_DATE.format(date) + "\", rule-id=\"" + ruleId + "\"";
        }
    }

    /** {@code x-amz-expiration} for the current version {@code meta} of a key in {@code bucket}, if a rule expires it. */
    public Optional<String> expirationHeader(String bucket, ObjectMeta meta) {
        List<LifecycleRule> rules = rules(bucket);
        return rules.isEmpty() ? Optional.empty() : expiry(rules, meta).map(Expiry::header);
    }
}
