package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.Fixtures;

class GatewayModelTest {

    @Test
    void defaultsAreFilledWithoutTouchingTheCustomResource() {
        S3dGateway gw = Fixtures.gateway("ns", "gw", new S3dGatewaySpec());
        gw.getSpec().mode = null;
        gw.getSpec().replicas = null;
        GatewayModel m = GatewayModel.from(gw);
        assertEquals(S3dGatewaySpec.Mode.Deployment, m.mode());
        assertEquals(1, m.replicas());
        assertEquals("http://gw.ns.svc:33333", m.endpoint());
        assertEquals(null, gw.getSpec().mode, "the cached CR must not be mutated");
        assertEquals(null, gw.getSpec().storage);
    }

    @Test
    void everyCelRuleIsCheckedByTheOperatorToo() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.mode = S3dGatewaySpec.Mode.Sidecar;
        s.replicas = 2;
        s.storage = new S3dGatewaySpec.StorageSpec();
        s.storage.type = S3dGatewaySpec.StorageType.Persistent;
        s.writeQueue = new S3dGatewaySpec.WriteQueueSpec();
        s.readCache = new S3dGatewaySpec.ReadCacheSpec();
        s.fuse = new S3dGatewaySpec.FuseSpec();
        s.fuse.mountPoint = "mnt";
        s.fuse.hostPath = "/var/lib/x";
        s.filters = new S3dGatewaySpec.FilterSpec();
        s.filters.inline = "queue: x";
        s.filters.configMapRef = new S3dGatewaySpec.ConfigMapKeyRef();
        s.filters.configMapRef.name = "p";
        s.podTemplate = new io.fabric8.kubernetes.api.model.PodTemplateSpec();
        List<String> errors = GatewayModel.from(Fixtures.gateway("ns", "gw", s)).errors();
        assertEquals(List.of(
                "replicas applies only to mode Deployment",
                "persistent storage needs mode Deployment with at most 1 replica (one s3d local store per volume)",
                "the write queue needs a remote",
                S3dGatewaySpec.QUEUE_NEEDS_DURABLE_STORAGE,
                "the read cache needs a remote",
                "fuse.mountPoint must be an absolute path",
                "fuse.hostPath is not used in mode Sidecar: the mount is shared with the app containers through the pod",
                S3dGatewaySpec.POD_TEMPLATE_NOT_FOR_SIDECAR,
                "filters.inline and filters.configMapRef are mutually exclusive"), errors);

        S3dGatewaySpec r = new S3dGatewaySpec();
        r.remote = new S3dGatewaySpec.RemoteSpec();
        r.remote.endpoint = "minio:9000";
        assertEquals(List.of("endpoint must be 'aws' or an http(s) URL"), GatewayModel.from(Fixtures.gateway("ns", "gw", r)).errors());
        r.remote.endpoint = "aws";
        assertTrue(GatewayModel.from(Fixtures.gateway("ns", "gw", r)).valid());
    }

    @Test
    void configHashFollowsTheRenderedConfigOnly() {
        S3dGateway a = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        S3dGateway b = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        assertEquals(GatewayModel.from(a).configHash(), GatewayModel.from(b).configHash());
        b.getSpec().replicas = 3; // not configuration: scaling must not roll the pods
        assertEquals(GatewayModel.from(a).configHash(), GatewayModel.from(b).configHash());
        b.getSpec().readCache.maxSize = "6G";
        assertNotEquals(GatewayModel.from(a).configHash(), GatewayModel.from(b).configHash());
    }

    @Test
    void anInlineFilterChangeIsReloadedByS3dNotRolled() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.filters = new S3dGatewaySpec.FilterSpec();
        s.filters.inline = "queue:\n  - logs/*\n";
        GatewayModel before = GatewayModel.from(Fixtures.gateway("ns", "gw", s));
        s.filters.inline = "queue:\n  - photos/*\n";
        GatewayModel after = GatewayModel.from(Fixtures.gateway("ns", "gw", s));
        assertNotEquals(before.configData(), after.configData()); // the ConfigMap carries the new rules
        assertEquals(before.configHash(), after.configHash()); // and s3d reloads them: no roll
        s.filters = null; // turning filters off changes what s3d reads at start: a roll
        assertNotEquals(before.configHash(), GatewayModel.from(Fixtures.gateway("ns", "gw", s)).configHash());
    }

    @Test
    void onlyASinglePodDeploymentRealisesSyncFolders() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        assertTrue(GatewayModel.from(Fixtures.gateway("ns", "gw", s)).acceptsSyncFolders());
        s.replicas = 2;
        assertEquals("gateway gw runs 2 replicas; a SyncFolder needs a gateway in mode Deployment with replicas 1 (one sync loop per folder)",
                GatewayModel.from(Fixtures.gateway("ns", "gw", s)).syncFolderRejection());
        var folder = Fixtures.syncFolder("ns", "docs", "gw", "claim");
        assertEquals(List.of(), GatewayModel.from(Fixtures.gateway("ns", "gw", s), List.of(folder)).syncFolders());
    }

    @Test
    void aWriteQueueGetsPersistentStorageUnlessTheSpecSaysOtherwise() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        GatewayModel m = GatewayModel.from(Fixtures.gateway("ns", "gw", s));
        assertEquals(S3dGatewaySpec.StorageType.Persistent, m.spec().storage.type);
        assertTrue(m.valid(), m.errors().toString());
        assertFalse(m.queuedWritesAtRisk());
        assertFalse(m.deleteClaim(), "claims are kept by default");

        s.storage = new S3dGatewaySpec.StorageSpec();
        s.storage.size = "5Gi"; // a storage block without a type still defaults to Persistent
        assertEquals(S3dGatewaySpec.StorageType.Persistent, GatewayModel.from(Fixtures.gateway("ns", "gw", s)).spec().storage.type);

        S3dGatewaySpec noQueue = new S3dGatewaySpec();
        assertEquals(S3dGatewaySpec.StorageType.Ephemeral, GatewayModel.from(Fixtures.gateway("ns", "gw", noQueue)).spec().storage.type);
    }

    @Test
    void aWriteQueueOnStorageThatDiesWithThePodNeedsTheLoudOptOut() {
        for (S3dGatewaySpec.Mode mode : S3dGatewaySpec.Mode.values()) {
            S3dGatewaySpec s = Fixtures.fullSpec();
            s.mode = mode;
            if (mode == S3dGatewaySpec.Mode.Deployment) {
                s.storage = new S3dGatewaySpec.StorageSpec();
                s.storage.type = S3dGatewaySpec.StorageType.Ephemeral;
            }
            assertEquals(List.of(S3dGatewaySpec.QUEUE_NEEDS_DURABLE_STORAGE), GatewayModel.from(Fixtures.gateway("ns", "gw", s)).errors(),
                    mode.name());
            s.writeQueue.unsafeEphemeralStorage = true;
            GatewayModel m = GatewayModel.from(Fixtures.gateway("ns", "gw", s));
            assertTrue(m.valid(), mode + ": " + m.errors());
            assertTrue(m.queuedWritesAtRisk(), mode.name());
        }
        S3dGatewaySpec replicas = Fixtures.fullSpec();
        replicas.replicas = 3; // several pods cannot share one claim
        assertEquals(List.of(S3dGatewaySpec.QUEUE_NEEDS_DURABLE_STORAGE), GatewayModel.from(Fixtures.gateway("ns", "gw", replicas)).errors());
    }

    @Test
    void theImageComesFromTheOperatorUnlessTheSpecPinsIt() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        assertEquals(null, s.image, "no default in the type: the CRD must not write one into stored gateways");
        assertEquals("registry.example/s3d:0.2.0",
                GatewayModel.from(Fixtures.gateway("ns", "gw", s), List.of(), "registry.example/s3d:0.2.0").image());
        s.image = "registry.example/s3d:0.1.5";
        assertEquals("registry.example/s3d:0.1.5",
                GatewayModel.from(Fixtures.gateway("ns", "gw", s), List.of(), "registry.example/s3d:0.2.0").image());
        assertEquals("registry.example/s3d:0.2.0", DefaultImage.resolve(Map.of(DefaultImage.ENV, "registry.example/s3d:0.2.0")));
        assertEquals(DefaultImage.BUILT_IN, DefaultImage.resolve(Map.of()));
    }
}
