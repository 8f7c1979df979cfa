package io.s3d.operator.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Objects;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.ConditionSchema;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.support.RbacCoverage;

/**
 * FiltersValid against the fabric8 CRUD mock: filter rules s3d would refuse are reported on the
 * gateway with s3d's own parser message, before any pod reads them.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
class FiltersValidTest {
    static final String NS = "filters-test";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient operatorClient;

    KubernetesClient client;

    @BeforeEach
    void testClient() {
        client = RbacCoverage.testClient(operatorClient);
    }

    @Test
    void aBadRuleInTheSpecIsReportedAndHoldsTheGatewayUntilItIsFixed() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.filters = new S3dGatewaySpec.FilterSpec();
        spec.filters.inline = "queue: logs\ncache:\n  - photos/*[hdr:content-length>lots]\n";
        client.resource(Fixtures.gateway(NS, "typo", spec)).create();

        S3dGateway gw = awaitCondition("typo", "FiltersValid", "False");
        Condition filters = condition(gw, "FiltersValid");
        assertEquals("InvalidFilterRule", filters.getReason());
        assertTrue(filters.getMessage().startsWith("filters.inline, line 3: filter 'photos/*[hdr:content-length>lots]', column "),
                filters.getMessage());
        assertEquals("InvalidFilterRule", condition(gw, "Degraded").getReason());
        assertEquals("False", condition(gw, "Ready").getStatus());
        ConditionSchema.assertConforms(gw.getStatus().conditions);
        assertNull(client.apps().deployments().inNamespace(NS).withName("typo").get(), "no pod would start on the rule");
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "InvalidFilterRule".equals(e.getReason()) && "typo".equals(e.getInvolvedObject().getName())));

        client.resources(S3dGateway.class).inNamespace(NS).withName("typo").edit(g -> {
            g.getSpec().filters.inline = "queue: logs\ncache:\n  - photos/*[hdr:content-length>10MiB]\n";
            return g;
        });
        awaitDeployment("typo");
        S3dGateway fixed = awaitCondition("typo", "FiltersValid", "True");
        assertEquals("RulesParsed", condition(fixed, "FiltersValid").getReason());
        assertEquals("the filter rules parse: filters.inline", condition(fixed, "FiltersValid").getMessage());
    }

    @Test
    void aBadRuleInTheReferencedConfigMapIsReportedAndItsFixIsSeen() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.filters = new S3dGatewaySpec.FilterSpec();
        spec.filters.configMapRef = new S3dGatewaySpec.ConfigMapKeyRef();
        spec.filters.configMapRef.name = "team-policy";
        client.resource(Fixtures.gateway(NS, "shared", spec)).create();

        S3dGateway missing = awaitCondition("shared", "FiltersValid", "False");
        assertEquals("FilterPolicyNotFound", condition(missing, "FiltersValid").getReason());
        assertEquals("FilterPolicyNotFound", condition(missing, "Degraded").getReason());

        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("team-policy").endMetadata()
                .addToData("filter-policy", "queue: logs\nsync.reports: [tag:keep\n").build()).create();
        S3dGateway bad = await().atMost(WAIT).until(() -> gateway("shared"),
                g -> "InvalidFilterRule".equals(condition(g, "FiltersValid").getReason()));
        String message = condition(bad, "FiltersValid").getMessage();
        assertTrue(message.startsWith("ConfigMap team-policy key filter-policy, line 2: filter '[tag:keep', column "), message);
        assertEquals("True", condition(bad, "Degraded").getStatus());
        ConditionSchema.assertConforms(bad.getStatus().conditions);
        // the policy reaches the pods without the operator: holding the Deployment back would not help
        awaitDeployment("shared");

        client.configMaps().inNamespace(NS).withName("team-policy").edit(cm -> new ConfigMapBuilder(cm)
                .addToData("filter-policy", "queue: logs\nsync.reports: \"[tag:keep=yes]\"\n").build());
        S3dGateway fixed = awaitCondition("shared", "FiltersValid", "True"); // the periodic reconcile reads it again
        assertEquals("the filter rules parse: ConfigMap team-policy key filter-policy", condition(fixed, "FiltersValid").getMessage());
    }

    private S3dGateway gateway(String name) {
        return client.resources(S3dGateway.class).inNamespace(NS).withName(name).get();
    }

    private Deployment awaitDeployment(String name) {
        return await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName(name).get(), Objects::nonNull);
    }

    private S3dGateway awaitCondition(String name, String type, String status) {
        return await().atMost(WAIT).until(() -> gateway(name), gw -> gw != null && gw.getStatus() != null
                && gw.getStatus().conditions.stream().anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus())));
    }

    static Condition condition(S3dGateway gw, String type) {
        return gw.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
