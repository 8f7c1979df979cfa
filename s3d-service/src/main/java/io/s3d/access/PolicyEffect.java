package io.s3d.access;

/** What a bucket policy says of one request: an explicit allow, an explicit deny, or nothing. */
public enum PolicyEffect {
    ALLOW, DENY, NONE
}
