package io.s3d.operator.syncfolder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Objects;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.common.Annotations;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.GatewayHealthServer;
import io.s3d.operator.support.RbacCoverage;

/** A SyncFolder is realised in its gateway's pod: claim mounted, sync config rendered, status reported. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
@WithTestResource(GatewayHealthServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncFolderReconcilerTest {
    static final String NS = "sync-test";
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    KubernetesClient operatorClient;

    @KubernetesTestServer
    KubernetesServer server;

    KubernetesClient client;

    @BeforeEach
    void testClient() {
        client = RbacCoverage.testClient(operatorClient);
    }

    @Test
    @Order(1)
    void theGatewayPodMountsTheClaimAndRunsTheSync() {
        client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName("team-files").withNamespace(NS).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("5Gi"))
                .endResources().endSpec().build()).create();
        S3dGatewaySpec spec = Fixtures.fullSpec();
        client.resource(Fixtures.gateway(NS, "files", spec)).create();
        Deployment before = awaitDeployment();
        String hashBefore = before.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.CONFIG_HASH);

        client.resource(Fixtures.syncFolder(NS, "docs", "files", "team-files")).create();

        ConfigMap cm = await().atMost(WAIT).until(() -> client.configMaps().inNamespace(NS).withName("files-config").get(),
                c -> c != null && c.getData().containsKey("sync-folders.properties"));
        String props = cm.getData().get("sync-folders.properties");
        assertTrue(props.contains("s3d.sync.folders.\"docs\".local-dir=/var/lib/s3d-sync/docs/docs\n"), props);
        assertTrue(props.contains("s3d.sync.folders.\"docs\".bucket=team-docs\n"), props);
        assertTrue(props.contains("s3d.sync.folders.\"docs\".prefix=shared/\n"), props);
        assertTrue(props.contains("s3d.sync.folders.\"docs\".direction=both\n"), props);
        assertTrue(props.contains("s3d.sync.folders.\"docs\".conflict-policy=keep-both\n"), props);
        assertTrue(props.contains("s3d.sync.folders.\"docs\".interval=60s\n"), props);
        assertTrue(props.contains("s3d.sync.folders.\"docs\".exclude=*.swp\n"), props);
        assertEquals("/etc/s3d/config/sync-folders.properties", cm.getData().get("QUARKUS_CONFIG_LOCATIONS"));

        Deployment d = await().atMost(WAIT).until(this::awaitDeployment, dep -> dep.getSpec().getTemplate().getSpec().getVolumes()
                .stream().anyMatch(v -> v.getName().equals("s3d-sync-docs")));
        assertEquals("team-files", d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("s3d-sync-docs")).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("s3d-sync-docs")
                && m.getMountPath().equals("/var/lib/s3d-sync/docs")));
        assertTrue(c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("s3d-config")
                && m.getMountPath().equals("/etc/s3d/config")));
        assertTrue(!hashBefore.equals(d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.CONFIG_HASH)),
                "adding a folder rolls the gateway");

        SyncFolder waiting = awaitCondition("docs", "Progressing", "True");
        assertEquals("/var/lib/s3d-sync/docs", waiting.getStatus().mountPath);

        // as the Deployment controller would: counts of the generation it observed
        d.setStatus(new DeploymentStatusBuilder().withReplicas(1).withReadyReplicas(1).withUpdatedReplicas(1)
                .withObservedGeneration(d.getMetadata().getGeneration()).build());
        client.resource(d).updateStatus();
        SyncFolder ready = awaitCondition("docs", "Ready", "True");
        assertEquals("Realised", condition(ready, "Ready").getReason());
        assertEquals(java.util.List.of("docs"), client.resources(S3dGateway.class).inNamespace(NS).withName("files").get().getStatus().syncFolders);
    }

    @Test
    @Order(2)
    void theProgressTheGatewayReportsLandsInTheStatus() {
        GatewayHealthServer.answer(200, health("UP", "\"lastSyncTime\":\"2026-11-27T10:00:00Z\",\"uploaded\":3,"
                + "\"downloaded\":2,\"deletedLocal\":0,\"deletedRemote\":1,\"conflicts\":1,\"skipped\":0,\"errors\":0"));
        SyncFolder reported = await().atMost(WAIT).until(() -> client.resources(SyncFolder.class).inNamespace(NS).withName("docs").get(),
                f -> f.getStatus() != null && Long.valueOf(3).equals(f.getStatus().uploaded));
        assertEquals("2026-11-27T10:00:00Z", reported.getStatus().lastSyncTime);
        assertEquals(2L, reported.getStatus().downloaded);
        assertEquals(1L, reported.getStatus().conflicts);
        assertEquals("True", condition(reported, "Ready").getStatus());

        // s3d answers 503 when a check is DOWN; its body still says which and why
        GatewayHealthServer.answer(503, health("DOWN", "\"lastSyncTime\":\"2026-11-27T10:00:00Z\",\"uploaded\":3,"
                + "\"downloaded\":2,\"conflicts\":1,\"errors\":1,\"lastError\":\"AccessDenied: Access Denied\""));
        SyncFolder failing = awaitCondition("docs", "Degraded", "True");
        assertEquals("SyncFailing", condition(failing, "Degraded").getReason());
        assertEquals("the last sync pass failed: AccessDenied: Access Denied", condition(failing, "Degraded").getMessage());
        assertEquals("False", condition(failing, "Ready").getStatus());
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "SyncFailing".equals(e.getReason()) && "docs".equals(e.getInvolvedObject().getName())));

        // the pass after succeeds
        GatewayHealthServer.answer(200, health("UP", "\"lastSyncTime\":\"2026-11-27T10:01:00Z\",\"uploaded\":4,"
                + "\"downloaded\":2,\"conflicts\":1,\"errors\":1"));
        SyncFolder recovered = awaitCondition("docs", "Ready", "True");
        assertEquals(4L, recovered.getStatus().uploaded);
        assertEquals("2026-11-27T10:01:00Z", recovered.getStatus().lastSyncTime);
        // the gateway's status unreadable (probes every second here): the last counts stay, still Ready
        GatewayHealthServer.answer(404, "");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(
                () -> client.resources(SyncFolder.class).inNamespace(NS).withName("docs").get(),
                f -> Long.valueOf(4).equals(f.getStatus().uploaded) && "True".equals(condition(f, "Ready").getStatus()));
    }

    /** A MicroProfile Health answer of the sync group as s3d writes it, one folder "docs". */
    private static String health(String status, String data) {
        return "{\"status\":\"" + status + "\",\"checks\":[{\"name\":\"sync-folder docs\",\"status\":\"" + status
                + "\",\"data\":{" + data + "}}]}";
    }

    @Test
    @Order(3)
    void aMissingGatewayIsReported() {
        client.resource(Fixtures.syncFolder(NS, "orphan", "nope", "team-files")).create();
        SyncFolder f = awaitCondition("orphan", "Degraded", "True");
        assertEquals("GatewayNotFound", condition(f, "Degraded").getReason());
        assertEquals("S3dGateway sync-test/nope does not exist", condition(f, "Degraded").getMessage());
        assertEquals("False", condition(f, "Ready").getStatus());
    }

    @Test
    @Order(4)
    void aDaemonSetGatewayDoesNotRunSyncLoops() {
        S3dGatewaySpec spec = new S3dGatewaySpec();
        spec.mode = S3dGatewaySpec.Mode.DaemonSet;
        client.resource(Fixtures.gateway(NS, "pernode", spec)).create();
        client.resource(Fixtures.syncFolder(NS, "everywhere", "pernode", "team-files")).create();
        SyncFolder f = awaitCondition("everywhere", "Degraded", "True");
        assertEquals("UnsupportedGateway", condition(f, "Degraded").getReason());
        var ds = await().atMost(WAIT).until(() -> client.apps().daemonSets().inNamespace(NS).withName("pernode").get(), Objects::nonNull);
        assertTrue(ds.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().startsWith("s3d-sync-")));
    }

    @Test
    @Order(5)
    void aMissingClaimAndAnInvalidSpecAreReported() {
        client.resource(Fixtures.syncFolder(NS, "noclaim", "files", "does-not-exist")).create();
        assertEquals("ClaimNotFound", condition(awaitCondition("noclaim", "Degraded", "True"), "Degraded").getReason());

        SyncFolder bad = Fixtures.syncFolder(NS, "bad", "files", "team-files");
        bad.getSpec().bucket = "Not_A_Bucket";
        bad.getSpec().volume.path = "../etc";
        client.resource(bad).create();
        Condition c = condition(awaitCondition("bad", "Degraded", "True"), "Degraded");
        assertEquals("InvalidSpec", c.getReason());
        assertTrue(c.getMessage().contains("bucket must be a valid S3 bucket name"), c.getMessage());
        assertTrue(c.getMessage().contains("volume.path must be absolute"), c.getMessage());
        // an invalid folder is never mounted into the gateway
        assertTrue(awaitDeployment().getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("s3d-sync-bad")));
        // nor one whose claim does not exist: the gateway pod would stay Pending
        assertTrue(awaitDeployment().getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("s3d-sync-noclaim")));
    }

    @Test
    @Order(6)
    void deletingTheFolderUnmountsIt() {
        client.resources(SyncFolder.class).inNamespace(NS).withName("docs").delete();
        await().atMost(WAIT).until(() -> awaitDeployment().getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getName().equals("s3d-sync-docs")));
        await().atMost(WAIT).until(() -> !client.configMaps().inNamespace(NS).withName("files-config").get().getData()
                .containsKey("sync-folders.properties"));
    }

    @Test
    @Order(100)
    void everyRequestTheOperatorMadeIsAllowedByTheClusterRole() throws InterruptedException {
        RbacCoverage.assertCovered(server);
    }

    private Deployment awaitDeployment() {
        return await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(NS).withName("files").get(), Objects::nonNull);
    }

    private SyncFolder awaitCondition(String name, String type, String status) {
        return await().atMost(WAIT).until(() -> client.resources(SyncFolder.class).inNamespace(NS).withName(name).get(),
                f -> f != null && f.getStatus() != null && f.getStatus().conditions.stream()
                        .anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus())));
    }

    static Condition condition(SyncFolder f, String type) {
        return f.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
