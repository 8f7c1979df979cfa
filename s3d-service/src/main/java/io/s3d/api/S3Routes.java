package io.s3d.api;

import io.quarkus.runtime.ShutdownEvent;
import io.s3d.admin.StatusPage;
import io.s3d.api.auth.SigV4Verifier;
import io.s3d.api.auth.SignedRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.ResponseNotes;
import io.s3d.backend.S3Exception;
import io.s3d.config.S3dConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.telemetry.RequestTelemetry;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The S3 front door: one Vert.x route that takes every request outside {@code /q/} (health,
 * metrics) and {@code /_s3d/} (the admin API on Quarkus REST, {@code io.s3d.admin}; only its status
 * page comes here), resolves its operation, runs it on a virtual thread
 * (handlers do blocking disk and network I/O), and writes the answer — an S3 error in XML for
 * anything that goes wrong, never a framework page.
 */
@ApplicationScoped
public class S3Routes {
    private static final Logger LOG = Logger.getLogger(S3Routes.class);
    private static final int STREAM_CHUNK = 128 * 1024;
    /** Ahead of Quarkus REST's route (order 10 001), which owns {@code /_s3d/} (quarkus.rest.path). */
    private static final int STATUS_PAGE_ROUTE_ORDER = 1_000;

    private final ObjectBackend backend;
    private final SigV4Verifier verifier;
    private final Optional<String> baseDomain;
    private final RequestTelemetry telemetry;
    private final MeterRegistry registry;
    private final StatusPage page;
    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final ListingHandler listings;
    private final DeleteObjectsHandler multiDelete;
    private final VersioningHandler versioning;
    private final LifecycleHandler lifecycle;
    private final BucketEncryption bucketEncryption;
    private final PolicyHandler policy;
    private final CorsHandler cors;
    private final ObjectLockHandler objectLock;
    private final AttributesHandler attributes;
    private final MultipartHandler multipart;
    private final PostObjectHandler browserUploads;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final boolean openMode;
    private final GatewayRoute.Layers layers;
    private final io.s3d.filter.opa.AccessCheck access;
    private final AccessHandler acls;
    private final io.s3d.access.AccessControl accessControl;

    @Inject
    S3Routes(ObjectBackend backend, SigV4Verifier verifier, io.s3d.api.auth.CredentialStore credentials,
            S3dConfig config, MeterRegistry registry, RequestTelemetry telemetry, StatusPage page,
            io.s3d.filter.opa.AccessCheck access, io.s3d.access.AccessControl accessControl,
            io.s3d.access.policy.BucketPolicies policies, io.s3d.access.PublicAccessSettings publicAccess) {
        this.access = access;
        this.accessControl = accessControl;
        this.acls = new AccessHandler(accessControl, backend);
        this.registry = registry;
        this.backend = backend;
        this.layers = new GatewayRoute.Layers() {
            public boolean holdsUpload(String bucket, String key, String uploadId) {
                return backend.holdsUpload(bucket, key, uploadId);
            }

            public boolean queuesWrites(String bucket, String key) {
                return backend.queuesWrites(bucket, key);
            }

            public boolean servesReads(String bucket, String key) {
                return backend.servesReads(bucket, key);
            }

            public boolean servesVersionReads(String bucket, String key) {
                return backend.servesVersionReads(bucket, key);
            }

            public boolean versioned(String bucket) {
                return backend.versioned(bucket);
            }
        };
        this.verifier = verifier;
        this.baseDomain = config.baseDomain().filter(d -> !d.isBlank());
        this.telemetry = telemetry;
        this.page = page;
        this.buckets = new BucketHandler(backend, config.region());
        this.objects = new ObjectHandler(backend);
        this.listings = new ListingHandler(backend);
        this.multiDelete = new DeleteObjectsHandler(backend);
        this.versioning = new VersioningHandler(backend);
        this.lifecycle = new LifecycleHandler(backend);
        this.bucketEncryption = new BucketEncryption(backend);
        this.policy = new PolicyHandler(backend, policies, publicAccess);
        this.cors = new CorsHandler(backend);
        this.objectLock = new ObjectLockHandler(backend);
        this.attributes = new AttributesHandler(backend);
        this.multipart = new MultipartHandler(backend);
        this.browserUploads = new PostObjectHandler(backend, credentials, java.time.Clock.systemUTC(),
                (request, accessKeyId, key) -> {
                    if (!backend.forwards()) {
                        acls.authorizePost(request, accessKeyId, key);
                    }
                });
        this.openMode = credentials.isEmpty();
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE - 10).handler(this::accept);
        // The rest of /_s3d/ is the admin API on Quarkus REST (io.s3d.admin), whose route comes before the
        // catch-all and answers every path under it: the status page, HTML on Vert.x, comes before that.
        router.routeWithRegex(Pattern.quote(StatusPage.PATH) + "(/.*)?").order(STATUS_PAGE_ROUTE_ORDER)
                .handler(this::accept);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Takes one request (also called by {@link FrontDoor} for virtual-hosted {@code /q/...} and {@code /_s3d/...} keys). */
    void accept(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path();
        boolean virtualHost = S3Address.virtualHostBucket(request.getHeader("Host"), baseDomain) != null;
        if (!virtualHost && path != null && (path.equals("/q") || path.startsWith("/q/"))) {
            context.next();
            return;
        }
        String requestId = RequestIds.next();
        HttpServerResponse response = request.response();
        response.putHeader("x-amz-request-id", requestId);
        response.putHeader("x-amz-id-2", RequestIds.hostId(requestId));
        boolean expectsBody = request.getHeader("Transfer-Encoding") != null
                || (request.getHeader("Content-Length") != null && !"0".equals(request.getHeader("Content-Length").trim()));
        RequestBodyStream body = expectsBody ? RequestBodyStream.attach(request) : null;
        if (!virtualHost && path != null && StatusPage.serves(path)) {
            workers.execute(() -> answered(request, requestId, () -> page.answer(request, body, requestId)));
            return;
        }
        workers.execute(() -> answered(request, requestId, () -> serve(request, body, requestId)));
    }

    /** Runs {@code work}; whatever it throws, the client still gets an answer (a 500 InternalError). */
    private void answered(HttpServerRequest http, String requestId, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            answerFailure(http, requestId, http.path(), "Unsupported", e);
        }
    }

    /** An unexpected failure: logged with the request id and counted in {@code s3d_requests_failed_total}. */
    private void recordFailure(String requestId, String operation, String resource, Throwable e) {
        LOG.errorf(e, "request %s (%s %s) failed unexpectedly: answered 500 InternalError", requestId, operation,
                resource);
        registry.counter("s3d.requests.failed", "operation", operation).increment();
    }

    /**
     * The last line of defence: an unexpected exception (a bug, a header Vert.x refuses) is logged,
     * counted in {@code s3d_requests_failed_total} and answered 500 InternalError in S3 XML with the
     * request id — or, when part of the response is already on the wire, the connection is reset.
     */
    private int answerFailure(HttpServerRequest http, String requestId, String resource, String operation,
            Throwable e) {
        recordFailure(requestId, operation, resource, e);
        HttpServerResponse out = http.response();
        try {
            if (out.headWritten()) {
                out.reset();
                return 500;
            }
            S3Response error = S3ErrorRenderer.render(new S3Exception(S3ErrorCode.INTERNAL_ERROR), resource, requestId,
                    http.method() == HttpMethod.HEAD);
            out.headers().clear();
            out.putHeader("x-amz-request-id", requestId);
            out.putHeader("x-amz-id-2", RequestIds.hostId(requestId));
            return send(http, error, true);
        } catch (RuntimeException | Error again) {
            LOG.debugf("request %s: the 500 answer could not be sent either: %s", requestId, again.getMessage());
            http.connection().close();
            return 500;
        }
    }

    /** Serves one S3 request inside its server span (a child of the client's, when it sent a traceparent). */
    private void serve(HttpServerRequest http, RequestBodyStream body, String requestId) {
        try (Traced span = Traces.server("S3", http, http::getHeader)) {
            serve(http, body, requestId, span);
        }
    }

    private void serve(HttpServerRequest http, RequestBodyStream body, String requestId, Traced span) {
        long start = System.nanoTime();
        String errorCode = null;
        S3Operation operation = S3Operation.UNSUPPORTED;
        S3Response response;
        String resource = http.path();
        boolean head = http.method() == HttpMethod.HEAD;
        S3Request request = null;
        try {
            S3Address address = S3Address.parse(http.getHeader("Host"), http.path(), baseDomain);
            SignedRequest signed = HttpHeaders.signed(http);
            request = new S3Request(requestId, http, body, signed,
                    address.bucket(), address.key(), S3Address.query(http.query()));
            operation = request.operation;
            resource = request.resource();
            S3Request.requireKeyLength(request.key);
            if ((operation == S3Operation.PUT_OBJECT || operation == S3Operation.UPLOAD_PART)
                    && http.getHeader("Content-Length") == null && http.getHeader("Transfer-Encoding") == null) {
                throw new S3Exception(S3ErrorCode.MISSING_CONTENT_LENGTH);
            }
            if (operation == S3Operation.POST_OBJECT && openMode) {
                // A form on any web page could post here: without credentials there is no policy to trust.
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED,
                        "Browser form uploads (POST Object) need credentials; s3d runs without them.");
            }
            if (operation != S3Operation.POST_OBJECT && operation != S3Operation.CORS_PREFLIGHT) {
                // A browser upload is authenticated by the signed policy inside its form instead; a
                // preflight is never signed (browsers send it on their own, without credentials).
                // Standalone, an unsigned request is anonymous and access control decides; a gateway refuses it.
                request.authenticated(backend.forwards() ? verifier.verify(signed) : verifier.verifyOrAnonymous(signed));
            }
            // A preflight too (as OptionsObject, without identity): OPA's access rules see every S3 request.
            access.check(operation.awsName(), request.auth() == null ? null : request.auth().accessKeyId(),
                    request.bucket, request.key, http.getHeader("Content-Type"), contentLength(http));
            AccessHandler.Prepared prepared = null;
            if (!backend.forwards()) {
                // Standalone, s3d is the store and decides who may do what; a gateway leaves it to the remote.
                request.identified(acls.identify(request), accessControl::shownOwner);
                // A form is checked against its signer once parsed; a preflight is answered by the CORS rules alone.
                if (operation != S3Operation.POST_OBJECT && operation != S3Operation.CORS_PREFLIGHT) {
                    prepared = acls.authorize(request);
                }
            }
            ResponseNotes.begin();
            response = dispatch(request);
            acls.recorded(request, prepared, response);
        } catch (S3Exception e) {
            errorCode = e.code();
            response = S3ErrorRenderer.render(e, resource, requestId, head);
            if (e.status() >= 500 && e.status() != 501) {
                // Server-side trouble (the remote unreachable or failing, the disk full): worth a line.
                LOG.warnf(e.getCause(), "request %s (%s %s) answered %d %s: %s", requestId, operation.awsName(),
                        resource, e.status(), e.code(), e.getMessage());
            } else {
                LOG.debugf("%s %s %s -> %s %s", requestId, operation.awsName(), resource, e.code(), e.getMessage());
            }
        } catch (UncheckedIOException e) {
            S3Exception answer = fromIo(e.getCause(), requestId);
            errorCode = answer.code();
            span.failed(e);
            response = S3ErrorRenderer.render(answer, resource, requestId, head);
        } catch (RuntimeException | Error e) {
            errorCode = S3ErrorCode.INTERNAL_ERROR.code();
            span.failed(e);
            recordFailure(requestId, operation.awsName(), resource, e);
            response = S3ErrorRenderer.render(new S3Exception(S3ErrorCode.INTERNAL_ERROR), resource, requestId, head);
        }
        if (request != null && !backend.forwards()) {
            // A web page's request the bucket's CORS rules allow: the browser may read the answer, error or not.
            cors.actualRequestHeaders(request).forEach(response::header);
        }
        Optional<String> cache = ResponseNotes.end();
        if (cache.isPresent()) {
            response.header("x-s3d-cache", cache.get());
            if (cache.get().equals("stale")) {
                // The copy could not be revalidated (remote unreachable or failing): RFC 7234's mark.
                response.header("Warning", "110 s3d \"Response is Stale\"");
            }
        }
        boolean unreadBody = body != null && !body.isFullyRead();
        int status;
        try {
            status = send(http, response, unreadBody);
        } catch (RuntimeException | Error e) {
            closeQuietly(response.stream);
            closeQuietly(response.resource);
            status = answerFailure(http, requestId, resource, operation.awsName(), e);
        }
        telemetry.completed(http, requestId, operation.awsName(), request == null ? null : request.bucket,
                request == null ? null : request.key, status, response.bodyLength(head), start);
        telemetry.describe(span, http, requestId, operation.awsName(), request == null ? null : request.bucket,
                request == null ? null : request.key, status, errorCode, response.bodyLength(head),
                cache.orElse(null));
    }

    private static long contentLength(HttpServerRequest http) {
        try {
            String value = http.getHeader("Content-Length");
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static S3Exception fromIo(IOException e, String requestId) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("No space left on device")) {
            return new S3Exception(S3ErrorCode.SLOW_DOWN, "s3d's local disk is full; please retry later.");
        }
        if (message.startsWith("request body failed")) {
            return new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
        }
        LOG.errorf(e, "request %s failed with an I/O error", requestId);
        return new S3Exception(S3ErrorCode.INTERNAL_ERROR);
    }

    private S3Response dispatch(S3Request request) {
        if (backend.forwards()) {
            GatewayRoute.Decision route = GatewayRoute.decide(request.operation, request.method, request.bucket,
                    request.key, request.query, request.headerMap(), layers);
            switch (route.route()) {
                case FORWARD -> {
                    LOG.debugf("%s %s %s forwarded to the remote: %s", request.requestId, request.method,
                            request.resource(), route.reason());
                    return S3Response.forwarded(backend.forward(request.forwarded()), request.method.equals("HEAD"));
                }
                case REFUSE -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, route.reason());
                case LOCAL -> {
                }
            }
        }
        return switch (request.operation) {
            case LIST_BUCKETS -> buckets.listBuckets(request);
            case CREATE_BUCKET -> buckets.createBucket(request);
            case HEAD_BUCKET -> buckets.headBucket(request);
            case DELETE_BUCKET -> buckets.deleteBucket(request);
            case GET_BUCKET_LOCATION -> buckets.location(request);
            case GET_BUCKET_VERSIONING -> versioning.get(request);
            case PUT_BUCKET_VERSIONING -> versioning.put(request);
            case LIST_OBJECT_VERSIONS -> versioning.list(request);
            case GET_BUCKET_LIFECYCLE_CONFIGURATION -> lifecycle.get(request);
            case PUT_BUCKET_LIFECYCLE_CONFIGURATION -> lifecycle.put(request);
            case DELETE_BUCKET_LIFECYCLE -> lifecycle.delete(request);
            case GET_BUCKET_ENCRYPTION -> bucketEncryption.get(request);
            case PUT_BUCKET_ENCRYPTION -> bucketEncryption.put(request);
            case DELETE_BUCKET_ENCRYPTION -> bucketEncryption.delete(request);
            case GET_BUCKET_POLICY -> policy.get(request);
            case PUT_BUCKET_POLICY -> policy.put(request);
            case DELETE_BUCKET_POLICY -> policy.delete(request);
            case GET_BUCKET_POLICY_STATUS -> policy.status(request);
            case GET_BUCKET_CORS -> cors.get(request);
            case PUT_BUCKET_CORS -> cors.put(request);
            case DELETE_BUCKET_CORS -> cors.delete(request);
            case CORS_PREFLIGHT -> cors.preflight(request);
            case GET_OBJECT_LOCK_CONFIGURATION -> objectLock.getConfiguration(request);
            case PUT_OBJECT_LOCK_CONFIGURATION -> objectLock.putConfiguration(request);
            case GET_OBJECT_RETENTION -> objectLock.getRetention(request);
            case PUT_OBJECT_RETENTION -> objectLock.putRetention(request);
            case GET_OBJECT_LEGAL_HOLD -> objectLock.getLegalHold(request);
            case PUT_OBJECT_LEGAL_HOLD -> objectLock.putLegalHold(request);
            case GET_BUCKET_TAGGING -> buckets.getTagging(request);
            case PUT_BUCKET_TAGGING -> buckets.putTagging(request);
            case DELETE_BUCKET_TAGGING -> buckets.deleteTagging(request);
            case LIST_OBJECTS -> listings.listV1(request);
            case LIST_OBJECTS_V2 -> listings.listV2(request);
            case PUT_OBJECT -> objects.put(request);
            case GET_OBJECT -> objects.get(request);
            case HEAD_OBJECT -> objects.head(request);
            case DELETE_OBJECT -> objects.delete(request);
            case DELETE_OBJECTS -> multiDelete.deleteObjects(request);
            case GET_OBJECT_TAGGING -> objects.getTagging(request);
            case GET_OBJECT_ATTRIBUTES -> attributes.get(request);
            case PUT_OBJECT_TAGGING -> objects.putTagging(request);
            case DELETE_OBJECT_TAGGING -> objects.deleteTagging(request);
            case COPY_OBJECT -> multipart.copyObject(request);
            case CREATE_MULTIPART_UPLOAD -> multipart.create(request);
            case UPLOAD_PART -> multipart.uploadPart(request);
            case UPLOAD_PART_COPY -> multipart.uploadPartCopy(request);
            case COMPLETE_MULTIPART_UPLOAD -> multipart.complete(request);
            case ABORT_MULTIPART_UPLOAD -> multipart.abort(request);
            case LIST_PARTS -> multipart.listParts(request);
            case LIST_MULTIPART_UPLOADS -> multipart.listUploads(request);
            case POST_OBJECT -> browserUploads.post(request);
            case GET_BUCKET_ACL -> acls.getBucketAcl(request);
            case PUT_BUCKET_ACL -> acls.putBucketAcl(request);
            case GET_OBJECT_ACL -> acls.getObjectAcl(request);
            case PUT_OBJECT_ACL -> acls.putObjectAcl(request);
            case GET_BUCKET_OWNERSHIP_CONTROLS -> acls.getOwnershipControls(request);
            case PUT_BUCKET_OWNERSHIP_CONTROLS -> acls.putOwnershipControls(request);
            case DELETE_BUCKET_OWNERSHIP_CONTROLS -> acls.deleteOwnershipControls(request);
            case GET_PUBLIC_ACCESS_BLOCK -> acls.getPublicAccessBlock(request);
            case PUT_PUBLIC_ACCESS_BLOCK -> acls.putPublicAccessBlock(request);
            case DELETE_PUBLIC_ACCESS_BLOCK -> acls.deletePublicAccessBlock(request);
            default -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    request.operation == S3Operation.UNSUPPORTED ? "This operation is not supported by s3d."
                            : request.operation.awsName() + " is not supported by s3d yet.");
        };
    }

    /** Writes the response (blocking this virtual thread for streamed bodies) and returns its status. */
    private static int send(HttpServerRequest http, S3Response response, boolean unreadBody) {
        HttpServerResponse out = http.response();
        out.setStatusCode(response.status);
        response.headers.forEach(out::putHeader);
        out.putHeader("Date", HttpDates.header(Instant.now()));
        out.putHeader("Server", "s3d");
        if (unreadBody) {
            // The client is still sending a body we will not read: close rather than read it all.
            out.putHeader("Connection", "close");
        }
        try {
            if (response.file != null) {
                await(out.sendFile(response.file.toString(), response.fileOffset, response.length));
            } else if (response.stream != null && response.length < 0) {
                // A forwarded answer the remote sent chunked (an event stream): passed on as it comes.
                out.setChunked(true);
                streamBody(out, response.stream, Long.MAX_VALUE);
                await(out.end());
            } else if (response.stream != null) {
                out.putHeader("Content-Length", Long.toString(response.length));
                streamBody(out, response.stream, response.length);
                await(out.end());
            } else if (response.bytes != null && http.method() != HttpMethod.HEAD) {
                await(out.end(Buffer.buffer(response.bytes)));
            } else {
                if (response.status != 204 && response.status != 304 && !out.headers().contains("Content-Length")) {
                    out.putHeader("Content-Length", "0");
                }
                await(out.end());
            }
        } catch (Exception e) {
            LOG.debugf("response to %s not completed: %s", http.path(), e.getMessage());
            out.reset();
        } finally {
            // The stream first: a remote object's stream holds a pooled connection until closed.
            closeQuietly(response.stream);
            closeQuietly(response.resource);
            if (unreadBody) {
                http.connection().close();
            }
        }
        return response.status;
    }

    private static void streamBody(HttpServerResponse out, InputStream stream, long length) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            // Each chunk is handed to Netty, which writes it later: a fresh array per chunk, sized to what is left.
            byte[] chunk = new byte[(int) Math.min(remaining, STREAM_CHUNK)];
            int read = length == Long.MAX_VALUE ? stream.read(chunk) : stream.readNBytes(chunk, 0, chunk.length);
            if (read <= 0 && length == Long.MAX_VALUE) {
                return;
            }
            if (read <= 0) {
                throw new IOException("object content ended " + remaining + " bytes early");
            }
            if (out.closed()) {
                throw new IOException("client went away");
            }
            out.write(Buffer.buffer(read == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, read)));
            remaining -= read;
            if (out.writeQueueFull()) {
                CompletableFuture<Void> drained = new CompletableFuture<>();
                out.drainHandler(v -> drained.complete(null));
                out.closeHandler(v -> drained.complete(null));
                if (!out.writeQueueFull()) {
                    drained.complete(null);
                }
                drained.join();
            }
        }
    }

    private static void await(io.vertx.core.Future<Void> future) throws Exception {
        future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.HOURS);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // releasing a read handle cannot lose data
            }
        }
    }
}
