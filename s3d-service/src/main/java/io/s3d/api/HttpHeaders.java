package io.s3d.api;

import io.s3d.api.auth.SignedRequest;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What signature verification needs from a Vert.x request, for the S3 front and the admin endpoints. */
public final class HttpHeaders {
    private HttpHeaders() {
    }

    public static SignedRequest signed(HttpServerRequest http) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : http.headers()) {
            headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.getValue());
        }
        return new SignedRequest(http.method().name(), http.path(), http.query(), headers);
    }
}
