package io.s3d.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.s3d.operator.support.RbacCoverage;

/**
 * The checked-in CRDs on a real API server (K3s): CEL rules reject bad specs at apply time and
 * defaults are applied, which the fabric8 mock cannot show. Skipped when Docker is unavailable.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sCrdValidationTest {
    static final ResourceDefinitionContext GATEWAYS = new ResourceDefinitionContext.Builder()
            .withGroup("s3d.io").withVersion("v1alpha1").withPlural("s3dgateways").withKind("S3dGateway").withNamespaced(true).build();
    static final ResourceDefinitionContext FOLDERS = new ResourceDefinitionContext.Builder()
            .withGroup("s3d.io").withVersion("v1alpha1").withPlural("syncfolders").withKind("SyncFolder").withNamespaced(true).build();

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.33.1-k3s1"));

    static KubernetesClient client;

    @BeforeAll
    static void installCrds() throws Exception {
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();
        for (String crd : new String[] {"s3dgateways.s3d.io-v1.yml", "syncfolders.s3d.io-v1.yml"}) {
            try (var in = new FileInputStream(RbacCoverage.repoRoot().resolve(Path.of("crds", crd)).toFile())) {
                CustomResourceDefinition def = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                client.resource(def).create();
                await().atMost(Duration.ofSeconds(60)).until(() -> client.apiextensions().v1().customResourceDefinitions()
                        .withName(def.getMetadata().getName()).get().getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
            }
        }
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void celRulesRejectAnInvalidGateway() {
        GenericKubernetesResource bad = resource("S3dGateway", "invalid",
                Map.of("mode", "DaemonSet", "replicas", 3, "writeQueue", Map.of("enabled", true)));
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.genericKubernetesResources(GATEWAYS).inNamespace("default").resource(bad).create());
        assertTrue(e.getMessage().contains("replicas applies only to mode Deployment"), e.getMessage());
        assertTrue(e.getMessage().contains("the write queue needs a remote"), e.getMessage());
        assertTrue(e.getMessage().contains("writeQueue.unsafeEphemeralStorage"), e.getMessage());
    }

    @Test
    void defaultsAreAppliedByTheApiServer() {
        GenericKubernetesResource gw = client.genericKubernetesResources(GATEWAYS).inNamespace("default")
                .resource(resource("S3dGateway", "minimal", Map.of())).create();
        Map<String, Object> spec = gw.get("spec");
        assertEquals("Deployment", spec.get("mode"));
        assertEquals(1, ((Number) spec.get("replicas")).intValue());
        // no image default: it would be written into the stored gateway and pin it across operator upgrades
        assertFalse(spec.containsKey("image"), spec.toString());
        assertFalse(((Map<?, ?>) spec.getOrDefault("storage", Map.of())).containsKey("type"), "the model picks the storage type");
    }

    @Test
    void aSyncFolderCannotChangeGateway() {
        GenericKubernetesResource folder = client.genericKubernetesResources(FOLDERS).inNamespace("default")
                .resource(resource("SyncFolder", "docs", Map.of("gateway", "a", "bucket", "team-docs",
                        "volume", Map.of("claimName", "files")))).create();
        Map<String, Object> spec = folder.get("spec");
        spec.put("gateway", "b");
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> client.genericKubernetesResources(FOLDERS).inNamespace("default").resource(folder).update());
        assertTrue(e.getMessage().contains("gateway is immutable"), e.getMessage());
    }

    static GenericKubernetesResource resource(String kind, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("s3d.io/v1alpha1").withKind(kind)
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToAdditionalProperties("spec", new java.util.HashMap<>(spec)).build();
    }
}
