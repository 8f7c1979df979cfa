package io.s3d.operator.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.common.Labels;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.GatewayResources;

/**
 * The gateway's PersistentVolumeClaim, built by {@link GatewayResources#dataClaim}. It holds queued
 * writes the remote may not have yet, so it is kept like Strimzi keeps its claims: it carries an
 * owner reference (garbage-collected with the gateway) and is deleted when storage.type leaves
 * Persistent only with storage.deleteClaim: true. A kept claim is found again by its instance label,
 * so a gateway of the same name (or storage.type back to Persistent) adopts it with its queue.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PvcDependentResource extends GatewayChildDependentResource<PersistentVolumeClaim>
        implements SecondaryToPrimaryMapper<PersistentVolumeClaim> {
    private static final Logger LOG = Logger.getLogger(PvcDependentResource.class);

    public PvcDependentResource() {
        super(PersistentVolumeClaim.class);
    }

    @Override
    protected PersistentVolumeClaim desired(S3dGateway primary, Context<S3dGateway> context) {
        return GatewayResources.dataClaim(GatewayContext.model(context));
    }

    /** By label, not owner reference: a kept claim has none. */
    @Override
    public Set<ResourceID> toPrimaryResourceIDs(PersistentVolumeClaim claim) {
        String gateway = claim.getMetadata().getLabels() == null ? null : claim.getMetadata().getLabels().get(Labels.INSTANCE);
        return gateway == null ? Set.of() : Set.of(new ResourceID(gateway, claim.getMetadata().getNamespace()));
    }

    @Override
    protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, S3dGateway primary) {
        if (GatewayModel.from(primary).deleteClaim()) {
            super.addReferenceHandlingMetadata(desired, primary);
        } else {
            desired.getMetadata().setOwnerReferences(List.of());
        }
    }

    /**
     * A claim's spec is immutable but for its size: compare only what can change (the owner
     * reference that storage.deleteClaim sets, the labels, the requested size).
     */
    @Override
    public Matcher.Result<PersistentVolumeClaim> match(PersistentVolumeClaim actual, S3dGateway primary,
            Context<S3dGateway> context) {
        PersistentVolumeClaim desired = getOrComputeDesired(context);
        boolean same = owned(actual) == GatewayContext.model(context).deleteClaim()
                && actual.getMetadata().getLabels() != null
                && actual.getMetadata().getLabels().entrySet().containsAll(desired.getMetadata().getLabels().entrySet())
                && Objects.equals(size(actual), size(desired));
        return Matcher.Result.computed(same, desired);
    }

    /** Patches the owner reference, labels and size; never the immutable rest of the spec. */
    @Override
    public PersistentVolumeClaim update(PersistentVolumeClaim actual, PersistentVolumeClaim desired, S3dGateway primary,
            Context<S3dGateway> context) {
        addReferenceHandlingMetadata(desired, primary);
        return context.getClient().resource(actual).edit(pvc -> {
            pvc.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
            pvc.getMetadata().getLabels().putAll(desired.getMetadata().getLabels());
            pvc.getSpec().getResources().getRequests().put("storage", size(desired));
            return pvc;
        });
    }

    @Override
    protected void handleDelete(S3dGateway primary, PersistentVolumeClaim claim, Context<S3dGateway> context) {
        if (GatewayContext.model(context).deleteClaim()) {
            super.handleDelete(primary, claim, context);
        } else if (claim != null && owned(claim)) {
            // storage.type left Persistent: keep the claim, but no longer let the garbage collector take it
            context.getClient().resource(claim).edit(pvc -> {
                pvc.getMetadata().setOwnerReferences(List.of());
                return pvc;
            });
        } else if (claim != null) {
            LOG.debugf("keeping claim %s/%s (storage.deleteClaim is false)", claim.getMetadata().getNamespace(),
                    claim.getMetadata().getName());
        }
    }

    private static boolean owned(PersistentVolumeClaim claim) {
        return claim.getMetadata().getOwnerReferences() != null && claim.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> "S3dGateway".equals(r.getKind()));
    }

    private static Quantity size(PersistentVolumeClaim claim) {
        var requests = claim.getSpec().getResources() == null ? null : claim.getSpec().getResources().getRequests();
        return requests == null ? null : requests.get("storage");
    }
}
