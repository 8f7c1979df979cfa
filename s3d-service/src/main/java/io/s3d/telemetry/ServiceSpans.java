package io.s3d.telemetry;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Server spans for the requests that are not S3 ones: the admin API and status page
 * ({@code /_s3d/...}) and Quarkus's endpoints ({@code /q/health}, {@code /q/metrics},
 * {@code /q/openapi}). The S3 front starts its own span per request ({@code S3.<Operation>});
 * Quarkus's Vert.x HTTP instrumentation, which would add a second, anonymous one to every S3
 * request, stays off ({@code quarkus.otel.instrument.vertx-http=false}), so these requests get
 * theirs here. The span is current in the request's Vert.x context, so what the endpoint does (a
 * remote call of the status document) is traced under it. The route exists only while tracing is
 * on: off, S3 requests do not even pass it. Virtual-hosted {@code /q/...} and {@code /_s3d/...}
 * requests are S3 object requests, taken by the front door before this route.
 */
@ApplicationScoped
public class ServiceSpans {
    /** After the front door (order {@link Integer#MIN_VALUE}), before every endpoint. */
    static final int ROUTE_ORDER = Integer.MIN_VALUE + 100;
    private static final String STATUS = "/_s3d/status/";

    private final boolean on;

    ServiceSpans(Tracing tracing) {
        this.on = tracing.on();
    }

    void register(@Observes Router router) {
        if (on) {
            router.routeWithRegex("/(_s3d|q)(/.*)?").order(ROUTE_ORDER).handler(this::trace);
        }
    }

    private void trace(RoutingContext context) {
        HttpServerRequest http = context.request();
        Traced span = Traces.httpServer(http.method().name(), route(http.path()), http, http::getHeader);
        context.addEndHandler(sent -> {
            int status = http.response().getStatusCode();
            span.set("http.response.status_code", (long) status)
                    .set("aws.request_id", http.response().headers().get("x-amz-request-id"));
            if (sent.failed()) {
                span.failed(sent.cause());
            } else if (status >= 500) {
                span.failed("HTTP " + status);
            }
            span.close();
        });
        context.next();
    }

    /**
     * The route of a path, as spans name it: the path itself, but for one bucket's or one object's
     * status, whose bucket and key are left out (keys stay out of spans unless s3d.otel.keys).
     */
    static String route(String path) {
        if (!path.startsWith(STATUS) || path.length() == STATUS.length()) {
            return path;
        }
        int slash = path.indexOf('/', STATUS.length());
        return slash < 0 || slash == path.length() - 1 ? STATUS + "{bucket}" : STATUS + "{bucket}/{key}";
    }
}
