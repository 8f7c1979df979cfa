package io.s3d.operator.syncfolder;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.api.v1alpha1.SyncFolderStatus;
import io.s3d.operator.common.EventRecorder;
import io.s3d.operator.common.ResourceNames;
import io.s3d.operator.common.StatusFactory;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.SyncFolderChecks;

/**
 * A SyncFolder creates nothing itself: the gateway it names mounts its claim and runs the sync
 * loop (see S3dGatewayReconciler). This controller checks the references and reports whether the
 * gateway has realised the folder, and how its sync goes, as the gateway's s3d reports it
 * ({@link GatewaySyncProbe}, read again every {@code s3d.operator.sync-progress-interval}).
 */
@ControllerConfiguration(name = SyncFolderReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class SyncFolderReconciler implements Reconciler<SyncFolder> {
    public static final String NAME = "syncfolder";

    private final SyncFolderStatusFactory statusFactory;
    private final EventRecorder events;
    private final GatewaySyncProbe probe;
    private final Duration progressInterval;

    @Inject
    public SyncFolderReconciler(Clock clock, EventRecorder events, GatewaySyncProbe probe,
            @ConfigProperty(name = "s3d.operator.sync-progress-interval", defaultValue = "30s") Duration progressInterval) {
        this.statusFactory = new SyncFolderStatusFactory(clock);
        this.events = events;
        this.probe = probe;
        this.progressInterval = progressInterval;
    }

    /** Gateway changes (status, mode) re-evaluate every SyncFolder naming it. */
    @Override
    public List<EventSource<?, SyncFolder>> prepareEventSources(EventSourceContext<SyncFolder> context) {
        var config = InformerEventSourceConfiguration.from(S3dGateway.class, SyncFolder.class)
                .withName("gateways")
                .withSecondaryToPrimaryMapper(gw -> context.getPrimaryCache()
                        .list(gw.getMetadata().getNamespace(),
                                f -> f.getSpec() != null && gw.getMetadata().getName().equals(f.getSpec().gateway))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((SyncFolder f) -> f.getSpec() == null || f.getSpec().gateway == null
                        ? Set.of()
                        : Set.of(new ResourceID(f.getSpec().gateway, f.getMetadata().getNamespace())))
                .build();
        return List.of(new InformerEventSource<>(config, context));
    }

    @Override
    public UpdateControl<SyncFolder> reconcile(SyncFolder folder, Context<SyncFolder> context) {
        SyncFolderStatus status = evaluate(folder, context);
        Condition degraded = status.conditions.get(2);
        if ("True".equals(degraded.getStatus()) && !alreadyReported(folder.getStatus(), degraded)) {
            events.warning(folder, degraded.getReason(), degraded.getMessage());
        }
        // A realised folder's progress is only known by asking its gateway: ask again after a while.
        boolean realised = status.mountPath != null && "False".equals(status.conditions.get(1).getStatus());
        UpdateControl<SyncFolder> control;
        if (folder.getStatus() != null && Serialization.asJson(folder.getStatus()).equals(Serialization.asJson(status))) {
            control = UpdateControl.noUpdate();
        } else {
            folder.setStatus(status);
            control = UpdateControl.patchStatus(folder);
        }
        return realised ? control.rescheduleAfter(progressInterval) : control;
    }

    /** One Event per distinct problem, not one per reconcile. */
    private static boolean alreadyReported(SyncFolderStatus old, Condition degraded) {
        return old != null && old.conditions != null && old.conditions.stream()
                .anyMatch(c -> StatusFactory.DEGRADED.equals(c.getType()) && "True".equals(c.getStatus())
                        && Objects.equals(c.getMessage(), degraded.getMessage()));
    }

    SyncFolderStatus evaluate(SyncFolder folder, Context<SyncFolder> context) {
        List<String> errors = SyncFolderChecks.errors(folder);
        if (!errors.isEmpty()) {
            return statusFactory.degraded(folder, "InvalidSpec", "invalid spec: " + String.join("; ", errors));
        }
        String ns = folder.getMetadata().getNamespace();
        String gatewayName = folder.getSpec().gateway;
        S3dGateway gateway = context.getSecondaryResource(S3dGateway.class).orElse(null);
        if (gateway == null) {
            return statusFactory.degraded(folder, "GatewayNotFound", "S3dGateway " + ns + "/" + gatewayName + " does not exist");
        }
        GatewayModel model = GatewayModel.from(gateway);
        if (!model.acceptsSyncFolders()) {
            return statusFactory.degraded(folder, "UnsupportedGateway", model.syncFolderRejection());
        }
        String claim = folder.getSpec().volume.claimName;
        PersistentVolumeClaim pvc = context.getClient().persistentVolumeClaims().inNamespace(ns).withName(claim).get();
        if (pvc == null) {
            return statusFactory.degraded(folder, "ClaimNotFound", "PersistentVolumeClaim " + ns + "/" + claim + " does not exist");
        }
        String mountPath = ResourceNames.syncMountPath(folder.getMetadata().getName());
        var gs = gateway.getStatus();
        boolean listed = gs != null && gs.syncFolders != null && gs.syncFolders.contains(folder.getMetadata().getName());
        boolean gatewayReady = gs != null && gs.conditions != null && gs.conditions.stream()
                .anyMatch(c -> StatusFactory.READY.equals(c.getType()) && "True".equals(c.getStatus()));
        if (!listed) {
            return statusFactory.waiting(folder, mountPath, "WaitingForGateway",
                    "gateway " + gatewayName + " has not mounted the folder yet");
        }
        if (!gatewayReady) {
            return statusFactory.waiting(folder, mountPath, "GatewayRollingOut",
                    "gateway " + gatewayName + " is rolling out with the folder mounted at " + mountPath);
        }
        Optional<SyncProgress> progress;
        if (model.tls()) {
            // over HTTPS, trusting the CA the TLS Secret carries (a missing Secret already degrades the gateway)
            Secret tls = context.getClient().secrets().inNamespace(ns).withName(model.spec().tls.secretName).get();
            String ca = tls == null ? null : caPem(tls);
            progress = ca == null ? Optional.empty() : probe.read(ns, gatewayName, folder.getMetadata().getName(), ca);
        } else {
            progress = probe.read(ns, gatewayName, folder.getMetadata().getName());
        }
        if (progress.isPresent() && !progress.get().healthy()) {
            return statusFactory.syncFailing(folder, mountPath, progress.get());
        }
        return statusFactory.ready(folder, mountPath, "synced by the s3d pod of gateway " + gatewayName + " from claim "
                + claim + " at " + mountPath + " to s3://" + folder.getSpec().bucket + "/" + folder.getSpec().prefix, progress);
    }

    /** The Secret's {@code ca.crt} as PEM text, "" when it has none (then the default trust store applies). */
    static String caPem(Secret tls) {
        if (tls.getData() != null && tls.getData().get("ca.crt") != null) {
            return new String(java.util.Base64.getDecoder().decode(tls.getData().get("ca.crt")), java.nio.charset.StandardCharsets.US_ASCII);
        }
        if (tls.getStringData() != null && tls.getStringData().get("ca.crt") != null) {
            return tls.getStringData().get("ca.crt");
        }
        return "";
    }

    @Override
    public ErrorStatusUpdateControl<SyncFolder> updateErrorStatus(SyncFolder folder, Context<SyncFolder> context, Exception e) {
        String message = "reconcile failed, retrying: " + e.getMessage();
        events.warning(folder, "ReconcileError", message);
        folder.setStatus(statusFactory.degraded(folder, "ReconcileError", message));
        return ErrorStatusUpdateControl.patchStatus(folder);
    }
}
