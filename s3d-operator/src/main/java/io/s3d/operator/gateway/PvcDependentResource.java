package io.s3d.operator.gateway;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.common.Labels;
import io.s3d.operator.model.GatewayResources;

/** The gateway's PersistentVolumeClaim; built by {@link GatewayResources#dataClaim}, controller owner reference added by GatewayChildDependentResource. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PvcDependentResource extends GatewayChildDependentResource<PersistentVolumeClaim> {

    public PvcDependentResource() {
        super(PersistentVolumeClaim.class);
    }

    @Override
    protected PersistentVolumeClaim desired(S3dGateway primary, Context<S3dGateway> context) {
        return GatewayResources.dataClaim(GatewayContext.model(context));
    }
}
