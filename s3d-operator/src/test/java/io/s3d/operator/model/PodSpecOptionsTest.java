package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.Fixtures;

/** The pod-level settings a platform team needs (identity, pulls, placement, metadata, resources). */
class PodSpecOptionsTest {

    static Deployment deployment(S3dGatewaySpec s) {
        return GatewayResources.deployment(GatewayModel.from(Fixtures.gateway("ns", "gw", s)));
    }

    @Test
    void identityPullSecretsPlacementAndMetadataReachThePods() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.serviceAccountName = "s3d-irsa";
        s.imagePullSecrets = List.of(new LocalObjectReference("regcred"));
        s.priorityClassName = "system-cluster-critical";
        s.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
                .withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("ScheduleAnyway").build());
        s.podLabels = Map.of("team", "data", "app.kubernetes.io/instance", "hijack");
        s.podAnnotations = Map.of("prometheus.io/scrape", "true", "s3d.io/config-hash", "hijack");
        var pod = deployment(s).getSpec().getTemplate();
        assertEquals("s3d-irsa", pod.getSpec().getServiceAccountName());
        assertEquals("regcred", pod.getSpec().getImagePullSecrets().get(0).getName());
        assertEquals("system-cluster-critical", pod.getSpec().getPriorityClassName());
        assertEquals("topology.kubernetes.io/zone", pod.getSpec().getTopologySpreadConstraints().get(0).getTopologyKey());
        assertEquals("data", pod.getMetadata().getLabels().get("team"));
        assertEquals("gw", pod.getMetadata().getLabels().get("app.kubernetes.io/instance"), "the selector keeps matching");
        assertEquals("true", pod.getMetadata().getAnnotations().get("prometheus.io/scrape"));
        assertEquals(16, pod.getMetadata().getAnnotations().get("s3d.io/config-hash").length(), "the operator's hash wins");
    }

    @Test
    void aMemoryLimitByDefaultSoTheJvmSizesItsHeapFromIt() {
        var c = deployment(new S3dGatewaySpec()).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("1Gi", c.getResources().getLimits().get("memory").toString());
        assertEquals("256Mi", c.getResources().getRequests().get("memory").toString());
        assertEquals("-Xmx256m -XX:+UseSerialGC", env(c, JvmSizing.ENV), "a quarter of the 1Gi limit");
    }

    @Test
    void theHeapIsAQuarterOfTheMemoryLimitBetween64And256MiB() {
        assertEquals("-Xmx128m -XX:+UseSerialGC", env(container(limits("memory", "512Mi")), JvmSizing.ENV));
        assertEquals("-Xmx256m -XX:+UseSerialGC", env(container(limits("memory", "8Gi")), JvmSizing.ENV),
                "s3d streams bodies: a larger limit is for the page cache and direct buffers, not the heap");
        assertEquals("-Xmx64m -XX:+UseSerialGC", env(container(limits("memory", "128Mi")), JvmSizing.ENV));
        io.fabric8.kubernetes.api.model.Container noLimit = container(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi")).build());
        assertEquals(null, env(noLimit, JvmSizing.ENV), "no limit: the image's -XX:MaxRAMPercentage=25 decides");
    }

    private static io.fabric8.kubernetes.api.model.ResourceRequirements limits(String resource, String quantity) {
        return new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToLimits(resource, new io.fabric8.kubernetes.api.model.Quantity(quantity)).build();
    }

    private static io.fabric8.kubernetes.api.model.Container container(io.fabric8.kubernetes.api.model.ResourceRequirements r) {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.resources = r;
        return deployment(s).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String env(io.fabric8.kubernetes.api.model.Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
    }

    @Test
    void aFuseDeploymentAddsItsAntiAffinityToTheSpecsAffinity() {
        S3dGatewaySpec s = FuseDeliveryTest.fuse(S3dGatewaySpec.Mode.Deployment);
        s.affinity = new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("disk").withOperator("In").withValues("ssd")
                .endMatchExpression().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
        var affinity = deployment(s).getSpec().getTemplate().getSpec().getAffinity();
        assertNotNull(affinity.getNodeAffinity());
        assertEquals("kubernetes.io/hostname",
                affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0).getTopologyKey());
    }
}
