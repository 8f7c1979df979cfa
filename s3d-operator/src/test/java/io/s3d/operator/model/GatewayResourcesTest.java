package io.s3d.operator.model;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.Golden;

/**
 * Desired children per case, against golden files: GatewayResourcesTest/&lt;case&gt;/in-S3dGateway.yaml
 * and out-&lt;Kind&gt;-&lt;name&gt;.yaml. No API server: the model is pure.
 */
class GatewayResourcesTest {

    @ParameterizedTest
    @ValueSource(strings = {"deployment-full", "daemonset-fuse", "persistent", "deployment-tls"})
    void childrenMatchTheGoldenFiles(String name) {
        S3dGateway gw = Fixtures.load("GatewayResourcesTest/" + name + "/in-S3dGateway.yaml", S3dGateway.class);
        GatewayModel m = GatewayModel.from(gw);
        List<HasMetadata> children = switch (m.mode()) {
            case Deployment -> m.persistent()
                    ? List.of(GatewayResources.configMap(m), GatewayResources.dataClaim(m), GatewayResources.deployment(m), GatewayResources.service(m))
                    : List.of(GatewayResources.configMap(m), GatewayResources.deployment(m), GatewayResources.service(m));
            case DaemonSet -> List.of(GatewayResources.configMap(m), GatewayResources.daemonSet(m), GatewayResources.service(m));
            case Sidecar -> List.of(GatewayResources.configMap(m));
        };
        if (GatewayResources.serviceMonitor(m) != null) {
            children = new java.util.ArrayList<>(children);
            children.add(GatewayResources.serviceMonitor(m));
        }
        for (HasMetadata child : children) {
            Golden.assertYaml("GatewayResourcesTest/" + name + "/out-" + child.getKind() + "-" + child.getMetadata().getName() + ".yaml", child);
        }
    }
}
