package io.s3d.devui;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * The JSON-RPC methods of the s3d card in the Dev UI: live values from the running daemon. They
 * read {@code GET /_s3d/status}'s body from the bean s3d-service names {@value #STATUS_BEAN} (a
 * {@code Supplier<String>} of JSON), looked up by name so that neither module compiles against the
 * other, and without the admin API's signature check, which a Dev UI page could not pass.
 */
public class S3dDevUiJsonRpcService {
    /** The name of s3d-service's bean that supplies the status as JSON text. */
    public static final String STATUS_BEAN = "s3dStatusJson";

    /** The whole status, as {@code GET /_s3d/status} answers it; the card's page renders it. */
    public JsonObject getStatus() {
        return status();
    }

    /** One line for the card itself: mode, queue and cache (see {@link StatusSummary}). */
    public String getSummary() {
        return StatusSummary.of(status());
    }

    private static JsonObject status() {
        try (InstanceHandle<Object> handle = Arc.container().instance(STATUS_BEAN)) {
            if (!handle.isAvailable() || !(handle.get() instanceof Supplier<?> supplier)) {
                return new JsonObject().put("error", "no bean named " + STATUS_BEAN + " in this application");
            }
            return new JsonObject(String.valueOf(supplier.get()));
        }
    }
}
