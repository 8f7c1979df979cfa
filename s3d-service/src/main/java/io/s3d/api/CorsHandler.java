package io.s3d.api;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.cors.BucketCors;
import io.s3d.cors.CorsAnswer;
import io.s3d.cors.CorsRule;
import io.s3d.cors.CorsXml;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PutBucketCors, GetBucketCors and DeleteBucketCors on the local store, the browser's preflight
 * ({@code OPTIONS}) answered from the bucket's rules, and the {@code Access-Control-*} headers of
 * the actual requests those rules allow.
 */
final class CorsHandler {
    private static final String NOT_ALLOWED = "CORSResponse: This CORS request is not allowed. This is usually "
            + "because the evalution of Origin, request method / Access-Control-Request-Method or "
            + "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

    private final ObjectBackend backend;
    private final BucketCors rules;

    CorsHandler(ObjectBackend backend) {
        this.backend = backend;
        this.rules = new BucketCors(backend);
    }

    S3Response get(S3Request request) {
        backend.headBucket(request.bucket);
        Optional<byte[]> stored = backend.bucketCors(request.bucket);
        if (stored.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_CORS_CONFIGURATION)
                    .withElements(Map.of("BucketName", request.bucket));
        }
        return S3Response.xml(200, stored.get());
    }

    S3Response put(S3Request request) {
        backend.headBucket(request.bucket);
        byte[] body = request.digestedSmallBody(CorsXml.MAX_BYTES);
        backend.putBucketCors(request.bucket, CorsXml.render(CorsXml.parse(body)));
        return S3Response.status(200);
    }

    S3Response delete(S3Request request) {
        backend.headBucket(request.bucket);
        backend.deleteBucketCors(request.bucket);
        return S3Response.status(204);
    }

    /**
     * A preflight: 200 with the matching rule's headers, or S3's 400/403. Nothing of the bucket but
     * its rules is looked at (not the key), and the request is not authenticated: browsers never sign
     * a preflight, and answering one reveals only what the rules allow.
     */
    S3Response preflight(S3Request request) {
        String origin = request.header("Origin");
        if (origin == null) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Insufficient information. Origin request header needed.");
        }
        String requestMethod = request.header("Access-Control-Request-Method");
        String method = requestMethod == null ? "OPTIONS" : requestMethod;
        Optional<List<CorsRule>> bucketRules;
        try {
            bucketRules = rules.rules(request.bucket);
        } catch (S3Exception e) {
            if (e.errorCode() == S3ErrorCode.NO_SUCH_BUCKET) {
                throw forbidden("CORSResponse: Bucket not found", method, "BUCKET");
            }
            throw e;
        }
        if (bucketRules.isEmpty()) {
            throw forbidden("CORSResponse: CORS is not enabled for this bucket.", method, "BUCKET");
        }
        List<String> requestHeaders = CorsAnswer.requestedHeaders(request.header("Access-Control-Request-Headers"));
        Optional<CorsRule> rule = CorsAnswer.preflight(bucketRules.get(), origin, method, requestHeaders);
        if (rule.isEmpty()) {
            throw forbidden(NOT_ALLOWED, method, request.key == null ? "BUCKET" : "OBJECT");
        }
        S3Response response = S3Response.status(200);
        CorsAnswer.headers(rule.get(), origin, requestHeaders).forEach(response::header);
        return response;
    }

    private static S3Exception forbidden(String message, String method, String resourceType) {
        Map<String, String> elements = new LinkedHashMap<>();
        elements.put("Method", method);
        elements.put("ResourceType", resourceType);
        return new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN, message).withElements(elements);
    }

    /**
     * The CORS headers of an actual (not preflight) request from a web page, on its success or its
     * error alike: those of the bucket's first rule that allows its origin and method; none when no
     * rule does, the request has no {@code Origin}, or the bucket has no rules (or does not exist).
     */
    Map<String, String> actualRequestHeaders(S3Request request) {
        String origin = request.header("Origin");
        if (origin == null || request.bucket == null || request.operation == S3Operation.CORS_PREFLIGHT) {
            return Map.of();
        }
        try {
            return rules.rules(request.bucket)
                    .flatMap(bucketRules -> CorsAnswer.actual(bucketRules, origin, request.method))
                    .map(rule -> CorsAnswer.headers(rule, origin, List.of()))
                    .orElse(Map.of());
        } catch (S3Exception | UncheckedIOException e) {
            return Map.of(); // no bucket, or its rules unreadable: the answer goes out without CORS headers
        }
    }
}
