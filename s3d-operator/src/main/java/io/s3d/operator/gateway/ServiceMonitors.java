package io.s3d.operator.gateway;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.common.ResourceNames;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.GatewayResources;

/**
 * Applies spec.monitoring.serviceMonitor. Not a JOSDK dependent: its informer would fail to start on
 * clusters without the Prometheus Operator's CRD, so the CRD is looked up first and the ServiceMonitor
 * is skipped (and reported) when it is absent.
 */
final class ServiceMonitors {
    static final String CRD = "servicemonitors.monitoring.coreos.com";

    /** What happened, for the ServiceMonitor condition; null when none was asked for. */
    record Outcome(boolean created, String reason, String message) {
    }

    private ServiceMonitors() {
    }

    static Outcome apply(KubernetesClient client, S3dGateway gateway, GatewayModel model, boolean hadOne) {
        GenericKubernetesResource desired = GatewayResources.serviceMonitor(model);
        if (desired == null) {
            if (hadOne && crdInstalled(client)) {
                resources(client, model).withName(ResourceNames.service(model.name())).delete();
            }
            return null;
        }
        if (!crdInstalled(client)) {
            return new Outcome(false, "CrdNotInstalled", "spec.monitoring.serviceMonitor is enabled but the CRD " + CRD
                    + " is not installed (install the Prometheus Operator); no ServiceMonitor was created");
        }
        desired.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder()
                .withApiVersion(gateway.getApiVersion()).withKind(gateway.getKind())
                .withName(gateway.getMetadata().getName()).withUid(gateway.getMetadata().getUid())
                .withController(true).build()));
        var existing = resources(client, model).withName(desired.getMetadata().getName()).get();
        if (existing == null) {
            resources(client, model).resource(desired).create();
        } else if (!Objects.equals(existing.getAdditionalProperties().get("spec"), desired.getAdditionalProperties().get("spec"))
                || !Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
                || !Objects.equals(existing.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences())) {
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            resources(client, model).resource(desired).update();
        }
        return new Outcome(true, "Created", "ServiceMonitor " + desired.getMetadata().getName() + " scrapes /q/metrics");
    }

    private static boolean crdInstalled(KubernetesClient client) {
        return client.apiextensions().v1().customResourceDefinitions().withName(CRD).get() != null;
    }

    private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> resources(KubernetesClient client, GatewayModel model) {
        return client.genericKubernetesResources(GatewayResources.SERVICE_MONITOR_API_VERSION, GatewayResources.SERVICE_MONITOR_KIND)
                .inNamespace(model.namespace());
    }
}
