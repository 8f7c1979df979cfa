package io.s3d.admin;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import io.s3d.gateway.Gateway;
import io.s3d.queue.WriteQueue;
import io.s3d.remote.RemoteBackend;
import io.s3d.remote.RemoteUnreachableException;
import java.util.Optional;
import io.s3d.store.LocalStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The documents of {@code GET /_s3d/status} (the daemon), {@code /_s3d/status/{bucket}} and
 * {@code /_s3d/status/{bucket}/{key}}: built here for the admin API ({@link StatusResource}) and the
 * status page alike, so both always show the same figures.
 */
@ApplicationScoped
public class StatusReport {
    private static final Instant STARTED = Instant.now();

    private final ObjectBackend backend;
    private final Gateway gateway;
    private final LocalStore store;
    private final String version;
    private final io.s3d.fuse.FuseMount fuse;
    private final io.s3d.sync.SyncService sync;

    StatusReport(Gateway gateway, LocalStore store, io.s3d.fuse.FuseMount fuse, io.s3d.sync.SyncService sync,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.sync = sync;
        this.gateway = gateway;
        this.backend = gateway.backend();
        this.store = store;
        this.version = version;
        this.fuse = fuse;
    }

    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", version);
        out.put("uptimeSeconds", Duration.between(STARTED, Instant.now()).toSeconds());
        out.put("mode", gateway.mode());
        out.put("localDir", store.root().toString());
        Map<String, Object> disk = new LinkedHashMap<>();
        try {
            FileStore fileStore = Files.getFileStore(store.root());
            disk.put("totalBytes", fileStore.getTotalSpace());
            disk.put("freeBytes", fileStore.getUsableSpace());
            disk.put("usedBytes", store.usedBytes());
        } catch (IOException e) {
            disk.put("error", e.getMessage());
        }
        out.put("disk", disk);
        // One ListBuckets: the bucket count, and in gateway mode whether the remote answers at all.
        S3Exception failure = null;
        try {
            out.put("buckets", backend.listBuckets().size());
        } catch (S3Exception e) {
            out.put("buckets", null);
            failure = e;
        }
        S3Exception remoteFailure = failure;
        out.put("remote", gateway.remote().map(remote -> remoteStatus(remote, remoteFailure)).orElse(null));
        out.put("writeQueue", gateway.writeQueue().map(q -> QueueResource.summary(q.queue())).orElse(null));
        out.put("readCache", gateway.readCache().map(CacheResource::summary).orElse(null));
        out.put("fuse", fuse.status());
        out.put("sync", sync.status());
        return out;
    }

    /** Whether the remote answers at all: any S3 answer (even AccessDenied) means reachable. */
    private static Map<String, Object> remoteStatus(RemoteBackend remote, S3Exception failure) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint", remote.endpoint());
        out.put("reachable", !(failure instanceof RemoteUnreachableException));
        out.put("lastError", failure == null ? null
                : failure instanceof RemoteUnreachableException ? failure.getMessage()
                        : failure.code() + ": " + failure.getMessage());
        return out;
    }

    Map<String, Object> bucket(String bucket) {
        backend.headBucket(bucket);
        long objects = 0;
        long bytes = 0;
        String after = "";
        while (true) {
            var page = backend.listObjects(bucket, new io.s3d.backend.ListRequest("", null, after, 1000));
            for (ObjectMeta meta : page.objects()) {
                objects++;
                bytes += meta.size();
            }
            if (!page.truncated()) {
                break;
            }
            after = page.nextStartAfter();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("exists", true);
        out.put("objects", objects);
        out.put("bytes", bytes);
        return out;
    }

    Map<String, Object> object(String bucket, String key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("key", key);
        Optional<WriteQueue.Entry> queued = gateway.writeQueue().flatMap(q -> q.queue().entry(bucket, key));
        try {
            ObjectMeta meta = backend.headObject(bucket, key);
            out.put("exists", true);
            out.put("size", meta.size());
            out.put("etag", meta.quotedEtag());
            out.put("lastModified", meta.lastModified().toString());
            out.put("state", queued.map(e -> io.s3d.queue.UploadHold.shownState(e.state().equals("parked") ? "parked" : "pending", e.error()))
                    .or(() -> gateway.readCache().flatMap(c -> c.cache().cachedPinned(bucket, key))
                            .map(pinned -> pinned ? "pinned" : "cached"))
                    .orElse(gateway.writeQueue().isPresent() ? "pushed" : gateway.remote().isPresent() ? "remote" : "local"));
        } catch (S3Exception e) {
            if (!"NoSuchKey".equals(e.code())) {
                throw e;
            }
            out.put("exists", false);
            out.put("state", queued.map(q -> q.state().equals("parked") ? "parked" : "pending").orElse("absent"));
        }
        queued.ifPresent(e -> out.put("queue", QueueResource.entry(e)));
        return out;
    }
}
