package io.s3d.operator.gateway;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.common.Labels;
import io.s3d.operator.model.GatewayResources;

/** The gateway's ConfigMap; built by {@link GatewayResources#configMap}, controller owner reference added by GatewayChildDependentResource. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ConfigMapDependentResource extends GatewayChildDependentResource<ConfigMap> {

    public ConfigMapDependentResource() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(S3dGateway primary, Context<S3dGateway> context) {
        return GatewayResources.configMap(GatewayContext.model(context));
    }

    /**
     * Exact equality of data: the generic (non-SSA) matcher ignores keys that exist only in the
     * cluster, so a removed setting (a deleted SyncFolder, a cleared filter) would linger. The API
     * server adds no defaults to ConfigMap data, so exact comparison cannot loop.
     */
    @Override
    public Matcher.Result<ConfigMap> match(ConfigMap actual, S3dGateway primary, Context<S3dGateway> context) {
        ConfigMap desired = getOrComputeDesired(context);
        boolean same = Objects.equals(actual.getData(), desired.getData())
                && actual.getMetadata().getLabels() != null
                && actual.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
        return Matcher.Result.computed(same, desired);
    }
}
