package io.s3d.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How s3d runs in the cluster: a shared Deployment with a Service, one pod per node (DaemonSet), or
 * only a template that the sidecar injector copies into annotated pods.
 */
@Group("s3d.io")
@Version("v1alpha1")
@ShortNames("s3dgw")
@Categories("s3d")
@AdditionalPrinterColumn(name = "Mode", jsonPath = ".spec.mode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@JsonClassDescription("An s3d gateway in the cluster: s3d pods (Deployment or DaemonSet) behind a Service, or a template the sidecar injector copies into annotated pods. See docs/operator.md.")
public class S3dGateway extends CustomResource<S3dGatewaySpec, S3dGatewayStatus> implements Namespaced {

    @Override
    protected S3dGatewaySpec initSpec() {
        return new S3dGatewaySpec();
    }

    @Override
    protected S3dGatewayStatus initStatus() {
        return new S3dGatewayStatus();
    }
}
