package io.s3d.fuse;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** Stores the empty objects the mount needs: directory markers ({@code dir/}) and truncated files. */
final class EmptyObjects {
    private EmptyObjects() {
    }

    static void put(ObjectBackend backend, String bucket, String key) {
        backend.putObject(new PutRequest(bucket, key, InputStream.nullInputStream(), 0, Optional.empty(), Map.of(),
                Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }
}
