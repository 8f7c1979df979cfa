package io.s3d.api;

/**
 * Every S3 operation s3d recognises, named exactly as AWS names it. The operation drives routing,
 * metrics and logs. {@link #UNSUPPORTED} is any request s3d does not implement: standalone, it
 * answers 501 NotImplemented in S3 XML; a gateway forwards it to the remote ({@link GatewayRoute}).
 */
public enum S3Operation {
    LIST_BUCKETS("ListBuckets"),
    CREATE_BUCKET("CreateBucket"),
    HEAD_BUCKET("HeadBucket"),
    DELETE_BUCKET("DeleteBucket"),
    GET_BUCKET_LOCATION("GetBucketLocation"),
    GET_BUCKET_VERSIONING("GetBucketVersioning"),
    PUT_BUCKET_VERSIONING("PutBucketVersioning"),
    LIST_OBJECT_VERSIONS("ListObjectVersions"),
    GET_BUCKET_LIFECYCLE_CONFIGURATION("GetBucketLifecycleConfiguration"),
    PUT_BUCKET_LIFECYCLE_CONFIGURATION("PutBucketLifecycleConfiguration"),
    DELETE_BUCKET_LIFECYCLE("DeleteBucketLifecycle"),
    GET_BUCKET_ENCRYPTION("GetBucketEncryption"),
    PUT_BUCKET_ENCRYPTION("PutBucketEncryption"),
    DELETE_BUCKET_ENCRYPTION("DeleteBucketEncryption"),
    GET_BUCKET_POLICY("GetBucketPolicy"),
    PUT_BUCKET_POLICY("PutBucketPolicy"),
    DELETE_BUCKET_POLICY("DeleteBucketPolicy"),
    GET_BUCKET_POLICY_STATUS("GetBucketPolicyStatus"),
    GET_BUCKET_CORS("GetBucketCors"),
    PUT_BUCKET_CORS("PutBucketCors"),
    DELETE_BUCKET_CORS("DeleteBucketCors"),
    /** A browser's CORS preflight: {@code OPTIONS} on a bucket or an object, never signed. */
    CORS_PREFLIGHT("OptionsObject"),
    GET_BUCKET_TAGGING("GetBucketTagging"),
    PUT_BUCKET_TAGGING("PutBucketTagging"),
    DELETE_BUCKET_TAGGING("DeleteBucketTagging"),
    LIST_OBJECTS("ListObjects"),
    LIST_OBJECTS_V2("ListObjectsV2"),
    PUT_OBJECT("PutObject"),
    COPY_OBJECT("CopyObject"),
    GET_OBJECT("GetObject"),
    HEAD_OBJECT("HeadObject"),
    DELETE_OBJECT("DeleteObject"),
    DELETE_OBJECTS("DeleteObjects"),
    GET_OBJECT_TAGGING("GetObjectTagging"),
    GET_OBJECT_ATTRIBUTES("GetObjectAttributes"),
    PUT_OBJECT_TAGGING("PutObjectTagging"),
    DELETE_OBJECT_TAGGING("DeleteObjectTagging"),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
    UPLOAD_PART("UploadPart"),
    UPLOAD_PART_COPY("UploadPartCopy"),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
    LIST_PARTS("ListParts"),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads"),
    POST_OBJECT("PostObject"),
    GET_OBJECT_LOCK_CONFIGURATION("GetObjectLockConfiguration"),
    PUT_OBJECT_LOCK_CONFIGURATION("PutObjectLockConfiguration"),
    GET_OBJECT_RETENTION("GetObjectRetention"),
    PUT_OBJECT_RETENTION("PutObjectRetention"),
    GET_OBJECT_LEGAL_HOLD("GetObjectLegalHold"),
    PUT_OBJECT_LEGAL_HOLD("PutObjectLegalHold"),
    GET_BUCKET_ACL("GetBucketAcl"),
    PUT_BUCKET_ACL("PutBucketAcl"),
    GET_OBJECT_ACL("GetObjectAcl"),
    PUT_OBJECT_ACL("PutObjectAcl"),
    GET_BUCKET_OWNERSHIP_CONTROLS("GetBucketOwnershipControls"),
    PUT_BUCKET_OWNERSHIP_CONTROLS("PutBucketOwnershipControls"),
    DELETE_BUCKET_OWNERSHIP_CONTROLS("DeleteBucketOwnershipControls"),
    GET_PUBLIC_ACCESS_BLOCK("GetPublicAccessBlock"),
    PUT_PUBLIC_ACCESS_BLOCK("PutPublicAccessBlock"),
    DELETE_PUBLIC_ACCESS_BLOCK("DeletePublicAccessBlock"),
    UNSUPPORTED("Unsupported");

    private final String awsName;

    S3Operation(String awsName) {
        this.awsName = awsName;
    }

    public String awsName() {
        return awsName;
    }

    /**
     * Picks the operation from the method, whether a bucket and a key are addressed, and the
     * sub-resource query parameters, the way S3 does. Sub-resources s3d does not implement (acl,
     * policy, cors, lifecycle, ...) fall to {@link #UNSUPPORTED}.
     */
    static S3Operation resolve(String method, String bucket, String key, java.util.Map<String, String> query,
            boolean hasCopySource, boolean formPost) {
        if (method.equals("OPTIONS") && bucket != null) {
            return CORS_PREFLIGHT; // whatever the query: a browser asks before the request it means to send
        }
        if (names(query).anyMatch(name -> query.get(name).isEmpty() && !isKnownParameter(name))) {
            // A sub-resource s3d has never heard of (?renameObject, ?abac, ...) is not the plain
            // operation its method suggests: a PUT with one is not a PutObject.
            return UNSUPPORTED;
        }
        if (bucket == null) {
            return method.equals("GET") ? LIST_BUCKETS : UNSUPPORTED;
        }
        if (key == null) {
            S3Operation operation = resolveBucket(method, query);
            return operation == UNSUPPORTED && formPost && method.equals("POST") && query.isEmpty() ? POST_OBJECT
                    : operation;
        }
        return resolveObject(method, query, hasCopySource);
    }

    /** The query parameters of the operations above, and of presigned URLs. */
    private static final java.util.Set<String> KNOWN_PARAMETERS = java.util.Set.of("location", "versioning", "lifecycle", "cors", "encryption",
            "tagging", "uploads", "delete", "versions", "acl", "ownershipControls", "publicAccessBlock", "attributes", "object-lock", "policy", "policyStatus", "retention", "legal-hold", "version-id-marker", "uploadId", "partNumber", "versionId", "list-type", "prefix", "delimiter",
            "marker", "max-keys", "encoding-type", "continuation-token", "fetch-owner", "start-after", "key-marker",
            "upload-id-marker", "max-uploads", "max-parts", "part-number-marker", "x-id", "max-buckets",
            "bucket-region", "AWSAccessKeyId", "Signature", "Expires");

    private static boolean isKnownParameter(String name) {
        return KNOWN_PARAMETERS.contains(name) || name.startsWith("response-") || name.startsWith("X-Amz-")
                || name.startsWith("x-amz-");
    }

    private static java.util.stream.Stream<String> names(java.util.Map<String, String> query) {
        return query.keySet().stream();
    }

    private static final java.util.Set<String> BUCKET_UNSUPPORTED = java.util.Set.of("website", "logging",
            "notification", "replication", "accelerate", "requestPayment", "analytics", "inventory", "metrics",
            "intelligent-tiering", "session");

    private static S3Operation resolveBucket(String method, java.util.Map<String, String> query) {
        for (String sub : BUCKET_UNSUPPORTED) {
            if (query.containsKey(sub)) {
                return UNSUPPORTED;
            }
        }
        if (query.containsKey("encryption")) {
            return switch (method) {
                case "GET" -> GET_BUCKET_ENCRYPTION;
                case "PUT" -> PUT_BUCKET_ENCRYPTION;
                case "DELETE" -> DELETE_BUCKET_ENCRYPTION;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("policy")) {
            return switch (method) {
                case "GET" -> GET_BUCKET_POLICY;
                case "PUT" -> PUT_BUCKET_POLICY;
                case "DELETE" -> DELETE_BUCKET_POLICY;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("policyStatus")) {
            return method.equals("GET") ? GET_BUCKET_POLICY_STATUS : UNSUPPORTED;
        }
        if (query.containsKey("acl")) {
            return method.equals("GET") ? GET_BUCKET_ACL : method.equals("PUT") ? PUT_BUCKET_ACL : UNSUPPORTED;
        }
        if (query.containsKey("ownershipControls")) {
            return switch (method) {
                case "GET" -> GET_BUCKET_OWNERSHIP_CONTROLS;
                case "PUT" -> PUT_BUCKET_OWNERSHIP_CONTROLS;
                case "DELETE" -> DELETE_BUCKET_OWNERSHIP_CONTROLS;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("publicAccessBlock")) {
            return switch (method) {
                case "GET" -> GET_PUBLIC_ACCESS_BLOCK;
                case "PUT" -> PUT_PUBLIC_ACCESS_BLOCK;
                case "DELETE" -> DELETE_PUBLIC_ACCESS_BLOCK;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("lifecycle")) {
            return switch (method) {
                case "GET" -> GET_BUCKET_LIFECYCLE_CONFIGURATION;
                case "PUT" -> PUT_BUCKET_LIFECYCLE_CONFIGURATION;
                case "DELETE" -> DELETE_BUCKET_LIFECYCLE;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("cors")) {
            return switch (method) {
                case "GET" -> GET_BUCKET_CORS;
                case "PUT" -> PUT_BUCKET_CORS;
                case "DELETE" -> DELETE_BUCKET_CORS;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("retention") || query.containsKey("legal-hold")) {
            return UNSUPPORTED; // sub-resources of an object, not of a bucket
        }
        if (query.containsKey("object-lock")) {
            return switch (method) {
                case "GET" -> GET_OBJECT_LOCK_CONFIGURATION;
                case "PUT" -> PUT_OBJECT_LOCK_CONFIGURATION;
                default -> UNSUPPORTED;
            };
        }
        return switch (method) {
            case "GET" -> {
                if (query.containsKey("location")) {
                    yield GET_BUCKET_LOCATION;
                }
                if (query.containsKey("versioning")) {
                    yield GET_BUCKET_VERSIONING;
                }
                if (query.containsKey("tagging")) {
                    yield GET_BUCKET_TAGGING;
                }
                if (query.containsKey("uploads")) {
                    yield LIST_MULTIPART_UPLOADS;
                }
                if (query.containsKey("versions")) {
                    yield LIST_OBJECT_VERSIONS;
                }
                yield "2".equals(query.get("list-type")) ? LIST_OBJECTS_V2 : LIST_OBJECTS;
            }
            case "PUT" -> {
                if (query.containsKey("tagging")) {
                    yield PUT_BUCKET_TAGGING;
                }
                yield query.containsKey("versioning") ? PUT_BUCKET_VERSIONING : CREATE_BUCKET;
            }
            case "HEAD" -> HEAD_BUCKET;
            case "DELETE" -> query.containsKey("tagging") ? DELETE_BUCKET_TAGGING : DELETE_BUCKET;
            case "POST" -> query.containsKey("delete") ? DELETE_OBJECTS : UNSUPPORTED;
            default -> UNSUPPORTED;
        };
    }

    private static S3Operation resolveObject(String method, java.util.Map<String, String> query,
            boolean hasCopySource) {
        if (query.containsKey("lifecycle") || query.containsKey("object-lock") || query.containsKey("policy")
                || query.containsKey("policyStatus") || query.containsKey("cors") || query.containsKey("encryption")) {
            return UNSUPPORTED; // a bucket sub-resource (?encryption on a key: UpdateObjectEncryption)
        }
        if (query.containsKey("retention") || query.containsKey("legal-hold")) {
            boolean retention = query.containsKey("retention");
            return switch (method) {
                case "GET" -> retention ? GET_OBJECT_RETENTION : GET_OBJECT_LEGAL_HOLD;
                case "PUT" -> retention ? PUT_OBJECT_RETENTION : PUT_OBJECT_LEGAL_HOLD;
                default -> UNSUPPORTED;
            };
        }
        if (query.containsKey("ownershipControls") || query.containsKey("publicAccessBlock")) {
            return UNSUPPORTED; // bucket sub-resources
        }
        if (query.containsKey("acl")) {
            return method.equals("GET") ? GET_OBJECT_ACL : method.equals("PUT") ? PUT_OBJECT_ACL : UNSUPPORTED;
        }
        if (query.containsKey("torrent") || query.containsKey("restore") || query.containsKey("select")) {
            return UNSUPPORTED;
        }
        if (query.containsKey("attributes")) {
            return method.equals("GET") ? GET_OBJECT_ATTRIBUTES : UNSUPPORTED;
        }
        return switch (method) {
            case "GET" -> {
                if (query.containsKey("tagging")) {
                    yield GET_OBJECT_TAGGING;
                }
                yield query.containsKey("uploadId") ? LIST_PARTS : GET_OBJECT;
            }
            case "HEAD" -> HEAD_OBJECT;
            case "PUT" -> {
                if (query.containsKey("tagging")) {
                    yield PUT_OBJECT_TAGGING;
                }
                if (query.containsKey("uploadId") && query.containsKey("partNumber")) {
                    yield hasCopySource ? UPLOAD_PART_COPY : UPLOAD_PART;
                }
                yield hasCopySource ? COPY_OBJECT : PUT_OBJECT;
            }
            case "DELETE" -> {
                if (query.containsKey("tagging")) {
                    yield DELETE_OBJECT_TAGGING;
                }
                yield query.containsKey("uploadId") ? ABORT_MULTIPART_UPLOAD : DELETE_OBJECT;
            }
            case "POST" -> {
                if (query.containsKey("uploads")) {
                    yield CREATE_MULTIPART_UPLOAD;
                }
                yield query.containsKey("uploadId") ? COMPLETE_MULTIPART_UPLOAD : UNSUPPORTED;
            }
            default -> UNSUPPORTED;
        };
    }
}
