package io.s3d.store;

import java.util.Map;

/** Contents of a bucket's {@code .bucket} file. */
record BucketFile(String created, Map<String, String> tags) {
}
