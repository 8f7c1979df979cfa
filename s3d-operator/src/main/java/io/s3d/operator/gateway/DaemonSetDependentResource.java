package io.s3d.operator.gateway;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.common.Labels;
import io.s3d.operator.model.GatewayResources;

/** The gateway's DaemonSet; built by {@link GatewayResources#daemonSet}, controller owner reference added by GatewayChildDependentResource. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DaemonSetDependentResource extends GatewayChildDependentResource<DaemonSet> {

    public DaemonSetDependentResource() {
        super(DaemonSet.class);
    }

    @Override
    protected DaemonSet desired(S3dGateway primary, Context<S3dGateway> context) {
        return GatewayResources.daemonSet(GatewayContext.model(context));
    }
}
