package io.s3d.operator.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * Checks deploy/rbac.yaml against what the operator really did: every request recorded by the mock
 * API server, except those of the test's own client (User-Agent {@value #TEST_AGENT}) and the CRD
 * apply QOSDK performs in test mode only, must be allowed by the ClusterRole.
 */
public final class RbacCoverage {
    public static final String TEST_AGENT = "s3d-test-client";
    static final String SERVICE_MONITOR_CRD = "servicemonitors.monitoring.coreos.com";

    private RbacCoverage() {
    }

    /** A client for the test's own actions, told apart from the operator's by its User-Agent. */
    public static KubernetesClient testClient(KubernetesClient operatorClient) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(operatorClient.getConfiguration()).withUserAgent(TEST_AGENT).build())
                .build();
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("s3d.repo.root", "..")).toAbsolutePath().normalize();
    }

    public static ClusterRole clusterRole() {
        return rbacItems().stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .filter(r -> "s3d-operator".equals(r.getMetadata().getName())).findFirst().orElseThrow();
    }

    /** The Role of the operator's own namespace (leader election's Lease). */
    public static Role leaderElectionRole() {
        return rbacItems().stream().filter(Role.class::isInstance).map(Role.class::cast)
                .filter(r -> "s3d-operator-leader-election".equals(r.getMetadata().getName())).findFirst().orElseThrow();
    }

    private static List<HasMetadata> rbacItems() {
        try (var in = new FileInputStream(repoRoot().resolve("deploy/rbac.yaml").toFile());
                KubernetesClient offline = new KubernetesClientBuilder().build()) {
            return offline.load(in).items();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** group/resource:verb triples the operator used, e.g. "apps/deployments:create". */
    public static Set<String> operatorRequests(KubernetesServer server) throws InterruptedException {
        Set<String> used = new TreeSet<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            String agent = r.getHeader("User-Agent");
            if (agent != null && agent.startsWith(TEST_AGENT)) {
                continue;
            }
            String access = access(r.getMethod(), r.getPath());
            // SelfSubjectRulesReview (leader election's access check) is open to every authenticated
            // user through the default system:basic-user ClusterRole
            // QOSDK's test-mode CRD apply is left out; the operator's own CRD look-up (ServiceMonitor) is not
            boolean crdApply = access != null && access.startsWith("apiextensions.k8s.io/")
                    && !r.getPath().contains("/" + SERVICE_MONITOR_CRD);
            if (access != null && !crdApply
                    && !access.equals("authorization.k8s.io/selfsubjectrulesreviews:create")) {
                used.add(access);
            }
        }
        return used;
    }

    static String access(String method, String fullPath) {
        String path = fullPath;
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        List<String> parts = new ArrayList<>(List.of(path.replaceFirst("^/", "").split("/")));
        String group;
        if (parts.get(0).equals("api")) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if (parts.get(0).equals("apis") && parts.size() >= 3) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            return null;
        }
        if (parts.size() >= 2 && parts.get(0).equals("namespaces") && parts.size() > 2) {
            parts = parts.subList(2, parts.size());
        }
        if (parts.isEmpty()) {
            return null;
        }
        String resource = parts.get(0);
        boolean named = parts.size() >= 2;
        if (parts.size() >= 3) {
            resource = resource + "/" + parts.get(2);
        }
        String verb = switch (method) {
            case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return group + "/" + resource + ":" + verb;
    }

    static boolean allowed(ClusterRole role, String access) {
        return allowed(role.getRules(), access);
    }

    static boolean allowed(List<PolicyRule> rules, String access) {
        String groupResource = access.substring(0, access.indexOf(':'));
        String verb = access.substring(access.indexOf(':') + 1);
        String group = groupResource.substring(0, groupResource.indexOf('/'));
        String resource = groupResource.substring(groupResource.indexOf('/') + 1);
        for (PolicyRule rule : rules) {
            if ((rule.getApiGroups().contains(group) || rule.getApiGroups().contains("*"))
                    && (rule.getResources().contains(resource) || rule.getResources().contains("*"))
                    && (rule.getVerbs().contains(verb) || rule.getVerbs().contains("*"))) {
                return true;
            }
        }
        return false;
    }

    public static void assertCovered(KubernetesServer server) throws InterruptedException {
        Set<String> used = operatorRequests(server);
        assertTrue(used.size() > 3, "expected the operator to have made requests, saw " + used);
        ClusterRole role = clusterRole();
        // Leases only through the Role bound in the operator's namespace, everything else cluster-wide
        List<String> denied = used.stream().filter(a -> a.startsWith("coordination.k8s.io/")
                ? !allowed(leaderElectionRole().getRules(), a) : !allowed(role, a)).toList();
        if (!denied.isEmpty()) {
            fail("deploy/rbac.yaml does not allow " + denied + " (operator used " + used + ")");
        }
        System.out.println("RBAC coverage: operator used " + used);
    }
}
