package io.s3d.operator.gateway;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.Mode;

/**
 * Reconcile preconditions of the optional children. When one stops holding (mode or storage
 * changed) JOSDK deletes that child, so switching Deployment to DaemonSet leaves no stale workload.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** The Deployment exists only in mode Deployment. */
    public static class DeploymentMode implements Condition<Deployment, S3dGateway> {
        @Override
        public boolean isMet(DependentResource<Deployment, S3dGateway> d, S3dGateway p, Context<S3dGateway> c) {
            return GatewayContext.model(c).mode() == Mode.Deployment;
        }
    }

    /** The DaemonSet exists only in mode DaemonSet. */
    public static class DaemonSetMode implements Condition<DaemonSet, S3dGateway> {
        @Override
        public boolean isMet(DependentResource<DaemonSet, S3dGateway> d, S3dGateway p, Context<S3dGateway> c) {
            return GatewayContext.model(c).mode() == Mode.DaemonSet;
        }
    }

    /** Sidecars answer on localhost; the other modes get a Service. */
    public static class HasService implements Condition<Service, S3dGateway> {
        @Override
        public boolean isMet(DependentResource<Service, S3dGateway> d, S3dGateway p, Context<S3dGateway> c) {
            return GatewayContext.model(c).hasService();
        }
    }

    /** The PVC exists only when persistent storage is asked for. */
    public static class PersistentStorage implements Condition<PersistentVolumeClaim, S3dGateway> {
        @Override
        public boolean isMet(DependentResource<PersistentVolumeClaim, S3dGateway> d, S3dGateway p, Context<S3dGateway> c) {
            return GatewayContext.model(c).persistent();
        }
    }
}
