package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Object Lock sub-resources reach their operations standalone, only where S3 has them, and a gateway forwards them. */
class ObjectLockRoutingTest {
    private static S3Operation resolve(String method, String key, String subResource) {
        return S3Operation.resolve(method, "b", key, Map.of(subResource, ""), false, false);
    }

    @Test
    void eachSubResourceIsItsOperationForGetAndPutOnly() {
        assertThat(resolve("GET", null, "object-lock")).isEqualTo(S3Operation.GET_OBJECT_LOCK_CONFIGURATION);
        assertThat(resolve("PUT", null, "object-lock")).isEqualTo(S3Operation.PUT_OBJECT_LOCK_CONFIGURATION);
        assertThat(resolve("GET", "k", "retention")).isEqualTo(S3Operation.GET_OBJECT_RETENTION);
        assertThat(resolve("PUT", "k", "retention")).isEqualTo(S3Operation.PUT_OBJECT_RETENTION);
        assertThat(resolve("GET", "k", "legal-hold")).isEqualTo(S3Operation.GET_OBJECT_LEGAL_HOLD);
        assertThat(resolve("PUT", "k", "legal-hold")).isEqualTo(S3Operation.PUT_OBJECT_LEGAL_HOLD);
        assertThat(resolve("DELETE", null, "object-lock")).isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(resolve("DELETE", "k", "retention")).isEqualTo(S3Operation.UNSUPPORTED);
    }

    @Test
    void aSubResourceOnTheWrongKindOfResourceIsNeverTakenForAPlainOperation() {
        assertThat(resolve("PUT", "k", "object-lock")).as("not a PutObject").isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(resolve("GET", null, "retention")).as("not a ListObjects").isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(resolve("GET", null, "legal-hold")).isEqualTo(S3Operation.UNSUPPORTED);
    }

    @Test
    void aGatewayForwardsWhatTheLocalStoreAnswersStandalone() {
        GatewayRouteOracleTest.Layers everything = new GatewayRouteOracleTest.Layers(true, true, false, false);
        for (S3Operation operation : new S3Operation[] {S3Operation.GET_OBJECT_LOCK_CONFIGURATION,
                S3Operation.PUT_OBJECT_LOCK_CONFIGURATION, S3Operation.GET_OBJECT_RETENTION,
                S3Operation.PUT_OBJECT_RETENTION, S3Operation.GET_OBJECT_LEGAL_HOLD, S3Operation.PUT_OBJECT_LEGAL_HOLD}) {
            assertThat(GatewayRoute.decide(operation, "GET", "b", "k", Map.of(), Map.of(), everything).route())
                    .as(operation.awsName()).isEqualTo(GatewayRoute.Route.FORWARD);
        }
    }
}
