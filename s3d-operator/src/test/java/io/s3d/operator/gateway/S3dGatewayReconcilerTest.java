package io.s3d.operator.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.common.Annotations;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.RbacCoverage;

/** The gateway controller against the fabric8 CRUD mock: children, owner refs, roll, drift, status. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3dGatewayReconcilerTest {
    static final String NS = "gw-test";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient operatorClient;

    KubernetesClient client;

    @BeforeEach
    void testClient() {
        client = RbacCoverage.testClient(operatorClient);
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    @Order(1)
    void deploymentModeCreatesConfigMapDeploymentAndServiceOwnedByTheGateway() {
        for (String secret : List.of("remote-creds", "client-creds")) {
            client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(secret).endMetadata()
                    .addToStringData("AWS_ACCESS_KEY_ID", "id-" + secret).addToStringData("AWS_SECRET_ACCESS_KEY", "v1").build())
                    .create();
        }
        S3dGateway gw = client.resource(Fixtures.gateway(NS, "shared", Fixtures.fullSpec())).create();

        Deployment d = awaitDeployment("shared");
        ConfigMap cm = await().atMost(WAIT).until(() -> client.configMaps().inNamespace(NS).withName("shared-config").get(), Objects::nonNull);
        Service svc = await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("shared").get(), Objects::nonNull);

        // ConfigMap: the contract's variables, no secrets
        Map<String, String> data = cm.getData();
        assertEquals("http://0.0.0.0:33333", data.get("S3D_ENDPOINT"));
        assertEquals("/var/lib/s3d", data.get("S3D_LOCAL_DIR"));
        assertEquals("http://minio.storage.svc:9000", data.get("S3_ENDPOINT"));
        assertEquals("eu-west-1", data.get("S3D_REMOTE_REGION"));
        assertEquals("true", data.get("S3D_REMOTE_PATH_STYLE"));
        assertEquals("true", data.get("S3D_WRITE_QUEUE"));
        assertEquals("2G", data.get("S3D_WRITE_QUEUE_MAX_SIZE"));
        assertEquals("600s", data.get("S3D_WRITE_QUEUE_MAX_AGE"));
        assertEquals("true", data.get("S3D_READ_CACHE"));
        assertEquals("5G", data.get("S3D_READ_CACHE_MAX_SIZE"));
        assertEquals("false", data.get("S3D_FUSE"));
        assertEquals("/etc/s3d/filter/policy", data.get("S3D_FILTER_FILE"));
        assertEquals("exclude: \"**/*.tmp\"\n", data.get("filter-policy"));
        assertEquals("http://otel-collector.observability.svc:4317", data.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        assertFalse(data.containsKey("AWS_ACCESS_KEY_ID"));

        // Deployment: replicas, image, probes, env from ConfigMap and Secrets, config hash
        assertEquals(1, d.getSpec().getReplicas());
        // the write queue acknowledges from local disk: persistent storage by default, one pod on it at a time
        assertEquals("Recreate", d.getSpec().getStrategy().getType());
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("s3d", c.getName());
        assertEquals("ghcr.io/s3d-io/s3d:0.1.0", c.getImage());
        assertEquals(33333, c.getPorts().get(0).getContainerPort());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("shared-config", env.get("S3_ENDPOINT").getValueFrom().getConfigMapKeyRef().getName());
        assertEquals("remote-creds", env.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName());
        assertEquals("AWS_SECRET_ACCESS_KEY", env.get("AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getKey());
        assertEquals("client-creds", env.get("S3D_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName());
        assertEquals("client-creds", env.get("S3D_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getName());
        assertFalse(env.containsKey("filter-policy"), "file keys are mounted, not env");
        assertEquals(true, c.getSecurityContext().getRunAsNonRoot());
        assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
        String hash = d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.CONFIG_HASH);
        assertNotNull(hash);
        assertEquals(16, hash.length());
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("s3d-data") && "shared-data".equals(v.getPersistentVolumeClaim().getClaimName())));
        // the preStop hook flushes the queue; s3d's own drain gets what the hook leaves of the grace period
        assertEquals(60L, d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
        assertEquals(List.of("sh", "-c"), c.getLifecycle().getPreStop().getExec().getCommand().subList(0, 2));
        assertTrue(c.getLifecycle().getPreStop().getExec().getCommand().get(2).contains("/_s3d/queue/flush?timeout=27s"));
        assertEquals("28s", data.get("S3D_WRITE_QUEUE_SHUTDOWN_GRACE"));

        // Service: port, selector, cluster-wide traffic
        assertEquals(33333, svc.getSpec().getPorts().get(0).getPort());
        assertEquals(d.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
        assertEquals("Cluster", svc.getSpec().getInternalTrafficPolicy());

        // owner references: deleting the gateway lets the garbage collector remove them all
        for (HasMetadata child : List.of(cm, d, svc)) {
            OwnerReference ref = child.getMetadata().getOwnerReferences().get(0);
            assertEquals("S3dGateway", ref.getKind());
            assertEquals("s3d.io/v1alpha1", ref.getApiVersion());
            assertEquals(gw.getMetadata().getUid(), ref.getUid());
            assertEquals(true, ref.getController());
            assertEquals("s3d-operator", child.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
        }
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(NS).withName("shared-data").get();
        assertEquals(List.of(), claim.getMetadata().getOwnerReferences(), "kept when the gateway goes (storage.deleteClaim false)");
        assertNull(client.apps().daemonSets().inNamespace(NS).withName("shared").get());

        // status: progressing until the pods are ready
        S3dGateway progressing = awaitCondition("shared", "Progressing", "True");
        assertEquals("http://shared.gw-test.svc:33333", progressing.getStatus().endpoint);
        assertEquals(hash, progressing.getStatus().configHash);
        assertEquals(condition(progressing, "Ready").getObservedGeneration(), progressing.getMetadata().getGeneration());

        markReady("shared", 1);
        S3dGateway ready = awaitCondition("shared", "Ready", "True");
        assertEquals("PodsReady", condition(ready, "Ready").getReason());
        assertEquals("False", condition(ready, "Degraded").getStatus());
        assertEquals(1, ready.getStatus().readyReplicas);
    }

    @Test
    @Order(2)
    void nothingIsWrittenWhenNothingChanged() throws InterruptedException {
        awaitCondition("shared", "Ready", "True");
        String gwVersion = gateway("shared").getMetadata().getResourceVersion();
        String depVersion = awaitDeployment("shared").getMetadata().getResourceVersion();
        String cmVersion = client.configMaps().inNamespace(NS).withName("shared-config").get().getMetadata().getResourceVersion();
        Thread.sleep(2500);
        assertEquals(gwVersion, gateway("shared").getMetadata().getResourceVersion());
        assertEquals(depVersion, awaitDeployment("shared").getMetadata().getResourceVersion());
        assertEquals(cmVersion, client.configMaps().inNamespace(NS).withName("shared-config").get().getMetadata().getResourceVersion());
    }

    @Test
    @Order(3)
    void configChangeUpdatesTheConfigMapAndRollsThePods() {
        String before = awaitDeployment("shared").getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.CONFIG_HASH);
        S3dGateway gw = gateway("shared");
        gw.getSpec().writeQueue.maxSize = "8G";
        client.resource(gw).update();

        await().atMost(WAIT).until(() -> "8G".equals(client.configMaps().inNamespace(NS).withName("shared-config").get().getData()
                .get("S3D_WRITE_QUEUE_MAX_SIZE")));
        String after = await().atMost(WAIT).until(
                () -> awaitDeployment("shared").getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.CONFIG_HASH),
                h -> !h.equals(before));
        assertNotEquals(before, after);
        await().atMost(WAIT).until(() -> after.equals(gateway("shared").getStatus().configHash));
    }

    @Test
    @Order(4)
    void aRotatedSecretRollsThePodsAndAMissingOneDegradesTheGateway() {
        String before = awaitDeployment("shared").getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.SECRET_HASH);
        assertNotNull(before);
        client.secrets().inNamespace(NS).withName("remote-creds").edit(s -> new SecretBuilder(s).withData(null)
                .addToStringData("AWS_ACCESS_KEY_ID", "id-remote-creds").addToStringData("AWS_SECRET_ACCESS_KEY", "v2").build());
        // no event for Secrets: the periodic reconcile (max-reconciliation-interval) picks the rotation up
        await().atMost(WAIT).until(() -> !before.equals(
                awaitDeployment("shared").getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.SECRET_HASH)));

        client.secrets().inNamespace(NS).withName("client-creds").delete();
        S3dGateway degraded = awaitCondition("shared", "Degraded", "True");
        assertEquals("SecretNotFound", condition(degraded, "Degraded").getReason());
        assertTrue(condition(degraded, "Degraded").getMessage().contains("client-creds"));
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("client-creds").endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", "id").addToStringData("AWS_SECRET_ACCESS_KEY", "v1").build()).create();
        awaitCondition("shared", "Degraded", "False");
    }

    @Test
    @Order(5)
    void driftInTheDeploymentIsRepaired() {
        Deployment d = awaitDeployment("shared");
        d.getSpec().setReplicas(5);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/s3d:latest");
        client.resource(d).update();

        await().atMost(WAIT).until(() -> {
            Deployment now = awaitDeployment("shared");
            return now.getSpec().getReplicas() == 1
                    && "ghcr.io/s3d-io/s3d:0.1.0".equals(now.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        });
    }

    @Test
    @Order(6)
    void aDeletedChildIsRecreated() {
        client.services().inNamespace(NS).withName("shared").delete();
        await().atMost(WAIT).until(() -> client.services().inNamespace(NS).withName("shared").get() != null);
    }

    @Test
    @Order(7)
    void switchingToDaemonSetReplacesTheDeployment() {
        S3dGateway gw = gateway("shared");
        gw.getSpec().mode = S3dGatewaySpec.Mode.DaemonSet;
        gw.getSpec().writeQueue.unsafeEphemeralStorage = true; // a DaemonSet pod's queue dies with it
        client.resource(gw).update();

        DaemonSet ds = await().atMost(WAIT).until(() -> client.apps().daemonSets().inNamespace(NS).withName("shared").get(), Objects::nonNull);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName("shared").get() == null);
        assertEquals("s3d", ds.getSpec().getTemplate().getSpec().getContainers().get(0).getName());
        assertNotNull(ds.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.CONFIG_HASH));
        await().atMost(WAIT).until(() -> "Local".equals(client.services().inNamespace(NS).withName("shared").get().getSpec()
                .getInternalTrafficPolicy()));
        assertEquals("S3dGateway", ds.getMetadata().getOwnerReferences().get(0).getKind());
        // storage.type left Persistent: the claim, maybe holding queued writes, stays
        assertNotNull(client.persistentVolumeClaims().inNamespace(NS).withName("shared-data").get());
        S3dGateway atRisk = awaitCondition("shared", "DataAtRisk", "True");
        assertEquals("EphemeralWriteQueue", condition(atRisk, "DataAtRisk").getReason());
        assertTrue(condition(atRisk, "DataAtRisk").getMessage().contains("mode DaemonSet"), condition(atRisk, "DataAtRisk").getMessage());
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "EphemeralWriteQueue".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    @Order(8)
    void persistentStorageGetsAClaimAndRecreateStrategy() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.storage = new S3dGatewaySpec.StorageSpec();
        spec.storage.type = S3dGatewaySpec.StorageType.Persistent;
        spec.storage.size = "50Gi";
        spec.storage.storageClassName = "fast";
        client.resource(Fixtures.gateway(NS, "persistent", spec)).create();

        PersistentVolumeClaim pvc = await().atMost(WAIT)
                .until(() -> client.persistentVolumeClaims().inNamespace(NS).withName("persistent-data").get(), Objects::nonNull);
        assertEquals("50Gi", pvc.getSpec().getResources().getRequests().get("storage").toString());
        assertEquals("fast", pvc.getSpec().getStorageClassName());
        assertEquals(List.of("ReadWriteOnce"), pvc.getSpec().getAccessModes());
        assertEquals(List.of(), pvc.getMetadata().getOwnerReferences(), "no owner: the garbage collector must not take it");
        Deployment d = awaitDeployment("persistent");
        assertEquals("Recreate", d.getSpec().getStrategy().getType());
        assertEquals("persistent-data", d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("s3d-data")).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
    }

    @Test
    @Order(9)
    void aClaimLeftBehindIsKeptAndAdoptedAgain() {
        String uid = client.persistentVolumeClaims().inNamespace(NS).withName("persistent-data").get().getMetadata().getUid();
        editSpec("persistent", spec -> spec.storage.type = S3dGatewaySpec.StorageType.Ephemeral);
        await().atMost(WAIT).until(() -> awaitDeployment("persistent").getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("s3d-data") && v.getEmptyDir() != null));
        assertEquals(uid, client.persistentVolumeClaims().inNamespace(NS).withName("persistent-data").get().getMetadata().getUid());

        editSpec("persistent", spec -> spec.storage.type = S3dGatewaySpec.StorageType.Persistent);
        await().atMost(WAIT).until(() -> awaitDeployment("persistent").getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getName().equals("s3d-data") && v.getPersistentVolumeClaim() != null));
        assertEquals(uid, client.persistentVolumeClaims().inNamespace(NS).withName("persistent-data").get().getMetadata().getUid(),
                "the same claim, with whatever it queued");
    }

    @Test
    @Order(10)
    void deleteClaimHandsTheClaimToTheGarbageCollectorAndDeletesItWhenStorageLeavesPersistent() {
        S3dGateway gw = editSpec("persistent", spec -> spec.storage.deleteClaim = true);
        PersistentVolumeClaim owned = await().atMost(WAIT).until(
                () -> client.persistentVolumeClaims().inNamespace(NS).withName("persistent-data").get(),
                pvc -> pvc.getMetadata().getOwnerReferences() != null && !pvc.getMetadata().getOwnerReferences().isEmpty());
        assertEquals("S3dGateway", owned.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(gw.getMetadata().getUid(), owned.getMetadata().getOwnerReferences().get(0).getUid());

        editSpec("persistent", spec -> spec.storage.type = S3dGatewaySpec.StorageType.Ephemeral);
        await().atMost(WAIT).until(() -> client.persistentVolumeClaims().inNamespace(NS).withName("persistent-data").get() == null);
    }

    @Test
    @Order(11)
    void fuseGetsAPrivilegedContainerAndABidirectionalHostPathMount() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.mode = S3dGatewaySpec.Mode.DaemonSet;
        spec.fuse = new S3dGatewaySpec.FuseSpec();
        client.resource(Fixtures.gateway(NS, "nodefs", spec)).create();

        DaemonSet ds = await().atMost(WAIT).until(() -> client.apps().daemonSets().inNamespace(NS).withName("nodefs").get(), Objects::nonNull);
        Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(true, c.getSecurityContext().getPrivileged());
        var mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals("s3d-fuse")).findFirst().orElseThrow();
        assertEquals("/mnt/s3d", mount.getMountPath());
        assertEquals("Bidirectional", mount.getMountPropagation());
        var vol = ds.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals("s3d-fuse")).findFirst().orElseThrow();
        assertEquals("/var/lib/s3d/mnt/gw-test/nodefs", vol.getHostPath().getPath());
        assertEquals("DirectoryOrCreate", vol.getHostPath().getType());
        ConfigMap cm = await().atMost(WAIT).until(() -> client.configMaps().inNamespace(NS).withName("nodefs-config").get(), Objects::nonNull);
        assertEquals("true", cm.getData().get("S3D_FUSE"));
        assertEquals("/mnt/s3d", cm.getData().get("S3D_FUSE_MOUNT_POINT"));
    }

    @Test
    @Order(12)
    void sidecarModeCreatesOnlyTheConfigMapAndIsReady() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.mode = S3dGatewaySpec.Mode.Sidecar;
        client.resource(Fixtures.gateway(NS, "sidecar", spec)).create();

        S3dGateway ready = awaitCondition("sidecar", "Ready", "True");
        assertEquals("SidecarTemplateReady", condition(ready, "Ready").getReason());
        assertEquals("http://localhost:33333", ready.getStatus().endpoint);
        assertNotNull(client.configMaps().inNamespace(NS).withName("sidecar-config").get());
        assertNull(client.apps().deployments().inNamespace(NS).withName("sidecar").get());
        assertNull(client.apps().daemonSets().inNamespace(NS).withName("sidecar").get());
        assertNull(client.services().inNamespace(NS).withName("sidecar").get());
    }

    @Test
    @Order(13)
    void anInvalidSpecIsReportedInStatusAndAnEventAndCreatesNothing() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.mode = S3dGatewaySpec.Mode.DaemonSet;
        spec.replicas = 3;
        spec.writeQueue = new S3dGatewaySpec.WriteQueueSpec(); // no remote
        client.resource(Fixtures.gateway(NS, "broken", spec)).create();

        S3dGateway gw = awaitCondition("broken", "Degraded", "True");
        Condition degraded = condition(gw, "Degraded");
        assertEquals("InvalidSpec", degraded.getReason());
        assertTrue(degraded.getMessage().contains("replicas applies only to mode Deployment"), degraded.getMessage());
        assertTrue(degraded.getMessage().contains("the write queue needs a remote"), degraded.getMessage());
        assertEquals("False", condition(gw, "Ready").getStatus());
        assertEquals(gw.getMetadata().getGeneration(), gw.getStatus().observedGeneration);
        assertNull(client.configMaps().inNamespace(NS).withName("broken-config").get());
        assertNull(client.apps().daemonSets().inNamespace(NS).withName("broken").get());
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "broken".equals(e.getInvolvedObject().getName())
                        && "Warning".equals(e.getType())));

        // fixing the spec clears the condition and creates the children
        S3dGateway fix = gateway("broken");
        fix.getSpec().replicas = 1;
        fix.getSpec().writeQueue = null;
        client.resource(fix).update();
        await().atMost(WAIT).until(() -> client.apps().daemonSets().inNamespace(NS).withName("broken").get() != null);
        S3dGateway fixed = awaitCondition("broken", "Degraded", "False");
        assertEquals(fixed.getMetadata().getGeneration(), fixed.getStatus().observedGeneration);
    }

    @Test
    @Order(14)
    void aTlsGatewayDegradesWithoutItsSecretAndARenewalDoesNotRollThePods() throws InterruptedException {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.tls = new S3dGatewaySpec.TlsSpec();
        spec.tls.secretName = "secure-tls";
        client.resource(Fixtures.gateway(NS, "secure", spec)).create();

        S3dGateway degraded = awaitCondition("secure", "Degraded", "True");
        assertEquals("SecretNotFound", condition(degraded, "Degraded").getReason());
        assertTrue(condition(degraded, "Degraded").getMessage().contains("secure-tls"), condition(degraded, "Degraded").getMessage());
        assertEquals("https://secure." + NS + ".svc:33333", degraded.getStatus().endpoint);
        Deployment d = awaitDeployment("secure");
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("HTTPS", c.getReadinessProbe().getHttpGet().getScheme());
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/etc/s3d/tls") && Boolean.TRUE.equals(m.getReadOnly())));
        assertTrue(d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .anyMatch(v -> v.getSecret() != null && "secure-tls".equals(v.getSecret().getSecretName())));
        assertEquals("https://0.0.0.0:33333", client.configMaps().inNamespace(NS).withName("secure-config").get().getData().get("S3D_ENDPOINT"));

        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("secure-tls").endMetadata()
                .withType("kubernetes.io/tls").addToStringData("tls.crt", "CERT-1").addToStringData("tls.key", "KEY-1").build()).create();
        awaitCondition("secure", "Degraded", "False");
        String version = awaitDeployment("secure").getMetadata().getResourceVersion();

        // cert-manager renews: new files in the same Secret; s3d reloads them, the pods must not roll
        client.secrets().inNamespace(NS).withName("secure-tls").edit(s -> new SecretBuilder(s).withData(null)
                .addToStringData("tls.crt", "CERT-2").addToStringData("tls.key", "KEY-2").build());
        Thread.sleep(5000); // two periodic reconciles (2 s in %test) read the renewed Secret
        Deployment after = awaitDeployment("secure");
        assertEquals(version, after.getMetadata().getResourceVersion(), "the Deployment was not rewritten");
        assertNull(after.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.SECRET_HASH));
    }

    @Test
    @Order(15)
    void aServiceMonitorIsSkippedWithoutItsCrdAndCreatedOnceItIsInstalled() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.monitoring = new S3dGatewaySpec.MonitoringSpec();
        spec.monitoring.serviceMonitor = new S3dGatewaySpec.ServiceMonitorSpec();
        spec.monitoring.serviceMonitor.enabled = true;
        spec.monitoring.serviceMonitor.interval = "15s";
        spec.monitoring.serviceMonitor.labels = Map.of("release", "prom");
        client.resource(Fixtures.gateway(NS, "watched", spec)).create();

        // no Prometheus Operator: the gateway still runs, the condition and a Warning event say why
        S3dGateway skipped = awaitCondition("watched", "ServiceMonitor", "False");
        assertEquals("CrdNotInstalled", condition(skipped, "ServiceMonitor").getReason());
        assertTrue(condition(skipped, "ServiceMonitor").getMessage().contains("servicemonitors.monitoring.coreos.com"));
        assertNotNull(awaitDeployment("watched"));
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "ServiceMonitorSkipped".equals(e.getReason()) && "watched".equals(e.getInvolvedObject().getName())
                        && "Warning".equals(e.getType())));

        // the Prometheus Operator is installed: the next periodic reconcile creates the ServiceMonitor
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("servicemonitors.monitoring.coreos.com").endMetadata()
                .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                .withNewNames().withKind("ServiceMonitor").withPlural("servicemonitors").withSingular("servicemonitor").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion()
                .endSpec().build()).create();
        var monitors = client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace(NS);
        GenericKubernetesResource sm = await().atMost(WAIT).until(() -> monitors.withName("watched").get(), Objects::nonNull);
        assertEquals("prom", sm.getMetadata().getLabels().get("release"));
        OwnerReference owner = sm.getMetadata().getOwnerReferences().get(0);
        assertEquals("watched", owner.getName());
        assertEquals(Boolean.TRUE, owner.getController());
        Map<String, Object> endpoint = sm.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
        assertEquals("s3", endpoint.get("port"));
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("http", endpoint.get("scheme"));
        assertEquals("15s", endpoint.get("interval"));
        Map<String, String> selected = sm.get("spec", "selector", "matchLabels");
        Service svc = client.services().inNamespace(NS).withName("watched").get();
        assertTrue(svc.getMetadata().getLabels().entrySet().containsAll(selected.entrySet()), "selects the gateway's Service");
        assertEquals("True", condition(awaitCondition("watched", "ServiceMonitor", "True"), "ServiceMonitor").getStatus());

        // a changed interval is applied; disabling removes the ServiceMonitor and the condition
        editSpec("watched", s -> s.monitoring.serviceMonitor.interval = "1m");
        await().atMost(WAIT).until(() -> "1m".equals(monitors.withName("watched").get()
                .<List<Map<String, Object>>>get("spec", "endpoints").get(0).get("interval")));
        editSpec("watched", s -> s.monitoring.serviceMonitor.enabled = false);
        await().atMost(WAIT).until(() -> monitors.withName("watched").get() == null);
        await().atMost(WAIT).until(() -> gateway("watched").getStatus().conditions.stream()
                .noneMatch(c -> "ServiceMonitor".equals(c.getType())));
    }

    @Test
    @Order(100)
    void everyRequestTheOperatorMadeIsAllowedByTheClusterRole() throws InterruptedException {
        RbacCoverage.assertCovered(server);
    }

    // --- helpers

    private S3dGateway gateway(String name) {
        return client.resources(S3dGateway.class).inNamespace(NS).withName(name).get();
    }

    /** A spec change as a patch: the operator's status patches cannot make it conflict. */
    private S3dGateway editSpec(String name, java.util.function.Consumer<S3dGatewaySpec> change) {
        return client.resources(S3dGateway.class).inNamespace(NS).withName(name).edit(gw -> {
            change.accept(gw.getSpec());
            return gw;
        });
    }

    private Deployment awaitDeployment(String name) {
        return await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName(name).get(), Objects::nonNull);
    }

    /** The mock runs no controllers: play the Deployment controller's part. */
    private void markReady(String name, int replicas) {
        Deployment d = awaitDeployment(name);
        d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).withObservedGeneration(d.getMetadata().getGeneration())
                .build());
        client.resource(d).updateStatus();
    }

    private S3dGateway awaitCondition(String name, String type, String status) {
        return await().atMost(WAIT).until(() -> gateway(name), gw -> gw != null && gw.getStatus() != null
                && gw.getStatus().conditions.stream().anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus())));
    }

    static Condition condition(S3dGateway gw, String type) {
        return gw.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
