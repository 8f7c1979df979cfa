package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.Mode;
import io.s3d.operator.support.Fixtures;

/** How the FUSE mount reaches its consumers without stalls, crash loops or a missing /dev/fuse. */
class FuseDeliveryTest {

    static S3dGatewaySpec fuse(Mode mode) {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.mode = mode;
        s.fuse = new S3dGatewaySpec.FuseSpec();
        return s;
    }

    static GatewayModel model(S3dGatewaySpec s) {
        return GatewayModel.from(Fixtures.gateway("ns", "gw", s));
    }

    @Test
    void aFuseDeploymentIsRecreatedAndKeepsOneReplicaPerNode() {
        S3dGatewaySpec s = fuse(Mode.Deployment);
        s.replicas = 3;
        GatewayModel m = model(s);
        assertTrue(m.valid(), m.errors().toString());
        var d = GatewayResources.deployment(m);
        // a rolling update would start the new pod beside the old pod's live mount on the same host path
        assertEquals("Recreate", d.getSpec().getStrategy().getType());
        var term = d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
        assertEquals("kubernetes.io/hostname", term.getTopologyKey());
        assertEquals("gw", term.getLabelSelector().getMatchLabels().get("app.kubernetes.io/instance"));

        assertEquals("RollingUpdate", GatewayResources.deployment(model(new S3dGatewaySpec())).getSpec().getStrategy().getType());
        assertNull(GatewayResources.deployment(model(new S3dGatewaySpec())).getSpec().getTemplate().getSpec().getAffinity());
    }

    @Test
    void theDaemonSetCanWaitForPodDeletionBeforeUpdating() {
        S3dGatewaySpec s = fuse(Mode.DaemonSet);
        assertEquals("RollingUpdate", GatewayResources.daemonSet(model(s)).getSpec().getUpdateStrategy().getType());
        s.updateStrategy = S3dGatewaySpec.UpdateStrategy.OnDelete;
        assertEquals("OnDelete", GatewayResources.daemonSet(model(s)).getSpec().getUpdateStrategy().getType());
        S3dGatewaySpec d = fuse(Mode.Deployment);
        d.updateStrategy = S3dGatewaySpec.UpdateStrategy.OnDelete;
        assertEquals(List.of("updateStrategy applies only to mode DaemonSet"), model(d).errors());
    }

    @Test
    void anUnprivilegedSidecarGetsDevFuseFromADevicePluginOrIsRejected() {
        S3dGatewaySpec s = fuse(Mode.Sidecar);
        s.fuse.shareWithApps = false;
        assertEquals(List.of(S3dGatewaySpec.UNPRIVILEGED_FUSE_NEEDS_DEVICE), model(s).errors());

        s.fuse.deviceResource = "smarter-devices/fuse";
        GatewayModel m = model(s);
        assertTrue(m.valid(), m.errors().toString());
        Container c = GatewayResources.s3dContainer(m, true);
        assertEquals("1", c.getResources().getLimits().get("smarter-devices/fuse").toString());
        assertEquals(List.of("SYS_ADMIN"), c.getSecurityContext().getCapabilities().getAdd());
        assertNull(c.getSecurityContext().getPrivileged());
        assertNull(m.configData().get("S3D_FUSE_ALLOW_OTHER"), "nobody but s3d reads an unshared mount");
    }

    @Test
    void allowOtherIsOnWhereOtherContainersReadTheMount() {
        assertEquals("true", model(fuse(Mode.DaemonSet)).configData().get("S3D_FUSE_ALLOW_OTHER"));
        assertEquals("true", model(fuse(Mode.Deployment)).configData().get("S3D_FUSE_ALLOW_OTHER"));
        assertEquals("true", model(fuse(Mode.Sidecar)).configData().get("S3D_FUSE_ALLOW_OTHER"));
        assertNull(model(new S3dGatewaySpec()).configData().get("S3D_FUSE_ALLOW_OTHER"));
    }
}
