package io.s3d.access.policy;

import io.s3d.access.AccessRequest;
import java.time.Instant;
import java.util.List;

/**
 * One statement of a bucket policy, validated. A list with its {@code not} flag set (NotPrincipal,
 * NotAction, NotResource) matches what the list does not.
 */
record Statement(String sid, boolean allow, Principals principals, boolean notPrincipal, List<Glob> actions,
        boolean notAction, List<Glob> resources, boolean notResource, List<Condition> conditions) {
    /** Whether the statement speaks of {@code request} (its effect then applies). */
    boolean applies(AccessRequest request, Instant now) {
        if (principals.matches(request.identity()) == notPrincipal) {
            return false;
        }
        boolean action = actions.stream().anyMatch(a -> a.matches(request.action()));
        if (action == notAction) {
            return false;
        }
        String arn = arnOf(request);
        boolean resource = resources.stream().anyMatch(r -> r.matches(arn));
        if (resource == notResource) {
            return false;
        }
        return conditions.stream().allMatch(c -> c.holds(request, now));
    }

    /** The ARN of what the request acts on: the bucket, or an object in it. */
    static String arnOf(AccessRequest request) {
        String bucket = PolicyParser.ARN_PREFIX + request.bucket();
        return request.key() == null ? bucket : bucket + "/" + request.key();
    }
}
