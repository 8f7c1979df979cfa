package io.s3d.operator.gateway;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.s3d.operator.api.v1alpha1.S3dGateway;

/**
 * Base of every gateway child: a controller owner reference, so the garbage collector removes the
 * child with its gateway and `kubectl` tools see who manages it. blockOwnerDeletion is left unset:
 * setting it would need update on s3dgateways/finalizers.
 */
abstract class GatewayChildDependentResource<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, S3dGateway> {

    GatewayChildDependentResource(Class<R> type) {
        super(type);
    }

    @Override
    protected void addReferenceHandlingMetadata(R desired, S3dGateway primary) {
        desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withApiVersion(primary.getApiVersion())
                .withKind(primary.getKind())
                .withName(primary.getMetadata().getName())
                .withUid(primary.getMetadata().getUid())
                .withController(true)
                .build()));
    }
}
