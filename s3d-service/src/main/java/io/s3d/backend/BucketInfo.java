package io.s3d.backend;

import java.time.Instant;

/** A bucket as ListBuckets shows it. */
public record BucketInfo(String name, Instant creationDate, String region) {
}
