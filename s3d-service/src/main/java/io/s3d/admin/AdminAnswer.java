package io.s3d.admin;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin API's answers: a JSON body shaped as docs/contract.md describes it (written by
 * {@link Json}, keys in the order they were put), and its status. Errors are
 * {@code {"error": code, "message": text}}.
 */
final class AdminAnswer {
    static final String PREFIX = "/_s3d/";

    private AdminAnswer() {
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Json.write(body)).build();
    }

    static Response ok(Object body) {
        return json(200, body);
    }

    static Response error(int status, String code, String message) {
        return json(status, error(code, message));
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", code);
        out.put("message", message);
        return out;
    }
}
