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

    /** What the gateway's own layers (write queue, read cache) take on; see the same methods of ObjectBackend. */
    interface Layers {
        /** The write queue stages this multipart upload. */
        boolean holdsUpload(String bucket, String key, String uploadId);

        /** The write queue takes writes to this key (null: to the bucket). */
        boolean queuesWrites(String bucket, String key);

        /** The read cache or the write queue has something to answer a read of this key (null: a listing) with. */
        boolean servesReads(String bucket, String key);

        /** The read cache answers GET and HEAD of a version of this key by id. */
        boolean servesVersionReads(String bucket, String key);

        /** The bucket has versioning on or suspended. */
        boolean versioned(String bucket);
    }

    /** Object writes the write queue may take. */
    private static final Set<S3Operation> QUEUEABLE = Set.of(S3Operation.PUT_OBJECT, S3Operation.COPY_OBJECT,
            S3Operation.DELETE_OBJECT, S3Operation.DELETE_OBJECTS, S3Operation.CREATE_MULTIPART_UPLOAD,
            S3Operation.PUT_OBJECT_TAGGING, S3Operation.DELETE_OBJECT_TAGGING);
    /** Other requests the write queue has a say in: it refuses to delete a bucket with queued writes, lists its uploads. */
    private static final Set<S3Operation> QUEUE_MATTERS = Set.of(S3Operation.DELETE_BUCKET,
            S3Operation.LIST_MULTIPART_UPLOADS);
    /** Requests no layer of s3d keeps anything of: the remote's alone. */
    private static final Set<S3Operation> REMOTE_ONLY = Set.of(S3Operation.LIST_BUCKETS, S3Operation.CREATE_BUCKET,
            S3Operation.HEAD_BUCKET, S3Operation.GET_BUCKET_LOCATION, S3Operation.GET_BUCKET_TAGGING,
            S3Operation.PUT_BUCKET_TAGGING, S3Operation.DELETE_BUCKET_TAGGING, S3Operation.GET_BUCKET_ACL,
            S3Operation.PUT_BUCKET_ACL, S3Operation.GET_OBJECT_ACL, S3Operation.PUT_OBJECT_ACL,
            S3Operation.GET_BUCKET_OWNERSHIP_CONTROLS, S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS,
            S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS, S3Operation.GET_PUBLIC_ACCESS_BLOCK,
            S3Operation.PUT_PUBLIC_ACCESS_BLOCK, S3Operation.DELETE_PUBLIC_ACCESS_BLOCK);
    /** Operations the local store answers standalone whose state, in a gateway, only the remote has. */
    private static final Set<S3Operation> REMOTE_STATE = Set.of(S3Operation.GET_BUCKET_VERSIONING,
            S3Operation.PUT_BUCKET_VERSIONING, S3Operation.LIST_OBJECT_VERSIONS, S3Operation.GET_OBJECT_ATTRIBUTES,
            S3Operation.GET_BUCKET_LIFECYCLE_CONFIGURATION, S3Operation.PUT_BUCKET_LIFECYCLE_CONFIGURATION,
            S3Operation.DELETE_BUCKET_LIFECYCLE, S3Operation.GET_BUCKET_ENCRYPTION,
            S3Operation.PUT_BUCKET_ENCRYPTION, S3Operation.DELETE_BUCKET_ENCRYPTION,
            S3Operation.GET_BUCKET_POLICY, S3Operation.PUT_BUCKET_POLICY,
            S3Operation.DELETE_BUCKET_POLICY, S3Operation.GET_BUCKET_POLICY_STATUS, S3Operation.GET_BUCKET_CORS,
            S3Operation.PUT_BUCKET_CORS,
            S3Operation.DELETE_BUCKET_CORS, S3Operation.CORS_PREFLIGHT,
            S3Operation.GET_OBJECT_LOCK_CONFIGURATION, S3Operation.PUT_OBJECT_LOCK_CONFIGURATION,
            S3Operation.GET_OBJECT_RETENTION, S3Operation.PUT_OBJECT_RETENTION, S3Operation.GET_OBJECT_LEGAL_HOLD,
            S3Operation.PUT_OBJECT_LEGAL_HOLD);
    /** Reads the read cache or the write queue may answer. */
    private static final Set<S3Operation> CACHEABLE = Set.of(S3Operation.GET_OBJECT, S3Operation.HEAD_OBJECT,
            S3Operation.GET_OBJECT_TAGGING, S3Operation.LIST_OBJECTS, S3Operation.LIST_OBJECTS_V2);

    private static final Set<S3Operation> ON_AN_UPLOAD = Set.of(S3Operation.UPLOAD_PART,
            S3Operation.UPLOAD_PART_COPY, S3Operation.COMPLETE_MULTIPART_UPLOAD, S3Operation.ABORT_MULTIPART_UPLOAD,
            S3Operation.LIST_PARTS);

    private GatewayRoute() {
    }

    /**
     * @param headers the request's headers (first value of each name)
     */
    static Decision decide(S3Operation operation, String method, String bucket, String key, Map<String, String> query,
            Map<String, String> headers, Layers layers) {
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
        if (REMOTE_STATE.contains(operation)) {
            return new Decision(Route.FORWARD,
                    "versions, object lock, object attributes, lifecycle rules, bucket policies and CORS rules are the remote's");
        }
        if (REMOTE_ONLY.contains(operation)) {
            // A bucket's location constraint, ACL, object lock, region, pages of ListBuckets: the remote's.
            return new Decision(Route.FORWARD, "the remote's alone");
        }
        Optional<String> straight = StraightThrough.reason(method, versionReadServedHere(operation, bucket, key,
                query, layers) ? withoutVersionId(query) : query, headers);
        if (straight.isPresent()) {
            return new Decision(Route.FORWARD, straight.get());
        }
        if (ON_AN_UPLOAD.contains(operation) && query.containsKey("uploadId")
                && !layers.holdsUpload(bucket, key, query.get("uploadId"))) {
            return new Decision(Route.FORWARD, "an upload on the remote");
        }
        if (QUEUE_MATTERS.contains(operation) && !layers.queuesWrites(bucket, null)) {
            return new Decision(Route.FORWARD, "no write queue");
        }
        if (QUEUEABLE.contains(operation)) {
            if (!layers.queuesWrites(bucket, key)) {
                return new Decision(Route.FORWARD, "a write the write queue does not take");
            }
            if (layers.versioned(bucket)) {
                return new Decision(Route.FORWARD, "a write to a versioned bucket (the client gets the version id)");
            }
        }
        if (CACHEABLE.contains(operation) && !layers.servesReads(bucket, key)) {
            return new Decision(Route.FORWARD, "a read neither the read cache nor the write queue answers");
        }
        return new Decision(Route.LOCAL, operation.awsName());
    }

    /** A GET or HEAD of an object version by id that the read cache answers (a version never changes). */
    private static boolean versionReadServedHere(S3Operation operation, String bucket, String key,
            Map<String, String> query, Layers layers) {
        return (operation == S3Operation.GET_OBJECT || operation == S3Operation.HEAD_OBJECT)
                && query.containsKey("versionId") && layers.servesVersionReads(bucket, key);
    }

    private static Map<String, String> withoutVersionId(Map<String, String> query) {
        Map<String, String> rest = new java.util.HashMap<>(query);
        rest.remove("versionId");
        return rest;
    }
}
