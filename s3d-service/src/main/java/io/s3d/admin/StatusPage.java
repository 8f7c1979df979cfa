package io.s3d.admin;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.s3d.api.auth.CredentialStore;
import io.s3d.backend.BucketInfo;
import io.s3d.backend.ListRequest;
import io.s3d.backend.S3Exception;
import io.s3d.gateway.Gateway;
import io.s3d.queue.WriteQueue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The status page at {@code /_s3d/ui}: the daemon at a glance, rendered on the server (Qute), no
 * JavaScript. It shows what {@code GET /_s3d/status} reports, and has two buttons for the write
 * queue (flush, retry parked). With client credentials configured a person signs in with an access
 * key and its secret, like the admin API accepts any configured credential; the session is an
 * HttpOnly, SameSite=Strict cookie of a random id, and every form carries a CSRF token.
 */
@ApplicationScoped
public class StatusPage {
    public static final String PATH = AdminAnswer.PREFIX + "ui";
    private static final String COOKIE = "s3d_ui_session";
    private static final int MAX_FORM_BYTES = 16 * 1024;
    private static final int MAX_BUCKETS = 100;
    private static final int COUNT_LIMIT = 1000;
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(10);
    private static final Set<String> NOTICES = Set.of("flushed", "flush-parked", "flush-timeout", "retried",
            "signed-out", "bad-credentials", "expired");

    private static final Logger LOG = Logger.getLogger(StatusPage.class);

    private final Gateway gateway;
    private final StatusReport report;
    private final CredentialStore credentials;
    private final UiSessions sessions = new UiSessions(Clock.systemUTC());
    private final Template page;
    private final Template signIn;

    StatusPage(Gateway gateway, StatusReport report, CredentialStore credentials,
            @Location("s3d/status.html") Template page, @Location("s3d/sign-in.html") Template signIn) {
        this.gateway = gateway;
        this.report = report;
        this.credentials = credentials;
        this.page = page;
        this.signIn = signIn;
    }

    /** Whether this page answers {@code path} (it, or one of its forms). */
    public static boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /**
     * Serves {@code /_s3d/ui} and its forms ({@code body} null when there is none) on a virtual thread.
     * The page signs people in with its own session cookie instead of SigV4.
     */
    public void answer(HttpServerRequest http, InputStream body, String requestId) {
        try {
            serve(http, body);
        } catch (RuntimeException e) {
            LOG.errorf(e, "status page request %s (%s %s) failed", requestId, http.method(), http.path());
            http.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("s3d failed to answer; see its log for request " + requestId + "\n");
        }
    }

    private void serve(HttpServerRequest http, InputStream body) {
        String path = http.path();
        String method = http.method().name();
        boolean open = credentials.isEmpty();
        Optional<UiSessions.Session> session = open ? Optional.empty() : sessions.find(cookie(http));
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                text(http, 405, "the status page answers GET; its forms post to " + PATH + "/...");
            } else if (!open && session.isEmpty()) {
                html(http, 200, signIn.data("notice", notice(http)).render());
            } else {
                String csrf = session.map(UiSessions.Session::csrf).orElse(sessions.openModeCsrf());
                StatusView.Page who = new StatusView.Page(!open, session.map(UiSessions.Session::accessKey).orElse(null),
                        csrf, notice(http));
                List<StatusView.BucketView> buckets = List.of();
                String bucketsError = null;
                try {
                    buckets = buckets();
                } catch (S3Exception e) {
                    bucketsError = e.code() + ": " + e.getMessage();
                }
                html(http, 200, page.data("v", StatusViews.of(report.status(), gateway, buckets, bucketsError, who)).render());
            }
            return;
        }
        if (!method.equals("POST")) {
            text(http, 405, "this status page form answers POST only");
            return;
        }
        if (!sameOrigin(http)) {
            text(http, 403, "cross-site form posts are refused");
            return;
        }
        Map<String, String> form;
        try {
            form = form(body);
        } catch (IOException e) {
            text(http, 400, "the form could not be read: " + e.getMessage());
            return;
        }
        switch (path.substring(PATH.length())) {
            case "/sign-in" -> signIn(http, form);
            case "/sign-out" -> {
                if (session.isPresent() && UiSessions.sameSecret(form.get("csrf"), session.get().csrf())) {
                    sessions.close(session.get().id());
                }
                http.response().putHeader("Set-Cookie", cookieHeader(http, "", 0));
                redirect(http, "signed-out");
            }
            case "/flush", "/retry" -> {
                String csrf = open ? sessions.openModeCsrf() : session.map(UiSessions.Session::csrf).orElse(null);
                if (csrf == null) {
                    redirect(http, "expired");
                } else if (!UiSessions.sameSecret(form.get("csrf"), csrf)) {
                    text(http, 403, "the form's CSRF token does not match: reload the page and try again");
                } else {
                    queueAction(http, path.endsWith("/flush"));
                }
            }
            default -> text(http, 404, "no page " + path);
        }
    }

    private void signIn(HttpServerRequest http, Map<String, String> form) {
        if (credentials.isEmpty()) {
            redirect(http, null);
            return;
        }
        String accessKey = form.getOrDefault("access_key", "").strip();
        Optional<String> secret = credentials.secretKeyFor(accessKey);
        if (secret.isEmpty() || !UiSessions.sameSecret(secret.get(), form.get("secret_key"))) {
            redirect(http, "bad-credentials");
            return;
        }
        UiSessions.Session session = sessions.open(accessKey);
        http.response().putHeader("Set-Cookie", cookieHeader(http, session.id(), UiSessions.LIFETIME.toSeconds()));
        redirect(http, null);
    }

    private void queueAction(HttpServerRequest http, boolean flush) {
        Optional<WriteQueue> queue = gateway.writeQueue().map(io.s3d.queue.WriteQueueService::queue);
        if (queue.isEmpty()) {
            text(http, 409, "the write queue is off on this s3d");
            return;
        }
        if (!flush) {
            queue.get().retry(null, null);
            redirect(http, "retried");
            return;
        }
        try {
            WriteQueue.FlushResult result = queue.get().flush(null, null, FLUSH_WAIT);
            redirect(http, result.flushed() ? "flushed" : result.timedOut() ? "flush-timeout" : "flush-parked");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            text(http, 503, "s3d is shutting down");
        }
    }

    /** Buckets with their object counts, counted up to a limit so that the page stays cheap. */
    private List<StatusView.BucketView> buckets() {
        List<StatusView.BucketView> out = new ArrayList<>();
        List<BucketInfo> all = gateway.backend().listBuckets();
        for (BucketInfo bucket : all.subList(0, Math.min(MAX_BUCKETS, all.size()))) {
            String count;
            try {
                var first = gateway.backend().listObjects(bucket.name(), new ListRequest("", null, "", COUNT_LIMIT));
                count = first.truncated() ? COUNT_LIMIT + "+" : Integer.toString(first.objects().size());
            } catch (S3Exception e) {
                count = e.code();
            }
            out.add(new StatusView.BucketView(bucket.name(), count));
        }
        return out;
    }

    /** A form post must come from this page: browsers send Origin on POST; a different one is another site. */
    private static boolean sameOrigin(HttpServerRequest http) {
        String origin = http.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String host = http.getHeader("Host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String cookie(HttpServerRequest http) {
        var cookie = http.getCookie(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    private static String cookieHeader(HttpServerRequest http, String value, long maxAgeSeconds) {
        return COOKIE + "=" + value + "; Path=" + PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (http.isSSL() ? "; Secure" : "");
    }

    private static String notice(HttpServerRequest http) {
        String notice = http.getParam("notice");
        return notice != null && NOTICES.contains(notice) ? notice : null;
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        Map<String, String> out = new HashMap<>();
        if (body == null) {
            return out;
        }
        byte[] bytes = body.readNBytes(MAX_FORM_BYTES + 1);
        if (bytes.length > MAX_FORM_BYTES) {
            throw new IOException("larger than " + MAX_FORM_BYTES + " bytes");
        }
        for (String pair : new String(bytes, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void redirect(HttpServerRequest http, String notice) {
        http.response().setStatusCode(303).putHeader("Location", notice == null ? PATH : PATH + "?notice=" + notice)
                .putHeader("Cache-Control", "no-store").putHeader("Content-Length", "0").end();
    }

    private static void html(HttpServerRequest http, int status, String html) {
        http.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "same-origin").putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'")
                .end(Buffer.buffer(html));
    }

    private static void text(HttpServerRequest http, int status, String message) {
        http.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(Buffer.buffer(message + "\n"));
    }
}
