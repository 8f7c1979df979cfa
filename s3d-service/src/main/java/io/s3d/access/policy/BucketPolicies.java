package io.s3d.access.policy;

import io.s3d.access.AccessRequest;
import io.s3d.access.PolicyDecider;
import io.s3d.access.PolicyEffect;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bucket policies of the local store, parsed once per stored document: the store hands out the
 * same bytes until the policy changes, so evaluating a request pays a map lookup, not a JSON parse.
 * A bucket that does not exist (or a layer that keeps no policies, as a gateway) has no policy.
 */
@ApplicationScoped
public class BucketPolicies implements PolicyDecider {
    private record Parsed(byte[] stored, PolicyDocument document) {
    }

    private final ObjectBackend backend;
    private final Clock clock;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    @Inject
    public BucketPolicies(ObjectBackend backend, Clock clock) {
        this.backend = backend;
        this.clock = clock;
    }

    @Override
    public PolicyEffect effect(AccessRequest request) {
        if (request.bucket() == null) {
            return PolicyEffect.NONE;
        }
        return document(request.bucket()).map(d -> d.effect(request, clock.instant())).orElse(PolicyEffect.NONE);
    }

    @Override
    public boolean isPublic(String bucket) {
        return document(bucket).map(PolicyDocument::isPublic).orElse(false);
    }

    /** The bucket's policy, parsed; empty when it has none. */
    public Optional<PolicyDocument> document(String bucket) {
        Optional<byte[]> stored;
        try {
            stored = backend.bucketPolicy(bucket);
        } catch (S3Exception e) {
            if (e.errorCode() == S3ErrorCode.NO_SUCH_BUCKET) {
                parsed.remove(bucket);
                return Optional.empty();
            }
            throw e;
        }
        if (stored.isEmpty()) {
            parsed.remove(bucket);
            return Optional.empty();
        }
        Parsed known = parsed.get(bucket);
        if (known != null && known.stored() == stored.get()) {
            return Optional.of(known.document());
        }
        PolicyDocument document = PolicyParser.parse(stored.get(), bucket);
        parsed.put(bucket, new Parsed(stored.get(), document));
        return Optional.of(document);
    }
}
