package io.s3d.admin;

import io.s3d.api.auth.CredentialStore;
import io.s3d.api.auth.SigV4Verifier;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3Exception;
import io.s3d.gateway.Gateway;
import io.s3d.queue.WriteQueue;
import io.s3d.remote.RemoteBackend;
import io.s3d.remote.RemoteUnreachableException;
import java.util.Optional;
import io.s3d.store.LocalStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The admin endpoints under {@code /_s3d/} (JSON): daemon status and the state of one bucket or
 * object. {@code _} cannot start a bucket name, so these paths never shadow S3 requests. With
 * client credentials configured they require a SigV4-signed request, like S3.
 */
@ApplicationScoped
public class AdminRoutes {
    public static final String PREFIX = "/_s3d/";
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);
    private static final Instant STARTED = Instant.now();

    private final ObjectBackend backend;
    private final Gateway gateway;
    private final LocalStore store;
    private final SigV4Verifier verifier;
    private final CredentialStore credentials;
    private final String version;
    private final io.s3d.fuse.FuseMount fuse;
    private final io.s3d.sync.SyncService sync;
    private final StatusPage page;

    AdminRoutes(Gateway gateway, LocalStore store, SigV4Verifier verifier, CredentialStore credentials,
            io.s3d.fuse.FuseMount fuse, io.s3d.sync.SyncService sync, StatusPage page,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "0.1.0") String version) {
        this.page = page;
        this.sync = sync;
        this.gateway = gateway;
        this.backend = gateway.backend();
        this.store = store;
        this.verifier = verifier;
        this.credentials = credentials;
        this.version = version;
        this.fuse = fuse;
    }

    /** Serves one admin request ({@code body} null when it has none); runs on a virtual thread. */
    public void serve(HttpServerRequest http, java.io.InputStream requestBody, String requestId) {
        if (http.path().equals(StatusPage.PATH) || http.path().startsWith(StatusPage.PATH + "/")) {
            try {
                // The page signs people in with its own session cookie instead of SigV4.
                page.serve(http, requestBody, this::status);
            } catch (RuntimeException e) {
                LOG.errorf(e, "status page request %s (%s %s) failed", requestId, http.method(), http.path());
                http.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("s3d failed to answer; see its log for request " + requestId + "\n");
            }
            return;
        }
        int status;
        Object body;
        try {
            if (!credentials.isEmpty()) {
                verifier.verify(io.s3d.api.HttpHeaders.signed(http));
            }
            String rest = http.path().substring(PREFIX.length());
            String method = http.method().name();
            if (rest.startsWith("queue")) {
                QueueAdmin.Answer answer = queueAdmin().serve(method, rest, http);
                status = answer.status();
                body = answer.body();
            } else if (rest.equals("cache") || rest.startsWith("cache/")) {
                QueueAdmin.Answer answer = new CacheAdmin(gateway.readCache()).serve(method, rest, http);
                status = answer.status();
                body = answer.body();
            } else if (!method.equals("GET")) {
                status = 405;
                body = error("MethodNotAllowed", "this admin endpoint answers GET only");
            } else if (rest.equals("status")) {
                status = 200;
                body = status();
            } else if (rest.startsWith("status/")) {
                String target = decode(rest.substring("status/".length()));
                int slash = target.indexOf('/');
                status = 200;
                body = slash < 0 || slash == target.length() - 1
                        ? bucketStatus(slash < 0 ? target : target.substring(0, slash))
                        : objectStatus(target.substring(0, slash), target.substring(slash + 1));
            } else {
                status = 404;
                body = error("NotFound", "no admin endpoint " + http.path());
            }
        } catch (S3Exception e) {
            status = e.status();
            body = error(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            // Answer, whatever happened: an exception left here would leave the client waiting forever.
            LOG.errorf(e, "admin request %s (%s %s) failed", requestId, http.method(), http.path());
            status = 500;
            body = error("InternalError", "s3d failed to answer; see its log for request " + requestId);
        }
        http.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.write(body)));
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
        out.put("writeQueue", gateway.writeQueue().map(q -> QueueAdmin.summary(q.queue())).orElse(null));
        out.put("readCache", gateway.readCache().map(CacheAdmin::summary).orElse(null));
        out.put("fuse", fuse.status());
        out.put("sync", sync.status());
        return out;
    }

    private QueueAdmin queueAdmin() {
        return new QueueAdmin(gateway.writeQueue().map(io.s3d.queue.WriteQueueService::queue));
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

    private Map<String, Object> bucketStatus(String bucket) {
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

    private Map<String, Object> objectStatus(String bucket, String key) {
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
        queued.ifPresent(e -> out.put("queue", QueueAdmin.entry(e)));
        return out;
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", code);
        out.put("message", message);
        return out;
    }

    private static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
