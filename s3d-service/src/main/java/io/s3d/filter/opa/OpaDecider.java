package io.s3d.filter.opa;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.config.S3dConfig;
import io.s3d.filter.ObjectFacts;
import io.s3d.filter.PolicyDecider;
import io.s3d.filter.Purpose;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Filter and authorization decisions by Open Policy Agent. The input document is
 * {@code {operation, bucket, key, size, contentType, tags, bucketTags, metadata, identity, purpose}};
 * decisions are kept for a TTL (same input, same decision) in a bounded cache. When OPA gives no
 * decision (timeout, unreachable, HTTP error, malformed or undefined result), the purpose's failure
 * policy decides: allow for the fail-open purposes, deny for the others. Counted as
 * {@code s3d_opa_decisions_total{purpose,result}} and {@code s3d_opa_failures_total{reason}}.
 */
public final class OpaDecider implements PolicyDecider {
    private static final Logger LOG = Logger.getLogger(OpaDecider.class);

    private final OpaClient client;
    private final Set<Purpose> failOpen;
    private final Cache<String, Boolean> decisions;
    private final MeterRegistry registry;
    /** When a failure was last logged: a failing OPA under load logs once every 10 s, the metric counts all. */
    private final java.util.concurrent.atomic.AtomicLong lastWarned = new java.util.concurrent.atomic.AtomicLong();

    public OpaDecider(OpaClient client, Set<Purpose> failOpen, Duration ttl, int maxSize, MeterRegistry registry) {
        this.client = client;
        this.failOpen = failOpen.isEmpty() ? EnumSet.noneOf(Purpose.class) : EnumSet.copyOf(failOpen);
        this.decisions = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).build();
        this.registry = registry;
    }

    /** From configuration; a bad URL or purpose stops start-up naming the key. */
    public static OpaDecider create(String url, S3dConfig.Filter config, MeterRegistry registry) {
        URI uri;
        try {
            uri = URI.create(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("s3d.filter.opa-url (S3D_OPA_URL): '" + url + "' is not an http(s) URL "
                    + "such as http://localhost:8181/v1/data/s3d/allow", e);
        }
        Set<Purpose> failOpen = EnumSet.noneOf(Purpose.class);
        for (String p : config.opaFailOpen()) {
            String name = p.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("NONE")) {
                continue;
            }
            try {
                failOpen.add(Purpose.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("s3d.filter.opa-fail-open (S3D_FILTER_OPA_FAIL_OPEN): '" + p.trim()
                        + "' is not one of upload, cache, sync, access (or none)");
            }
        }
        if (config.opaCacheSize() < 0) {
            throw new IllegalStateException("s3d.filter.opa-cache-size (S3D_FILTER_OPA_CACHE_SIZE) must not be negative");
        }
        return new OpaDecider(new OpaClient(uri, config.opaTimeout()), failOpen, config.opaCacheTtl(),
                config.opaCacheSize(), registry);
    }

    @Override
    public boolean allows(Purpose purpose, ObjectFacts facts) {
        return decide(purpose, operationOf(purpose), null, facts);
    }

    /** Whether an S3 request is allowed (purpose {@code access}). */
    public boolean authorizes(String operation, String identity, ObjectFacts facts) {
        return decide(Purpose.ACCESS, operation, identity, facts);
    }

    private boolean decide(Purpose purpose, String operation, String identity, ObjectFacts facts) {
        try (Traced span = Traces.span("s3d.opa.decide")) {
            span.set("s3d.opa.purpose", purpose.name().toLowerCase(java.util.Locale.ROOT)).set("s3d.opa.operation", operation);
            boolean allowed = consult(purpose, operation, identity, facts);
            span.set("s3d.opa.allowed", allowed);
            return allowed;
        }
    }

    private boolean consult(Purpose purpose, String operation, String identity, ObjectFacts facts) {
        JsonObject input = input(purpose, operation, identity, facts);
        String cacheKey = input.encode();
        Boolean known = decisions.getIfPresent(cacheKey);
        if (known != null) {
            count(purpose, known ? "allow" : "deny");
            return known;
        }
        boolean decision;
        try {
            decision = client.decide(input);
        } catch (OpaClient.OpaException e) {
            boolean open = failOpen.contains(purpose);
            Counter.builder("s3d.opa.failures").description("OPA questions without a decision, by reason")
                    .tag("reason", e.failure().name().toLowerCase(Locale.ROOT)).register(registry).increment();
            count(purpose, open ? "error_allow" : "error_deny");
            long now = System.nanoTime();
            long last = lastWarned.get();
            if ((last == 0 || now - last > 10_000_000_000L) && lastWarned.compareAndSet(last, now)) {
                LOG.warnf("OPA gave no decision for %s of %s/%s (%s); %s by the failure policy", purpose.opaName(),
                        facts.bucket(), facts.key(), e.getMessage(), open ? "allowed" : "denied");
            }
            return open;
        }
        decisions.put(cacheKey, decision);
        count(purpose, decision ? "allow" : "deny");
        return decision;
    }

    private void count(Purpose purpose, String result) {
        Counter.builder("s3d.opa.decisions").description("OPA decisions by purpose and result")
                .tag("purpose", purpose.opaName()).tag("result", result).register(registry).increment();
    }

    static String operationOf(Purpose purpose) {
        return switch (purpose) {
            case UPLOAD -> "PutObject";
            case CACHE -> "GetObject";
            case SYNC -> "Sync";
            case ACCESS -> "Access";
        };
    }

    /** OPA's input document for one decision. */
    static JsonObject input(Purpose purpose, String operation, String identity, ObjectFacts facts) {
        JsonObject in = new JsonObject().put("operation", operation).put("purpose", purpose.opaName())
                .put("bucket", facts.bucket()).put("key", facts.key());
        if (facts.size() >= 0) {
            in.put("size", facts.size());
        }
        String type = facts.headers().get("content-type");
        if (type != null) {
            in.put("contentType", type);
        }
        in.put("tags", json(facts.objectTags().get()));
        in.put("bucketTags", json(facts.bucketTags().get()));
        in.put("metadata", json(facts.metadata()));
        in.put("identity", identity);
        return in;
    }

    private static JsonObject json(Map<String, String> map) {
        JsonObject o = new JsonObject();
        new java.util.TreeMap<>(map).forEach(o::put);
        return o;
    }
}
