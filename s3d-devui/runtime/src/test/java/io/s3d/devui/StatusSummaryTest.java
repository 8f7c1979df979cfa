package io.s3d.devui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StatusSummaryTest {
    @Test
    void standaloneShowsTheModeAlone() {
        JsonObject status = new JsonObject("""
                {"mode":"standalone","localDir":"/data","writeQueue":null,"readCache":null}""");

        assertThat(StatusSummary.of(status)).isEqualTo("standalone");
    }

    @Test
    void gatewayShowsQueueParkedItemsAndCacheHitRatio() {
        JsonObject status = new JsonObject("""
                {"mode":"gateway","writeQueue":{"items":7,"parked":2,"oldestAgeSeconds":40},
                 "readCache":{"bytes":1024,"hitRatio":0.875}}""");

        assertThat(StatusSummary.of(status)).isEqualTo("gateway · queue 7 (2 parked) · cache 88% hits");
    }

    @Test
    void parkedIsLeftOutWhenNoneAre() {
        JsonObject status = new JsonObject("""
                {"mode":"gateway","writeQueue":{"items":0,"parked":0},"readCache":null}""");

        assertThat(StatusSummary.of(status)).isEqualTo("gateway · queue 0");
    }

    @Test
    void aMissingStatusBeanIsSaid() {
        JsonObject status = new JsonObject().put("error", "no bean named s3dStatusJson in this application");

        assertThat(StatusSummary.of(status)).isEqualTo("no bean named s3dStatusJson in this application");
    }
}
