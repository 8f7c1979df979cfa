package io.s3d.operator.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ContextInitializer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.S3dGatewayStatus;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.common.EventRecorder;
import io.s3d.operator.common.StatusFactory;
import io.s3d.operator.model.DefaultImage;
import io.s3d.operator.model.FilterRules;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.SecretInputs;

/**
 * S3dGateway → ConfigMap, PVC (persistent storage only), Deployment or DaemonSet (by mode) and
 * Service (not for Sidecar). The workflow is invoked explicitly: an invalid spec is reported in
 * status and leaves the running children untouched instead of half-applying.
 */
@ControllerConfiguration(name = S3dGatewayReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "config", type = ConfigMapDependentResource.class),
        @Dependent(name = "data", type = PvcDependentResource.class,
                reconcilePrecondition = Preconditions.PersistentStorage.class),
        @Dependent(name = "deployment", type = DeploymentDependentResource.class, dependsOn = "config",
                reconcilePrecondition = Preconditions.DeploymentMode.class),
        @Dependent(name = "daemonset", type = DaemonSetDependentResource.class, dependsOn = "config",
                reconcilePrecondition = Preconditions.DaemonSetMode.class),
        @Dependent(name = "service", type = ServiceDependentResource.class,
                reconcilePrecondition = Preconditions.HasService.class)
})
public class S3dGatewayReconciler implements Reconciler<S3dGateway>, ContextInitializer<S3dGateway> {
    public static final String NAME = "s3dgateway";

    private final S3dGatewayStatusFactory statusFactory;
    private final EventRecorder events;

    @Inject
    public S3dGatewayReconciler(Clock clock, EventRecorder events) {
        this.statusFactory = new S3dGatewayStatusFactory(clock);
        this.events = events;
    }

    @Override
    public void initContext(S3dGateway gateway, Context<S3dGateway> context) {
        String ns = gateway.getMetadata().getNamespace();
        List<SyncFolder> folders = context.getSecondaryResources(SyncFolder.class).stream()
                .filter(f -> Objects.equals(f.getMetadata().getNamespace(), ns))
                // a missing claim would keep the whole gateway pod Pending: mount only existing claims
                // (the SyncFolder reports ClaimNotFound; the periodic reconcile picks the claim up later)
                .filter(f -> f.getSpec() == null || f.getSpec().volume == null || f.getSpec().volume.claimName == null
                        || context.getClient().persistentVolumeClaims().inNamespace(ns).withName(f.getSpec().volume.claimName).get() != null)
                .toList();
        SecretInputs secrets = gateway.getSpec() == null || gateway.getSpec().mode == S3dGatewaySpec.Mode.Sidecar
                ? SecretInputs.NONE // sidecars live in pods the operator does not roll
                : SecretInputs.of(gateway.getSpec(), name -> Optional.ofNullable(
                        context.getClient().secrets().inNamespace(ns).withName(name).get()).map(S3dGatewayReconciler::decoded));
        // filters.configMapRef: read (not watched, as Secrets), so a changed policy is checked at the latest with the periodic reconcile
        GatewayContext.put(context, GatewayModel.from(gateway, folders, DefaultImage.current(), secrets,
                name -> Optional.ofNullable(context.getClient().configMaps().inNamespace(ns).withName(name).get())
                        .map(cm -> cm.getData() == null ? Map.<String, String>of() : cm.getData())));
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, v == null ? null
                    : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }

    /** SyncFolders name their gateway in spec.gateway; a change to one reconciles that gateway. */
    @Override
    public List<EventSource<?, S3dGateway>> prepareEventSources(EventSourceContext<S3dGateway> context) {
        var config = InformerEventSourceConfiguration.from(SyncFolder.class, S3dGateway.class)
                .withName("syncfolders")
                .withSecondaryToPrimaryMapper(folder -> folder.getSpec() == null || folder.getSpec().gateway == null
                        ? Set.of()
                        : Set.of(new ResourceID(folder.getSpec().gateway, folder.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(config, context));
    }

    @Override
    public UpdateControl<S3dGateway> reconcile(S3dGateway gateway, Context<S3dGateway> context) {
        GatewayModel model = GatewayContext.model(context);
        S3dGatewayStatus status;
        if (!model.valid()) {
            status = statusFactory.invalid(gateway, model);
            if (!sameCondition(gateway.getStatus(), status, StatusFactory.DEGRADED)) {
                events.warning(gateway, model.invalidReason(), status.conditions.get(0).getMessage());
            }
        } else {
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                    .throwAggregateExceptionIfErrorsPresent();
            Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
            DaemonSet daemonSet = context.getSecondaryResource(DaemonSet.class).orElse(null);
            status = statusFactory.reconciled(gateway, model, deployment, daemonSet);
            boolean hadServiceMonitor = gateway.getStatus() != null && gateway.getStatus().conditions != null
                    && gateway.getStatus().conditions.stream().anyMatch(c -> S3dGatewayStatusFactory.SERVICE_MONITOR.equals(c.getType())
                            && "True".equals(c.getStatus()));
            var monitor = ServiceMonitors.apply(context.getClient(), gateway, model, hadServiceMonitor);
            if (monitor != null) {
                status = statusFactory.withServiceMonitor(gateway, status, monitor.created(), monitor.reason(), monitor.message());
                if (!monitor.created() && !sameCondition(gateway.getStatus(), status, S3dGatewayStatusFactory.SERVICE_MONITOR)) {
                    events.warning(gateway, "ServiceMonitorSkipped", monitor.message());
                }
            }
            if (model.queuedWritesAtRisk() && !sameCondition(gateway.getStatus(), status, S3dGatewayStatusFactory.DATA_AT_RISK)) {
                events.warning(gateway, "EphemeralWriteQueue", S3dGatewayStatusFactory.dataAtRiskMessage(model));
            }
            FilterRules rules = model.filterRules();
            if (Boolean.FALSE.equals(rules.valid()) && !sameCondition(gateway.getStatus(), status, FilterRules.CONDITION)) {
                events.warning(gateway, rules.reason(), rules.message());
            }
        }
        return patchIfChanged(gateway, status);
    }

    @Override
    public ErrorStatusUpdateControl<S3dGateway> updateErrorStatus(S3dGateway gateway, Context<S3dGateway> context,
            Exception e) {
        S3dGatewayStatus status = statusFactory.failed(gateway, e);
        events.warning(gateway, "ReconcileError", status.conditions.get(0).getMessage());
        gateway.setStatus(status);
        // keep JOSDK's retry with exponential backoff (quarkus.operator-sdk.controllers.s3dgateway.retry.*)
        return ErrorStatusUpdateControl.patchStatus(gateway);
    }

    /** Patch status only when it changed: no write, no event, no hot loop. */
    static UpdateControl<S3dGateway> patchIfChanged(S3dGateway gateway, S3dGatewayStatus status) {
        if (gateway.getStatus() != null && Serialization.asJson(gateway.getStatus()).equals(Serialization.asJson(status))) {
            return UpdateControl.noUpdate();
        }
        gateway.setStatus(status);
        return UpdateControl.patchStatus(gateway);
    }

    private static boolean sameCondition(S3dGatewayStatus old, S3dGatewayStatus now, String type) {
        if (old == null || old.conditions == null) {
            return false;
        }
        var a = old.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        var b = now.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        return a != null && b != null && Objects.equals(a.getStatus(), b.getStatus())
                && Objects.equals(a.getReason(), b.getReason()) && Objects.equals(a.getMessage(), b.getMessage());
    }
}
