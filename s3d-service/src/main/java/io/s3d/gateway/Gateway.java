package io.s3d.gateway;

import io.s3d.backend.ObjectBackend;
import io.s3d.cache.ReadCacheService;
import io.s3d.queue.WriteQueueService;
import io.s3d.remote.RemoteBackend;
import java.util.Optional;

/**
 * The storage chain s3d runs with, as configuration built it: standalone (the local store), or a
 * gateway to a remote store, with the write queue and the read cache in front of it when they are on.
 *
 * @param backend what the S3 front talks to
 * @param remote the remote store, in gateway mode
 * @param writeQueue the write queue, when on
 * @param readCache the read cache, when on
 */
public record Gateway(ObjectBackend backend, Optional<RemoteBackend> remote, Optional<WriteQueueService> writeQueue,
        Optional<ReadCacheService> readCache) {

    public String mode() {
        return remote.isPresent() ? "gateway" : "standalone";
    }
}
