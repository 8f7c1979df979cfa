package io.s3d.fuse;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** Stores the small objects the mount makes itself: directory markers ({@code dir/}), empty files, symbolic links. */
final class EmptyObjects {
    private EmptyObjects() {
    }

    static void put(ObjectBackend backend, String bucket, String key) {
        put(backend, bucket, key, Map.of());
    }

    static void put(ObjectBackend backend, String bucket, String key, Map<String, String> userMetadata) {
        put(backend, bucket, key, new byte[0], userMetadata);
    }

    static void put(ObjectBackend backend, String bucket, String key, byte[] body, Map<String, String> userMetadata) {
        InputStream in = body.length == 0 ? InputStream.nullInputStream() : new ByteArrayInputStream(body);
        backend.putObject(new PutRequest(bucket, key, in, body.length, Optional.empty(), Map.of(), userMetadata,
                Map.of(), Map::of, WriteCondition.NONE));
    }
}
