package io.s3d.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.SyncFolderChecks;
import io.s3d.operator.support.RbacCoverage;
import io.s3d.operator.webhook.SidecarInjector;

/** deploy/ is consistent with the code: names, ports, webhook path, and every example is valid. */
class DeployManifestsTest {
    static final Path ROOT = RbacCoverage.repoRoot();

    static List<HasMetadata> load(String file) throws IOException {
        try (var in = new FileInputStream(ROOT.resolve(file).toFile()); KubernetesClient offline = new KubernetesClientBuilder().build()) {
            return offline.load(in).items();
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyKustomizationResourceExists() throws IOException {
        for (String dir : List.of("deploy", "deploy/examples", "crds")) {
            Map<String, Object> k = Serialization.unmarshal(Files.readString(ROOT.resolve(dir).resolve("kustomization.yaml")), Map.class);
            for (String r : (List<String>) k.get("resources")) {
                assertTrue(Files.exists(ROOT.resolve(dir).resolve(r)), dir + " lists missing " + r);
            }
        }
    }

    @Test
    void webhookReachesTheOperatorEndpointOverTls() throws IOException {
        MutatingWebhookConfiguration webhook = (MutatingWebhookConfiguration) load("deploy/webhook.yaml").get(0);
        var cfg = webhook.getWebhooks().get(0);
        assertEquals(SidecarInjector.class.getAnnotation(jakarta.ws.rs.Path.class).value(), cfg.getClientConfig().getService().getPath());
        assertEquals(List.of("v1"), cfg.getAdmissionReviewVersions());
        assertEquals("None", cfg.getSideEffects());
        assertEquals(Map.of("s3d.io/injection", "enabled"), cfg.getNamespaceSelector().getMatchLabels());

        List<HasMetadata> operator = load("deploy/operator.yaml");
        Service svc = operator.stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElseThrow();
        Deployment dep = operator.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        assertEquals(cfg.getClientConfig().getService().getName(), svc.getMetadata().getName());
        assertEquals(cfg.getClientConfig().getService().getPort(), svc.getSpec().getPorts().get(0).getPort());
        var container = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
        String target = svc.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertEquals(8443, container.getPorts().stream().filter(p -> p.getName().equals(target)).findFirst().orElseThrow().getContainerPort());
        assertEquals(svc.getSpec().getSelector(), dep.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals("ghcr.io/s3d-io/s3d-operator:0.1.0", container.getImage());

        ClusterRoleBinding binding = load("deploy/rbac.yaml").stream().filter(ClusterRoleBinding.class::isInstance)
                .map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
        assertEquals(dep.getSpec().getTemplate().getSpec().getServiceAccountName(), binding.getSubjects().get(0).getName());
    }

    @Test
    void everyExamplePassesTheOperatorsValidation() throws IOException {
        int gateways = 0;
        int folders = 0;
        for (String f : List.of("gateway-deployment.yaml", "gateway-daemonset.yaml", "gateway-sidecar.yaml", "syncfolder.yaml")) {
            for (HasMetadata item : load("deploy/examples/" + f)) {
                // the offline client does not know our kinds: bind them through JSON
                HasMetadata r = switch (item.getKind()) {
                    case "S3dGateway" -> Serialization.unmarshal(Serialization.asJson(item), S3dGateway.class);
                    case "SyncFolder" -> Serialization.unmarshal(Serialization.asJson(item), SyncFolder.class);
                    default -> item;
                };
                if (r instanceof S3dGateway gw) {
                    assertEquals(List.of(), GatewayModel.from(gw).errors(), f);
                    gateways++;
                } else if (r instanceof SyncFolder sf) {
                    assertEquals(List.of(), SyncFolderChecks.errors(sf), f);
                    folders++;
                }
            }
        }
        assertEquals(3, gateways);
        assertEquals(1, folders);
    }
}
