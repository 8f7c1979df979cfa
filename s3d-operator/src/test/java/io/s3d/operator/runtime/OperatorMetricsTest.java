package io.s3d.operator.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.support.RbacCoverage;

/** The operator's own metrics (JOSDK's, through Micrometer) on /q/metrics, for Prometheus. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
class OperatorMetricsTest {
    @Inject
    KubernetesClient operatorClient;

    @Test
    void reconciliationsOfTheGatewayControllerAreCounted() {
        KubernetesClient client = RbacCoverage.testClient(operatorClient);
        client.resource(Fixtures.gateway("metrics-test", "counted", new S3dGatewaySpec())).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String metrics = RestAssured.get("/q/metrics").asString();
            return metrics.lines().anyMatch(l -> l.startsWith("reconciliations_success_total{controller_name=\"s3dgateway\"}"));
        });
        String metrics = RestAssured.get("/q/metrics").asString();
        for (String name : new String[] {"reconciliations_queue{controller_name=\"s3dgateway\"}",
                "reconciliations_execution_duration_seconds_count{controller_name=\"s3dgateway\"}",
                "reconciliations_active{controller_name=\"syncfolder\"}"}) {
            assertTrue(metrics.contains(name), name);
        }
    }
}
