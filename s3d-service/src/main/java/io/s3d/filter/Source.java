package io.s3d.filter;

/** Where a condition of a filter looks: {@code [tag:...]}, {@code [hdr:...]} or {@code [md:...]}. */
public enum Source {
    /** A tag of the bucket: {@code [tag:...]} written right after the bucket name. */
    BUCKET_TAG,
    /** A tag of the object: {@code [tag:...]} after the key pattern (or with no bucket name). */
    OBJECT_TAG,
    /** A standard header of the request or object ({@code content-type}, {@code content-length}, ...). */
    HEADER,
    /** User metadata ({@code x-amz-meta-<name>}), by name without the prefix. */
    METADATA
}
