package io.s3d.operator.gateway;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.Mode;
import io.s3d.operator.api.v1alpha1.S3dGatewayStatus;
import io.s3d.operator.common.Labels;
import io.s3d.operator.common.StatusFactory;
import io.s3d.operator.model.FilterRules;
import io.s3d.operator.model.GatewayModel;

/** Status of an S3dGateway from its model and the observed workload. Pure apart from the Clock. */
public class S3dGatewayStatusFactory {
    private final StatusFactory conditions;

    public S3dGatewayStatusFactory(Clock clock) {
        this.conditions = new StatusFactory(clock);
    }

    /**
     * The gateway cannot be applied (a spec rule broken, a podTemplate field the operator owns, a
     * filter rule s3d would refuse): nothing is changed in the cluster until it is fixed.
     */
    public S3dGatewayStatus invalid(S3dGateway gw, GatewayModel model) {
        S3dGatewayStatus s = base(gw);
        String reason = model.invalidReason();
        String message = switch (reason) {
            case "InvalidSpec" -> "invalid spec: ";
            case "PodTemplateConflict" -> "spec.podTemplate sets what the operator owns, nothing applied: ";
            default -> "";
        } + String.join("; ", model.errors());
        s.conditions = withFilterRules(gw, model, three(gw, false, reason, message, false, reason, message, true, reason, message));
        return s;
    }

    /** FiltersValid after the other conditions, when the gateway has filter rules. */
    private List<Condition> withFilterRules(S3dGateway gw, GatewayModel model, List<Condition> conditions) {
        FilterRules rules = model.filterRules();
        if (!rules.applies()) {
            return conditions;
        }
        List<Condition> all = new ArrayList<>(conditions);
        all.add(this.conditions.condition(gw.getStatus() == null ? null : gw.getStatus().conditions, FilterRules.CONDITION,
                rules.valid(), rules.reason(), rules.message(), gw.getMetadata().getGeneration()));
        return all;
    }

    /** A reconcile failed (API error, conflict...): JOSDK retries with backoff. */
    public S3dGatewayStatus failed(S3dGateway gw, Exception e) {
        S3dGatewayStatus s = base(gw);
        S3dGatewayStatus old = gw.getStatus();
        if (old != null) {
            s.endpoint = old.endpoint;
            s.replicas = old.replicas;
            s.readyReplicas = old.readyReplicas;
            s.configHash = old.configHash;
            s.syncFolders = old.syncFolders;
        }
        String message = "reconcile failed, retrying: " + rootMessage(e);
        s.conditions = three(gw, false, "ReconcileError", message, false, "ReconcileError", message, true, "ReconcileError", message);
        return s;
    }

    /** Condition type set True while the write queue runs on storage that goes away with the pod. */
    public static final String DATA_AT_RISK = "DataAtRisk";

    /** Children applied: readiness from the Deployment or DaemonSet status, plus DataAtRisk when it holds. */
    public S3dGatewayStatus reconciled(S3dGateway gw, GatewayModel model, Deployment deployment, DaemonSet daemonSet) {
        S3dGatewayStatus s = workload(gw, model, deployment, daemonSet);
        if (model.queuedWritesAtRisk()) {
            List<Condition> all = new ArrayList<>(s.conditions);
            all.add(conditions.condition(gw.getStatus() == null ? null : gw.getStatus().conditions, DATA_AT_RISK, true,
                    "EphemeralWriteQueue", dataAtRiskMessage(model), gw.getMetadata().getGeneration()));
            s.conditions = all;
        }
        s.conditions = withFilterRules(gw, model, s.conditions);
        return s;
    }

    public static final String SERVICE_MONITOR = "ServiceMonitor";

    /** Adds the ServiceMonitor condition: True when created, False with the reason it was skipped. */
    S3dGatewayStatus withServiceMonitor(S3dGateway gw, S3dGatewayStatus s, boolean created, String reason, String message) {
        List<Condition> all = new ArrayList<>(s.conditions);
        all.add(conditions.condition(gw.getStatus() == null ? null : gw.getStatus().conditions, SERVICE_MONITOR, created,
                reason, message, gw.getMetadata().getGeneration()));
        s.conditions = all;
        return s;
    }

    static String dataAtRiskMessage(GatewayModel model) {
        return "writeQueue.unsafeEphemeralStorage: the write queue runs on storage that goes away with the pod ("
                + (model.mode() == Mode.Deployment ? model.spec().storage.type + " storage" : "mode " + model.mode())
                + "); writes not yet on the remote are lost when a pod is deleted before its preStop flush ("
                + model.preStopFlushSeconds() + " s) and drain (" + model.queueShutdownGraceSeconds() + " s) finish";
    }

    private S3dGatewayStatus workload(S3dGateway gw, GatewayModel model, Deployment deployment, DaemonSet daemonSet) {
        S3dGatewayStatus s = base(gw);
        s.endpoint = model.endpoint();
        s.configHash = model.configHash();
        List<String> folders = model.syncFolders().stream().map(f -> f.getMetadata().getName()).toList();
        s.syncFolders = folders.isEmpty() ? null : folders;
        int desired;
        int ready;
        int updated;
        switch (model.mode()) {
            case Sidecar -> {
                String msg = "pods annotated s3d.io/inject=" + model.name() + " get an s3d sidecar";
                s.conditions = three(gw, true, "SidecarTemplateReady", msg, false, "SidecarTemplateReady", msg, false,
                        "SidecarTemplateReady", msg);
                return s;
            }
            case DaemonSet -> {
                var st = daemonSet == null ? null : daemonSet.getStatus();
                desired = st == null || st.getDesiredNumberScheduled() == null ? 0 : st.getDesiredNumberScheduled();
                ready = st == null || st.getNumberReady() == null ? 0 : st.getNumberReady();
                updated = st == null || st.getUpdatedNumberScheduled() == null ? 0 : st.getUpdatedNumberScheduled();
                if (daemonSet == null || st == null) {
                    desired = -1; // not observed yet
                }
            }
            default -> {
                var st = deployment == null ? null : deployment.getStatus();
                desired = model.replicas();
                ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
                updated = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
                if (deployment == null) {
                    desired = -1;
                }
            }
        }
        s.replicas = Math.max(desired, 0);
        s.readyReplicas = ready;
        s.selector = Labels.selector(model.name()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(","));
        String workload = model.mode() == Mode.DaemonSet ? "DaemonSet" : "Deployment";
        // counts of an older generation say nothing about the spec just applied
        boolean observed = model.mode() == Mode.DaemonSet
                ? daemonSet != null && caughtUp(daemonSet.getMetadata().getGeneration(), daemonSet.getStatus() == null ? null
                        : daemonSet.getStatus().getObservedGeneration())
                : deployment != null && caughtUp(deployment.getMetadata().getGeneration(), deployment.getStatus() == null ? null
                        : deployment.getStatus().getObservedGeneration());
        String[] problem = problem(model, deployment);
        if (observed && desired >= 0 && ready >= desired && updated >= desired) {
            String msg = ready + "/" + desired + " s3d pods ready at " + s.endpoint;
            s.conditions = three(gw, true, "PodsReady", msg, false, "RolloutComplete", msg, problem != null,
                    problem != null ? problem[0] : "PodsReady", problem != null ? problem[1] : msg);
        } else {
            String msg = desired < 0 ? workload + " created, waiting for its status"
                    : !observed ? workload + " changed, waiting for its controller to observe generation "
                            + (model.mode() == Mode.DaemonSet ? daemonSet.getMetadata().getGeneration() : deployment.getMetadata().getGeneration())
                    : ready + "/" + desired + " s3d pods ready, " + updated + "/" + desired + " updated";
            s.conditions = three(gw, false, problem != null ? problem[0] : "PodsNotReady", problem != null ? problem[1] : msg,
                    problem == null, problem != null ? problem[0] : "RollingOut", problem != null ? problem[1] : msg,
                    problem != null, problem != null ? problem[0] : "RollingOut", problem != null ? problem[1] : msg);
        }
        return s;
    }

    static boolean caughtUp(Long generation, Long observedGeneration) {
        return generation == null || observedGeneration != null && observedGeneration >= generation;
    }

    /**
     * Why the pods cannot come up or do not run as asked, as {reason, message}, or null: a referenced
     * Secret or the filter policy's ConfigMap missing, the Deployment unable to create pods
     * (ReplicaFailure, e.g. Pod Security rejected a privileged FUSE pod) or past its progress deadline,
     * a rule in the filter policy's ConfigMap that s3d refuses.
     */
    static String[] problem(GatewayModel model, Deployment deployment) {
        if (!model.secrets().missing().isEmpty()) {
            return new String[] {"SecretNotFound", "referenced Secret(s) " + String.join(", ", model.secrets().missing())
                    + " not found in namespace " + model.namespace() + "; the s3d pods cannot start without them"};
        }
        FilterRules rules = model.filterRules();
        if (Boolean.FALSE.equals(rules.valid()) && FilterRules.POLICY_NOT_FOUND.equals(rules.reason())) {
            return new String[] {rules.reason(), rules.message()};
        }
        String[] workload = workloadProblem(deployment);
        if (workload == null && Boolean.FALSE.equals(rules.valid())) {
            return new String[] {rules.reason(), rules.message()};
        }
        return workload;
    }

    private static String[] workloadProblem(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null || deployment.getStatus().getConditions() == null) {
            return null;
        }
        for (var c : deployment.getStatus().getConditions()) {
            if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                return new String[] {"ReplicaFailure", "Deployment cannot create s3d pods: " + c.getMessage()};
            }
        }
        for (var c : deployment.getStatus().getConditions()) {
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                return new String[] {"ProgressDeadlineExceeded", "Deployment rollout stalled: " + c.getMessage()};
            }
        }
        return null;
    }

    private List<Condition> three(S3dGateway gw, boolean ready, String readyReason, String readyMessage,
            boolean progressing, String progressingReason, String progressingMessage,
            boolean degraded, String degradedReason, String degradedMessage) {
        return conditions.readyProgressingDegraded(gw.getStatus() == null ? null : gw.getStatus().conditions,
                gw.getMetadata().getGeneration(), ready, readyReason, readyMessage, progressing, progressingReason,
                progressingMessage, degraded, degradedReason, degradedMessage);
    }

    private static S3dGatewayStatus base(S3dGateway gw) {
        S3dGatewayStatus s = new S3dGatewayStatus();
        s.observedGeneration = gw.getMetadata().getGeneration();
        return s;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 500 ? m.substring(0, 500) + "..." : m;
    }
}
