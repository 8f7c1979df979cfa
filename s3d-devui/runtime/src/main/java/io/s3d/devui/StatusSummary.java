package io.s3d.devui;

import io.vertx.core.json.JsonObject;

/** The card's one-line label from {@code GET /_s3d/status}: mode, write queue and read cache. */
public final class StatusSummary {
    private StatusSummary() {
    }

    public static String of(JsonObject status) {
        if (status.containsKey("error")) {
            return status.getString("error");
        }
        StringBuilder out = new StringBuilder(String.valueOf(status.getString("mode")));
        JsonObject queue = status.getJsonObject("writeQueue");
        if (queue != null) {
            out.append(" · queue ").append(queue.getLong("items", 0L));
            long parked = queue.getLong("parked", 0L);
            if (parked > 0) {
                out.append(" (").append(parked).append(" parked)");
            }
        }
        JsonObject cache = status.getJsonObject("readCache");
        if (cache != null) {
            out.append(" · cache ").append(Math.round(cache.getDouble("hitRatio", 0.0) * 100)).append("% hits");
        }
        return out.toString();
    }
}
