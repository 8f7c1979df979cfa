package io.s3d.filter.opa;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks Open Policy Agent's REST Data API: {@code POST <url>} with {@code {"input": ...}}, answered
 * {@code {"result": <value>}}. A boolean result is the decision; an object result decides by its
 * {@code allow} field. No {@code result} (the rule is undefined for this input) is empty. One JDK
 * HttpClient is kept for every request (connection reuse).
 */
public final class OpaClient {
    /** Why an OPA question got no decision. */
    public enum Failure {
        TIMEOUT, UNREACHABLE, HTTP_ERROR, MALFORMED, UNDEFINED
    }

    /** An OPA question without an answer. */
    public static final class OpaException extends Exception {
        private final Failure failure;

        OpaException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private final URI url;
    private final Duration timeout;
    private final HttpClient http;

    public OpaClient(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** The decision for {@code input}; an OpaException when OPA gave none. */
    public boolean decide(JsonObject input) throws OpaException {
        String body = new JsonObject().put("input", input).encode();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new OpaException(Failure.TIMEOUT, "OPA did not answer within " + timeout, e);
        } catch (IOException e) {
            throw new OpaException(Failure.UNREACHABLE, "OPA at " + url + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpaException(Failure.UNREACHABLE, "interrupted while asking OPA", e);
        }
        if (response.statusCode() != 200) {
            throw new OpaException(Failure.HTTP_ERROR, "OPA answered HTTP " + response.statusCode() + ": "
                    + abbreviate(response.body()), null);
        }
        return result(response.body()).orElseThrow(() -> new OpaException(Failure.UNDEFINED,
                "OPA's decision is undefined for this input (no \"result\"): check the policy path " + url, null));
    }

    /** The decision in an OPA answer, empty when the answer has no result. */
    static Optional<Boolean> result(String body) throws OpaException {
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new OpaException(Failure.MALFORMED, "OPA's answer is not a JSON object: " + abbreviate(body), e);
        }
        Object result = json.getValue("result");
        if (result == null) {
            return Optional.empty();
        }
        if (result instanceof Boolean b) {
            return Optional.of(b);
        }
        if (result instanceof JsonObject o && o.getValue("allow") instanceof Boolean b) {
            return Optional.of(b);
        }
        throw new OpaException(Failure.MALFORMED, "OPA's result is neither true/false nor an object with a boolean "
                + "\"allow\": " + abbreviate(body), null);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
