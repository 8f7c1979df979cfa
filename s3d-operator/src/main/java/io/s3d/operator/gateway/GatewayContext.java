package io.s3d.operator.gateway;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.model.GatewayModel;

/** Typed access to the model built once per reconcile by {@link S3dGatewayReconciler#initContext}. */
final class GatewayContext {
    private static final String KEY = "s3d.gateway-model";

    private GatewayContext() {
    }

    static void put(Context<S3dGateway> context, GatewayModel model) {
        context.managedWorkflowAndDependentResourceContext().put(KEY, model);
    }

    static GatewayModel model(Context<S3dGateway> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, GatewayModel.class);
    }
}
