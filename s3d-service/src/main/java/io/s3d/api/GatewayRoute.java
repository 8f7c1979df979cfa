package io.s3d.api;

import io.s3d.backend.StraightThrough;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a gateway sends one request: answered by s3d's own layers ({@link Route#LOCAL}: the write
 * queue, the read cache, the typed calls to the remote), passed to the remote as the client sent it
 * ({@link Route#FORWARD}, the one generic path), or refused with a reason ({@link Route#REFUSE}).
 * Everything s3d does not model itself is forwarded, so an operation S3 adds later works through
 * s3d on day one.
 */
final class GatewayRoute {
    enum Route {
        LOCAL, FORWARD, REFUSE
    }

    /** A route and why (the operation, header or parameter that decided it). */
    record Decision(Route route, String reason) {
    }

    /** Whether the gateway's own layers hold a multipart upload (the write queue stages some). */
    interface Uploads {
        boolean holds(String bucket, String key, String uploadId);
    }

    private static final Set<S3Operation> ON_AN_UPLOAD = Set.of(S3Operation.UPLOAD_PART,
            S3Operation.UPLOAD_PART_COPY, S3Operation.COMPLETE_MULTIPART_UPLOAD, S3Operation.ABORT_MULTIPART_UPLOAD,
            S3Operation.LIST_PARTS);

    private GatewayRoute() {
    }

    /**
     * @param headers the request's headers (first value of each name)
     */
    static Decision decide(S3Operation operation, String method, String bucket, String key, Map<String, String> query,
            Map<String, String> headers, Uploads uploads) {
        if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("x-amz-request-route"))) {
            return new Decision(Route.REFUSE, "WriteGetObjectResponse is an S3 Object Lambda call, which goes to "
                    + "the Object Lambda endpoint, not to an S3 store; s3d does not serve it.");
        }
        if (operation == S3Operation.POST_OBJECT) {
            // A browser form upload: its fields are checked against the signed policy by s3d.
            return new Decision(Route.LOCAL, operation.awsName());
        }
        if (operation == S3Operation.UNSUPPORTED) {
            return new Decision(Route.FORWARD, "an operation s3d does not serve itself");
        }
        if (operation == S3Operation.GET_BUCKET_VERSIONING) {
            return new Decision(Route.FORWARD, "versioning is the remote's");
        }
        if (operation == S3Operation.LIST_BUCKETS && query.keySet().stream().anyMatch(p -> !p.equals("x-id"))) {
            // s3d's ListBuckets has no pages, prefix or region filter: the remote's has.
            return new Decision(Route.FORWARD, "ListBuckets with parameters (" + String.join(",", query.keySet())
                    + ")");
        }
        Optional<String> straight = StraightThrough.reason(method, query, headers);
        if (straight.isPresent()) {
            return new Decision(Route.FORWARD, straight.get());
        }
        if (ON_AN_UPLOAD.contains(operation) && query.containsKey("uploadId")
                && !uploads.holds(bucket, key, query.get("uploadId"))) {
            return new Decision(Route.FORWARD, "an upload on the remote");
        }
        return new Decision(Route.LOCAL, operation.awsName());
    }
}
