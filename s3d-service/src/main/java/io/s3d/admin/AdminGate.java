package io.s3d.admin;

import io.s3d.api.HttpHeaders;
import io.s3d.api.RequestIds;
import io.s3d.api.auth.CredentialStore;
import io.s3d.api.auth.SigV4Verifier;
import io.s3d.backend.S3Exception;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * What every admin API request goes through, whichever endpoint it asks for: a request id (the
 * {@code x-amz-request-id} and {@code x-amz-id-2} headers, as on S3 answers); with client
 * credentials configured, a SigV4 signature checked exactly as for S3 requests, before the
 * endpoint is even looked up; and errors answered in the API's JSON ({@code {"error", "message"}}),
 * never a framework page. Open mode's loopback and browser checks ran before, in the front door.
 */
public class AdminGate {
    private static final Logger LOG = Logger.getLogger(AdminGate.class);
    private static final String REQUEST_ID = "s3d.request-id";

    private final SigV4Verifier verifier;
    private final CredentialStore credentials;

    AdminGate(SigV4Verifier verifier, CredentialStore credentials) {
        this.verifier = verifier;
        this.credentials = credentials;
    }

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request, HttpServerRequest http) {
        request.setProperty(REQUEST_ID, RequestIds.next());
        if (credentials.isEmpty()) {
            return null;
        }
        try {
            verifier.verify(HttpHeaders.signed(http));
            return null;
        } catch (S3Exception e) {
            return AdminAnswer.error(e.status(), e.code(), e.getMessage());
        }
    }

    @ServerResponseFilter
    public void identify(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(REQUEST_ID) instanceof String id) {
            response.getHeaders().putSingle("x-amz-request-id", id);
            response.getHeaders().putSingle("x-amz-id-2", RequestIds.hostId(id));
        }
    }

    @ServerExceptionMapper
    public Response refused(S3Exception e) {
        return AdminAnswer.error(e.status(), e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response noSuchEndpoint(NotFoundException e, HttpServerRequest http) {
        return AdminAnswer.error(404, "NotFound", "no admin endpoint " + http.path());
    }

    @ServerExceptionMapper
    public Response wrongMethod(NotAllowedException e, HttpServerRequest http) {
        String allowed = AdminEndpoints.allowed(http.path());
        return Response.fromResponse(AdminAnswer.error(405, "MethodNotAllowed",
                "this admin endpoint answers " + allowed + " only")).header("Allow", allowed).build();
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String code = status.getReasonPhrase() == null ? "InvalidRequest"
                : status.getReasonPhrase().replace(" ", "").replace("-", "");
        return AdminAnswer.error(status.getStatusCode(), code, e.getMessage());
    }

    /** Whatever else went wrong: logged with the request id, answered 500 rather than left hanging. */
    @ServerExceptionMapper
    public Response failed(RuntimeException e, ContainerRequestContext request, HttpServerRequest http) {
        Object id = request.getProperty(REQUEST_ID);
        LOG.errorf(e, "admin request %s (%s %s) failed", id, http.method(), http.path());
        return AdminAnswer.error(500, "InternalError", "s3d failed to answer; see its log for request " + id);
    }
}
