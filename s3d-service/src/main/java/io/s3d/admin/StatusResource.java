package io.s3d.admin;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /_s3d/status}: the daemon at a glance (what {@code s3d status}, the operator and the
 * status page show); {@code GET /_s3d/status/{bucket}} and {@code /_s3d/status/{bucket}/{key}}: one
 * bucket's or one object's state (local, queued, parked, cached, pinned...).
 */
@Path("status")
@RunOnVirtualThread
@Tag(name = "status", description = "The daemon, a bucket or an object at a glance")
@APIResponse(responseCode = "403", description = "The request is not signed by a configured credential",
        content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
public class StatusResource {
    private static final String OBJECT_PREFIX = AdminAnswer.PREFIX + "status/";

    private final StatusReport report;

    StatusResource(StatusReport report) {
        this.report = report;
    }

    @GET
    @Operation(summary = "The daemon's status",
            description = "Version, uptime, mode, local disk, bucket count, the remote's reachability, the write queue,"
                    + " the read cache, the FUSE mount and the sync folders (null when a feature is off).")
    @APIResponse(responseCode = "200", description = "The status document",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Status")))
    public Response daemon() {
        return AdminAnswer.ok(report.status());
    }

    @GET
    @Path("{bucket}")
    @Operation(summary = "A bucket's object count and size", description = "Counts every object of the bucket.")
    @APIResponse(responseCode = "200", description = "The bucket exists",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "BucketStatus")))
    @APIResponse(responseCode = "404", description = "No such bucket (NoSuchBucket)",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    public Response bucket(@Parameter(description = "The bucket") @jakarta.ws.rs.PathParam("bucket") String bucket,
            @Context HttpServerRequest http) {
        return target(http, bucket);
    }

    @GET
    @Path("{bucket}/{key: .+}")
    @Operation(summary = "An object's state",
            description = "Whether the object exists, its size, ETag and where it stands: local, pending or parked in"
                    + " the write queue (with the queue entry), pushed, cached, pinned or remote; absent when it does"
                    + " not exist (and is not queued).")
    @APIResponse(responseCode = "200", description = "The object's state (exists false when it is absent)",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "ObjectStatus")))
    @APIResponse(responseCode = "404", description = "No such bucket (NoSuchBucket)",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "Error")))
    public Response object(@Parameter(description = "The bucket") @jakarta.ws.rs.PathParam("bucket") String bucket,
            @Parameter(in = ParameterIn.PATH, description = "The key, its segments percent-encoded, / kept")
            @jakarta.ws.rs.PathParam("key") String key,
            @Context HttpServerRequest http) {
        return target(http, bucket + "/" + key);
    }

    /**
     * Reads bucket and key from the request's own path, not from the matched parameters: the router
     * normalises paths ({@code a//b} would become {@code a/b}), keys must arrive as sent.
     * {@code matched} (decoded) serves when the raw path is not the plain form.
     */
    private Response target(HttpServerRequest http, String matched) {
        String raw = http.path();
        String target = raw.startsWith(OBJECT_PREFIX) ? decode(raw.substring(OBJECT_PREFIX.length())) : matched;
        int slash = target.indexOf('/');
        return AdminAnswer.ok(slash < 0 || slash == target.length() - 1
                ? report.bucket(slash < 0 ? target : target.substring(0, slash))
                : report.object(target.substring(0, slash), target.substring(slash + 1)));
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
