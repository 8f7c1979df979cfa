package io.s3d.backend;

/**
 * Every S3 error s3d can answer with: the code AWS spells, the HTTP status AWS sends and AWS's
 * default message. Handlers and layers never spell a code string; they throw
 * {@link S3Exception} with one of these.
 */
public enum S3ErrorCode {
    ACCESS_DENIED(403, "Access Denied"),
    /** A CORS preflight no rule allows (S3's own code for it, outside its error table). */
    ACCESS_FORBIDDEN(403, "CORSResponse: This CORS request is not allowed."),
    ACCESS_CONTROL_LIST_NOT_SUPPORTED(400, "The bucket does not allow ACLs"),
    AUTHORIZATION_HEADER_MALFORMED(400, "The authorization header is malformed."),
    AUTHORIZATION_QUERY_PARAMETERS_ERROR(400, "Error parsing the X-Amz-Credential parameter."),
    BAD_REQUEST(400, "Bad Request"),
    BAD_REQUEST_TOO_MANY_TAGS(400, "Object tags cannot be greater than 10"),
    BAD_DIGEST(400, "The Content-MD5 or checksum value that you specified did not match what the server received."),
    BUCKET_ALREADY_EXISTS(409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."),
    BUCKET_ALREADY_OWNED_BY_YOU(409, "Your previous request to create the named bucket succeeded and you already own it."),
    BUCKET_NOT_EMPTY(409, "The bucket you tried to delete is not empty"),
    ENTITY_TOO_LARGE(400, "Your proposed upload exceeds the maximum allowed object size."),
    ENTITY_TOO_SMALL(400, "Your proposed upload is smaller than the minimum allowed object size."),
    EXPIRED_TOKEN(400, "The provided token has expired."),
    ILLEGAL_LOCATION_CONSTRAINT_EXCEPTION(400, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."),
    INCOMPLETE_BODY(400, "You did not provide the number of bytes specified by the Content-Length HTTP header."),
    INTERNAL_ERROR(500, "We encountered an internal error. Please try again."),
    INVALID_ACCESS_KEY_ID(403, "The AWS Access Key Id you provided does not exist in our records."),
    INVALID_ARGUMENT(400, "Invalid Argument"),
    INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP(400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"),
    INVALID_BUCKET_NAME(400, "The specified bucket is not valid."),
    INVALID_BUCKET_STATE(409, "The request is not valid with the current state of the bucket."),
    INVALID_DIGEST(400, "The Content-MD5 you specified is not valid."),
    INVALID_ENCRYPTION_ALGORITHM_ERROR(400, "The encryption request you specified is not valid. The valid value is AES256."),
    INVALID_LOCATION_CONSTRAINT(400, "The specified location-constraint is not valid."),
    INVALID_OBJECT_STATE(403, "The operation is not valid for the current state of the object."),
    INVALID_POLICY_DOCUMENT(400, "The content of the form does not meet the conditions specified in the policy document."),
    INVALID_PART(400, "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."),
    INVALID_PART_NUMBER(416, "The requested partnumber is not satisfiable"),
    INVALID_PART_ORDER(400, "The list of parts was not in ascending order. The parts list must be specified in order by part number."),
    INVALID_RANGE(416, "The requested range is not satisfiable"),
    INVALID_REQUEST(400, "Invalid Request"),
    INVALID_STORAGE_CLASS(400, "The storage class you specified is not valid."),
    INVALID_TAG(400, "The tag provided was not a valid tag."),
    INVALID_URI(400, "Couldn't parse the specified URI."),
    KMS_NOT_FOUND_EXCEPTION(400, "Invalid keyId"),
    KEY_TOO_LONG_ERROR(400, "Your key is too long."),
    MALFORMED_ACL_ERROR(400, "The XML you provided was not well-formed or did not validate against our published schema."),
    MALFORMED_POST_REQUEST(400, "The body of your POST request is not well-formed multipart/form-data."),
    MALFORMED_POLICY(400, "Policies must be valid JSON and the first byte must be '{'"),
    MALFORMED_XML(400, "The XML you provided was not well-formed or did not validate against our published schema."),
    METADATA_TOO_LARGE(400, "Your metadata headers exceed the maximum allowed metadata size."),
    METHOD_NOT_ALLOWED(405, "The specified method is not allowed against this resource."),
    MISSING_CONTENT_LENGTH(411, "You must provide the Content-Length HTTP header."),
    MISSING_SECURITY_HEADER(400, "Your request is missing a required header."),
    NO_SUCH_BUCKET(404, "The specified bucket does not exist"),
    NO_SUCH_CORS_CONFIGURATION(404, "The CORS configuration does not exist"),
    NO_SUCH_BUCKET_POLICY(404, "The bucket policy does not exist"),
    NO_SUCH_KEY(404, "The specified key does not exist."),
    NO_SUCH_OBJECT_LOCK_CONFIGURATION(400, "The specified object does not have a ObjectLock configuration"),
    NO_SUCH_LIFECYCLE_CONFIGURATION(404, "The lifecycle configuration does not exist."),
    NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION(404, "The public access block configuration was not found"),
    NO_SUCH_TAG_SET(404, "The TagSet does not exist"),
    NO_SUCH_VERSION(404, "The specified version does not exist."),
    NO_SUCH_UPLOAD(404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."),
    NOT_IMPLEMENTED(501, "A header you provided implies functionality that is not implemented."),
    NOT_MODIFIED(304, "Not Modified"),
    OBJECT_LOCK_CONFIGURATION_NOT_FOUND_ERROR(404, "Object Lock configuration does not exist for this bucket"),
    OWNERSHIP_CONTROLS_NOT_FOUND_ERROR(404, "The bucket ownership controls were not found"),
    PRECONDITION_FAILED(412, "At least one of the pre-conditions you specified did not hold"),
    REQUEST_TIME_TOO_SKEWED(403, "The difference between the request time and the current time is too large."),
    REQUEST_TIMEOUT(400, "Your socket connection to the server was not read from or written to within the timeout period."),
    SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND_ERROR(404, "The server side encryption configuration was not found"),
    SERVICE_UNAVAILABLE(503, "Please reduce your request rate."),
    SIGNATURE_DOES_NOT_MATCH(403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
    SLOW_DOWN(503, "Please reduce your request rate."),
    UNEXPECTED_CONTENT(400, "This request does not support content"),
    UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS(400, "The e-mail address you provided does not match any account on record."),
    USER_KEY_MUST_BE_SPECIFIED(400, "The bucket POST must contain the specified field name. If it is specified, please check the order of the fields."),
    X_AMZ_CONTENT_SHA256_MISMATCH(400, "The provided 'x-amz-content-sha256' header does not match what was computed."),
    X_AMZ_CONTENT_CHECKSUM_MISMATCH(400, "The provided checksum does not match what was computed.");

    private final int status;
    private final String defaultMessage;
    private final String code;

    S3ErrorCode(int status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
        this.code = toAwsCode(name());
    }

    /** The code as AWS writes it in {@code <Code>}, e.g. {@code NoSuchKey}. */
    public String code() {
        return code;
    }

    /** The HTTP status AWS answers with. */
    public int status() {
        return status;
    }

    /** AWS's default message for the code. */
    public String defaultMessage() {
        return defaultMessage;
    }

    private static String toAwsCode(String constant) {
        if (constant.equals("X_AMZ_CONTENT_SHA256_MISMATCH")) {
            return "XAmzContentSHA256Mismatch";
        }
        if (constant.equals("KMS_NOT_FOUND_EXCEPTION")) {
            return "KMS.NotFoundException";
        }
        if (constant.equals("MALFORMED_XML")) {
            return "MalformedXML";
        }
        if (constant.equals("NO_SUCH_CORS_CONFIGURATION")) {
            return "NoSuchCORSConfiguration";
        }
        if (constant.equals("MALFORMED_ACL_ERROR")) {
            return "MalformedACLError";
        }
        if (constant.equals("INVALID_URI")) {
            return "InvalidURI";
        }
        if (constant.equals("BAD_REQUEST_TOO_MANY_TAGS")) {
            return "BadRequest";
        }
        if (constant.equals("X_AMZ_CONTENT_CHECKSUM_MISMATCH")) {
            return "XAmzContentChecksumMismatch";
        }
        StringBuilder out = new StringBuilder();
        for (String word : constant.split("_")) {
            out.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return out.toString();
    }
}
