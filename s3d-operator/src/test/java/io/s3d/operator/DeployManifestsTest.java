package io.s3d.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.model.DefaultImage;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.SyncFolderChecks;
import io.s3d.operator.support.RbacCoverage;
import io.s3d.operator.runtime.WebhookReadiness;
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
        for (String dir : List.of("deploy", "deploy/cert-manager", "deploy/examples", "crds")) {
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

    @Test
    void theWebhookCannotBlockPodsThatDidNotOptIn() throws IOException {
        MutatingWebhookConfiguration webhook = (MutatingWebhookConfiguration) load("deploy/webhook.yaml").get(0);
        var cfg = webhook.getWebhooks().get(0);
        // the pod itself opts in by label; an unlabelled pod is never sent to the webhook, whatever its namespace
        assertEquals(Map.of("s3d.io/injection", "enabled"), cfg.getObjectSelector().getMatchLabels());
        var excluded = cfg.getNamespaceSelector().getMatchExpressions().stream()
                .filter(e -> e.getKey().equals("kubernetes.io/metadata.name") && e.getOperator().equals("NotIn"))
                .findFirst().orElseThrow();
        assertTrue(excluded.getValues().containsAll(List.of("kube-system", "s3d-system")), excluded.getValues().toString());
        assertEquals(cfg.getClientConfig().getService().getNamespace(), "s3d-system");

        // re-applying must not reset what cert-manager or webhook-tls.sh put there
        assertEquals(null, cfg.getClientConfig().getCaBundle(), "deploy/webhook.yaml must not carry a caBundle key");
        String injectFrom = webhook.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from");
        var certificate = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) load("deploy/cert-manager/certificate.yaml").stream()
                .filter(r -> r.getKind().equals("Certificate") && injectFrom.equals("s3d-system/" + r.getMetadata().getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no Certificate named by " + injectFrom));
        Deployment dep = load("deploy/operator.yaml").stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        String mounted = dep.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                .findFirst().orElseThrow().getSecret().getSecretName();
        assertEquals(mounted, ((Map<?, ?>) certificate.getAdditionalProperties().get("spec")).get("secretName"));
        String svc = cfg.getClientConfig().getService().getName() + ".s3d-system.svc";
        assertTrue(((List<?>) ((Map<?, ?>) certificate.getAdditionalProperties().get("spec")).get("dnsNames")).contains(svc));
    }

    @Test
    void twoReplicasWithADisruptionBudgetServeTheWebhook() throws IOException {
        List<HasMetadata> operator = load("deploy/operator.yaml");
        Deployment dep = operator.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        assertEquals(2, dep.getSpec().getReplicas());
        assertEquals(0, dep.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        PodDisruptionBudget pdb = operator.stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast)
                .findFirst().orElseThrow();
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        assertEquals(dep.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
        var container = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
        // a replica waiting for the Lease must stay in the webhook Service
        assertEquals("/q/health/group/" + WebhookReadiness.GROUP, container.getReadinessProbe().getHttpGet().getPath());
        // gateways that pin no image follow the operator's
        assertEquals(DefaultImage.BUILT_IN, container.getEnv().stream().filter(e -> e.getName().equals(DefaultImage.ENV))
                .findFirst().orElseThrow().getValue());
        Role lease = RbacCoverage.leaderElectionRole();
        assertTrue(lease.getRules().get(0).getResources().contains("leases"));
    }

    @Test
    void peopleGetAggregatedRolesForTheCustomResources() throws IOException {
        var roles = load("deploy/rbac.yaml").stream().filter(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class::isInstance)
                .map(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class::cast)
                .collect(java.util.stream.Collectors.toMap(r -> r.getMetadata().getName(), r -> r));
        var admin = roles.get("s3d-admin");
        assertEquals("true", admin.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-admin"));
        assertEquals("true", admin.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-edit"));
        assertTrue(admin.getRules().get(0).getVerbs().containsAll(List.of("create", "delete", "patch")));
        var view = roles.get("s3d-view");
        assertEquals("true", view.getMetadata().getLabels().get("rbac.authorization.k8s.io/aggregate-to-view"));
        assertEquals(List.of("get", "list", "watch"), view.getRules().get(0).getVerbs());
        assertTrue(view.getRules().get(0).getResources().containsAll(List.of("s3dgateways", "syncfolders")));
    }

    @SuppressWarnings("unchecked")
    @Test
    void tagsPublishMultiArchImagesOfBothDockerfiles() throws IOException {
        Map<String, Object> wf = Serialization.unmarshal(Files.readString(ROOT.resolve(".github/workflows/images.yml")), Map.class);
        // YAML 1.1 reads the key "on" as true
        Map<String, Object> on = (Map<String, Object>) (wf.containsKey("on") ? wf.get("on") : wf.get(true));
        assertEquals(List.of("v*"), ((Map<String, Object>) on.get("push")).get("tags"));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) wf.get("jobs"))
                .get("images")).get("steps");
        List<Map<String, Object>> builds = steps.stream().filter(st -> String.valueOf(st.get("uses")).startsWith("docker/build-push-action"))
                .map(st -> (Map<String, Object>) st.get("with")).toList();
        assertEquals(List.of("s3d-service/src/main/docker/Dockerfile.jvm", "s3d-operator/src/main/docker/Dockerfile.jvm"),
                builds.stream().map(b -> b.get("file")).toList());
        for (Map<String, Object> b : builds) {
            assertEquals("linux/amd64,linux/arm64", b.get("platforms"));
            assertTrue(Files.exists(ROOT.resolve((String) b.get("file"))));
        }
    }

    /** The fallback script against a recording kubectl: the previous CA stays trusted, nothing restarts. */
    @Test
    void webhookTlsScriptKeepsThePreviousCaTrustedAndRestartsNothing() throws Exception {
        Path bin = Files.createTempDirectory("kubectl-stub");
        Path log = bin.resolve("calls");
        Path oldCa = bin.resolve("old-ca.pem");
        Files.writeString(oldCa, "-----BEGIN CERTIFICATE-----\nT0xE\n-----END CERTIFICATE-----\n");
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, "#!/bin/sh\necho \"$*\" >> " + log + "\n"
                + "case \"$*\" in get*) base64 < " + oldCa + " | tr -d '\\n';; esac\ncat > /dev/null 2>&1 <&- || true\n");
        kubectl.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("deploy/webhook-tls.sh").toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        List<String> calls = Files.readAllLines(log);
        String patch = calls.stream().filter(c -> c.startsWith("patch mutatingwebhookconfiguration")).findFirst().orElseThrow();
        String bundle = new String(java.util.Base64.getDecoder().decode(
                patch.replaceAll("(?s).*\"value\":\"([^\"]+)\".*", "$1")));
        assertEquals(2, bundle.split("BEGIN CERTIFICATE").length - 1, "new CA plus the previous one: " + bundle);
        assertTrue(bundle.contains("T0xE"), "the previous CA is still trusted");
        assertTrue(patch.contains("\"op\":\"add\""), "add works whether or not caBundle exists");
        assertTrue(calls.indexOf(patch) < calls.stream().filter(c -> c.startsWith("apply")).map(calls::indexOf).findFirst().orElseThrow(),
                "trust first, then the new certificate: " + calls);
        assertTrue(calls.stream().noneMatch(c -> c.contains("rollout restart")), "the operator reloads the certificate itself");
    }
}
