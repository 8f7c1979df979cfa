package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cors sub-resource and OPTIONS reach their operations standalone, only on a bucket, and a gateway forwards them. */
class CorsRoutingTest {
    private static S3Operation resolve(String method, String key, Map<String, String> query) {
        return S3Operation.resolve(method, "b", key, query, false, false);
    }

    @Test
    void theCorsSubResourceIsItsOperationOnABucket() {
        assertThat(resolve("GET", null, Map.of("cors", ""))).isEqualTo(S3Operation.GET_BUCKET_CORS);
        assertThat(resolve("PUT", null, Map.of("cors", ""))).isEqualTo(S3Operation.PUT_BUCKET_CORS);
        assertThat(resolve("DELETE", null, Map.of("cors", ""))).isEqualTo(S3Operation.DELETE_BUCKET_CORS);
        assertThat(resolve("POST", null, Map.of("cors", ""))).isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(resolve("PUT", "k", Map.of("cors", ""))).as("not a PutObject").isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(resolve("DELETE", "k", Map.of("cors", ""))).as("not a DeleteObject")
                .isEqualTo(S3Operation.UNSUPPORTED);
    }

    @Test
    void optionsOnABucketOrAnObjectIsAPreflightWhateverTheQuery() {
        assertThat(resolve("OPTIONS", null, Map.of())).isEqualTo(S3Operation.CORS_PREFLIGHT);
        assertThat(resolve("OPTIONS", "photos/cat.jpg", Map.of())).isEqualTo(S3Operation.CORS_PREFLIGHT);
        assertThat(resolve("OPTIONS", "k", Map.of("uploadId", "u", "partNumber", "1")))
                .isEqualTo(S3Operation.CORS_PREFLIGHT);
        assertThat(S3Operation.resolve("OPTIONS", null, null, Map.of(), false, false))
                .isEqualTo(S3Operation.UNSUPPORTED);
    }

    @Test
    void aGatewayForwardsTheRulesAndThePreflightsToTheRemote() {
        GatewayRouteOracleTest.Layers everything = new GatewayRouteOracleTest.Layers(true, true, false, false);
        for (S3Operation operation : new S3Operation[] {S3Operation.GET_BUCKET_CORS, S3Operation.PUT_BUCKET_CORS,
                S3Operation.DELETE_BUCKET_CORS, S3Operation.CORS_PREFLIGHT}) {
            assertThat(GatewayRoute.decide(operation, "GET", "b", null, Map.of(), Map.of(), everything).route())
                    .as(operation.awsName()).isEqualTo(GatewayRoute.Route.FORWARD);
        }
    }
}
