package io.s3d.backend;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests a gateway passes to the remote exactly as the client sent them instead of
 * answering them from its own layers (write queue, read cache, typed remote calls): those whose
 * meaning s3d's own model does not carry, so that answering them locally would drop part of what
 * the client asked for.
 *
 * <ul>
 * <li>Encryption (SSE-S3, SSE-KMS, SSE-C, and the copy source's SSE-C key): the remote encrypts;
 *     an SSE-C key must never be kept on s3d's disk, nor its object in the clear in the read cache.</li>
 * <li>Object lock (mode, retain-until, legal hold, bypass governance): a retention the client sets
 *     is the remote's promise, and its refusals are the remote's.</li>
 * <li>Conditional writes (If-Match / If-None-Match on a PUT, copy or CompleteMultipartUpload):
 *     only the remote can decide them against other clients' writes at the moment of the write.</li>
 * <li>ACLs (canned and grants), storage class, website redirect, request payer, expected bucket
 *     owner, object-lock and other headers s3d does not store.</li>
 * <li>{@code versionId}: versions live on the remote (a GET or HEAD of one version the read cache
 *     answers itself: see {@code GatewayRoute}).</li>
 * </ul>
 *
 * The write queue never sees these requests, so nothing queued ever depends on them.
 */
public final class StraightThrough {
    private static final List<String> HEADER_PREFIXES = List.of("x-amz-server-side-encryption",
            "x-amz-copy-source-server-side-encryption", "x-amz-object-lock-", "x-amz-grant-");
    private static final Set<String> HEADERS = Set.of("x-amz-acl", "x-amz-bypass-governance-retention",
            "x-amz-website-redirect-location", "x-amz-request-payer", "x-amz-expected-bucket-owner",
            "x-amz-source-expected-bucket-owner", "x-amz-write-offset-bytes", "x-amz-checksum-type",
            "x-amz-object-ownership", "x-amz-bucket-object-lock-enabled", "x-amz-mfa");
    /** Conditions on writes (on reads s3d evaluates them itself). */
    private static final Set<String> WRITE_CONDITIONS = Set.of("if-match", "if-none-match");
    /** Storage classes that are just S3's default: nothing to pass on. */
    private static final String DEFAULT_STORAGE_CLASS = "STANDARD";

    private StraightThrough() {
    }

    /**
     * Why this request must go to the remote as sent (the header or parameter that decides it), or
     * empty when s3d's own layers can answer it.
     *
     */
    public static Optional<String> reason(String method, Map<String, String> query, Map<String, String> headers) {
        if (query.containsKey("versionId")) {
            return Optional.of("versionId");
        }
        if (query.containsKey("partNumber") && !query.containsKey("uploadId")) {
            // A GET or HEAD of one part of a multipart object: the remote knows its parts.
            return Optional.of("partNumber");
        }
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HEADERS.contains(name) || HEADER_PREFIXES.stream().anyMatch(name::startsWith)) {
                return Optional.of(name);
            }
            if (name.equals("x-amz-storage-class") && !DEFAULT_STORAGE_CLASS.equals(header.getValue())) {
                return Optional.of(name);
            }
            if (name.equals("x-amz-copy-source") && header.getValue().contains("versionId=")) {
                return Optional.of("x-amz-copy-source versionId");
            }
            if (write && WRITE_CONDITIONS.contains(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
