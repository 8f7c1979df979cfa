package io.s3d.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.s3d.api.auth.CredentialStore;
import io.s3d.api.auth.SigV4Verifier;
import io.s3d.backend.S3Exception;
import io.s3d.config.S3dConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The first route of every request, Quarkus's {@code /q/} endpoints included: refuses what open
 * mode must not answer ({@link OpenModeGuard}), guards {@code /q/metrics} when
 * {@code s3d.security.metrics-require-auth} asks for it, and hands virtual-hosted requests for
 * {@code /q/...} and {@code /_s3d...} (object keys such as {@code q/health}) to the S3 front instead
 * of Quarkus's endpoints and the admin API.
 */
@ApplicationScoped
public class FrontDoor {
    private final S3Routes s3;
    private final SigV4Verifier verifier;
    private final MeterRegistry registry;
    private final Optional<String> baseDomain;
    /** Present in open mode (no credentials): keeps web pages out. */
    private final Optional<OpenModeGuard> openMode;
    private final boolean metricsRequireAuth;

    @Inject
    FrontDoor(S3Routes s3, SigV4Verifier verifier, CredentialStore credentials, S3dConfig config,
            MeterRegistry registry) {
        this.s3 = s3;
        this.verifier = verifier;
        this.registry = registry;
        this.baseDomain = config.baseDomain().filter(d -> !d.isBlank());
        this.openMode = credentials.isEmpty() ? Optional.of(new OpenModeGuard(baseDomain,
                config.security().allowedOrigins().orElse(List.of()))) : Optional.empty();
        this.metricsRequireAuth = !credentials.isEmpty() && config.security().metricsRequireAuth();
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::enter);
    }

    private void enter(RoutingContext context) {
        HttpServerRequest request = context.request();
        Optional<S3Exception> refusal = openMode.flatMap(guard -> guard.refusal(request.getHeader("Host"),
                request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site")));
        if (refusal.isEmpty() && metricsRequireAuth && "/q/metrics".equals(request.path())) {
            refusal = metricsRefusal(request);
        }
        if (refusal.isPresent()) {
            refuse(request, refusal.get());
            return;
        }
        String path = request.path();
        if (path != null && (path.equals("/q") || path.startsWith("/q/") || path.startsWith("/_s3d"))
                && S3Address.virtualHostBucket(request.getHeader("Host"), baseDomain) != null) {
            s3.accept(context);
            return;
        }
        context.next();
    }

    private Optional<S3Exception> metricsRefusal(HttpServerRequest request) {
        try {
            verifier.verify(HttpHeaders.signed(request));
            return Optional.empty();
        } catch (S3Exception e) {
            return Optional.of(e);
        }
    }

    /** Answers an S3 error from the event loop, before any body is read (the connection is closed after). */
    private void refuse(HttpServerRequest request, S3Exception error) {
        String requestId = RequestIds.next();
        boolean head = request.method() == HttpMethod.HEAD;
        S3Response rendered = S3ErrorRenderer.render(error, request.path(), requestId, head);
        HttpServerResponse out = request.response();
        out.setStatusCode(rendered.status);
        rendered.headers.forEach(out::putHeader);
        out.putHeader("x-amz-request-id", requestId).putHeader("x-amz-id-2", RequestIds.hostId(requestId))
                .putHeader("Date", HttpDates.header(Instant.now())).putHeader("Server", "s3d")
                .putHeader("Connection", "close");
        out.end(rendered.bytes == null || head ? Buffer.buffer() : Buffer.buffer(rendered.bytes));
        Timer.builder("s3d.requests").description("S3 requests by operation and HTTP status")
                .tag("operation", S3Operation.UNSUPPORTED.awsName()).tag("status", Integer.toString(rendered.status))
                .register(registry).record(0, TimeUnit.NANOSECONDS);
    }
}
