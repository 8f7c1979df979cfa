package io.s3d.operator.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.ConditionSchema;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.support.RbacCoverage;

/** spec.podTemplate against the fabric8 CRUD mock: merged into the Deployment, refused with a condition where it sets what the operator owns. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
class PodTemplateTest {
    static final String NS = "template-test";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient operatorClient;

    KubernetesClient client;

    @BeforeEach
    void testClient() {
        client = RbacCoverage.testClient(operatorClient);
    }

    @Test
    void theTemplateReachesTheDeploymentAndAConflictLeavesItAsItWas() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.podTemplate = Serialization.unmarshal("""
                metadata:
                  annotations: {sidecar.istio.io/inject: "false"}
                spec:
                  tolerations: [{key: dedicated, operator: Equal, value: storage, effect: NoSchedule}]
                  containers:
                  - name: s3d
                    env: [{name: JAVA_TOOL_OPTIONS, value: -XX:ActiveProcessorCount=2}]
                  - name: log-shipper
                    image: fluent/fluent-bit:3.0
                """, PodTemplateSpec.class);
        client.resource(Fixtures.gateway(NS, "templated", spec)).create();

        PodTemplateSpec pod = await().atMost(WAIT).until(() -> deployment("templated"), Objects::nonNull).getSpec().getTemplate();
        assertEquals(List.of("s3d", "log-shipper"), pod.getSpec().getContainers().stream().map(Container::getName).toList());
        Container s3d = pod.getSpec().getContainers().get(0);
        assertEquals(List.of("-XX:ActiveProcessorCount=2"), s3d.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .map(e -> e.getValue()).toList(), "the template's JVM options replace the operator's default sizing");
        assertTrue(s3d.getEnv().stream().anyMatch(e -> e.getName().equals("S3D_ENDPOINT")), "the operator's env is kept");
        assertEquals("dedicated", pod.getSpec().getTolerations().get(0).getKey());
        assertEquals("false", pod.getMetadata().getAnnotations().get("sidecar.istio.io/inject"));

        String applied = Serialization.asYaml(pod);
        client.resources(S3dGateway.class).inNamespace(NS).withName("templated").edit(g -> {
            g.getSpec().podTemplate.getSpec().getContainers().get(0).setImage("registry.example/s3d:patched");
            g.getSpec().podTemplate.getSpec().setTerminationGracePeriodSeconds(5L);
            return g;
        });
        S3dGateway refused = await().atMost(WAIT).until(() -> gateway("templated"),
                g -> g.getStatus() != null && "PodTemplateConflict".equals(condition(g, "Degraded").getReason()));
        String message = condition(refused, "Degraded").getMessage();
        assertTrue(message.contains("podTemplate.spec.containers[s3d].image: set spec.image"), message);
        assertTrue(message.contains("podTemplate.spec.terminationGracePeriodSeconds: set spec.terminationGracePeriodSeconds"), message);
        assertEquals("False", condition(refused, "Ready").getStatus());
        ConditionSchema.assertConforms(refused.getStatus().conditions);
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "PodTemplateConflict".equals(e.getReason()) && "templated".equals(e.getInvolvedObject().getName())));
        assertEquals(applied, Serialization.asYaml(deployment("templated").getSpec().getTemplate()), "nothing applied");

        client.resources(S3dGateway.class).inNamespace(NS).withName("templated").edit(g -> {
            g.getSpec().podTemplate.getSpec().getContainers().get(0).setImage(null);
            g.getSpec().podTemplate.getSpec().setTerminationGracePeriodSeconds(null);
            g.getSpec().image = "registry.example/s3d:patched";
            return g;
        });
        await().atMost(WAIT).until(() -> "registry.example/s3d:patched"
                .equals(deployment("templated").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        await().atMost(WAIT).until(() -> !"PodTemplateConflict".equals(condition(gateway("templated"), "Degraded").getReason()));
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private S3dGateway gateway(String name) {
        return client.resources(S3dGateway.class).inNamespace(NS).withName(name).get();
    }

    static Condition condition(S3dGateway gw, String type) {
        return gw.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
