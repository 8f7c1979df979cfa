package io.s3d.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * deploy/helm/s3d-operator installs what `kubectl apply -k deploy/cert-manager` installs: linted and
 * rendered in-process (helm-java), every object compared with deploy/'s as kustomize would set its
 * namespace. The Namespace itself is the one difference (helm install --create-namespace).
 */
class HelmChartTest {
    static final Path CHART = DeployManifestsTest.ROOT.resolve("deploy/helm/s3d-operator");
    static final Set<String> NAMESPACED = Set.of("ServiceAccount", "Deployment", "Service", "PodDisruptionBudget", "Role",
            "RoleBinding", "Issuer", "Certificate");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<HasMetadata> parse(String yaml) {
        try (KubernetesClient offline = new KubernetesClientBuilder().build()) {
            return offline.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
        }
    }

    static Map<String, JsonNode> byKindAndName(List<HasMetadata> items) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        for (HasMetadata item : items) {
            out.put(item.getKind() + "/" + item.getMetadata().getName(), JSON.readTree(Serialization.asJson(item)));
        }
        return out;
    }

    @Test
    void theChartLints() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), lint.getMessages().toString());
    }

    @Test
    void theRenderedChartIsTheKustomizeInstall() throws IOException {
        String rendered = new Helm(CHART).template().withName("s3d").withNamespace("s3d-system").call();
        List<HasMetadata> expected = new ArrayList<>();
        for (String f : List.of("deploy/rbac.yaml", "deploy/operator.yaml", "deploy/webhook.yaml", "deploy/cert-manager/certificate.yaml")) {
            for (HasMetadata item : DeployManifestsTest.load(f)) {
                if (NAMESPACED.contains(item.getKind())) {
                    item.getMetadata().setNamespace("s3d-system"); // what kustomize's namespace: does
                }
                expected.add(item);
            }
        }
        Map<String, JsonNode> want = byKindAndName(expected);
        Map<String, JsonNode> got = byKindAndName(parse(rendered));
        assertEquals(want.keySet(), got.keySet());
        want.forEach((key, node) -> assertEquals(node, got.get(key), key + " differs from deploy/"));
    }

    @Test
    void valuesChangeImagesReplicasNamespaceAndTheCertificateSource() {
        String rendered = new Helm(CHART).template().withName("s3d").withNamespace("platform")
                .set("image.tag", "0.2.0").set("s3dImage", "registry.example/s3d:0.2.0").set("replicas", 3)
                .set("webhook.certManager", false).call();
        List<HasMetadata> items = parse(rendered);
        var dep = items.stream().filter(i -> i instanceof io.fabric8.kubernetes.api.model.apps.Deployment)
                .map(io.fabric8.kubernetes.api.model.apps.Deployment.class::cast).findFirst().orElseThrow();
        assertEquals(3, dep.getSpec().getReplicas());
        var c = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("ghcr.io/s3d-io/s3d-operator:0.2.0", c.getImage());
        assertEquals("registry.example/s3d:0.2.0", c.getEnv().stream().filter(e -> e.getName().equals("RELATED_IMAGE_S3D"))
                .findFirst().orElseThrow().getValue());
        assertEquals("platform", dep.getMetadata().getNamespace());
        assertTrue(items.stream().noneMatch(i -> i.getKind().equals("Certificate") || i.getKind().equals("Issuer")));
        var webhook = items.stream().filter(MutatingWebhookConfiguration.class::isInstance).map(MutatingWebhookConfiguration.class::cast)
                .findFirst().orElseThrow();
        assertTrue(webhook.getMetadata().getAnnotations() == null
                || !webhook.getMetadata().getAnnotations().containsKey("cert-manager.io/inject-ca-from"),
                "no cert-manager CA injection without cert-manager");
        assertEquals("platform", webhook.getWebhooks().get(0).getClientConfig().getService().getNamespace());
        assertTrue(webhook.getWebhooks().get(0).getNamespaceSelector().getMatchExpressions().get(0).getValues().contains("platform"),
                "the operator's own namespace is never sent to the webhook");
        var binding = items.stream().filter(ClusterRoleBinding.class::isInstance).map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
        assertEquals("platform", binding.getSubjects().get(0).getNamespace());
    }

    @Test
    void theChartCarriesTheCheckedInCrds() throws IOException {
        for (String name : List.of("s3dgateways.s3d.io-v1.yml", "syncfolders.s3d.io-v1.yml")) {
            assertEquals(Files.readString(DeployManifestsTest.ROOT.resolve("crds").resolve(name)),
                    Files.readString(CHART.resolve("crds").resolve(name)), "cp crds/*.yml deploy/helm/s3d-operator/crds/");
        }
    }
}
