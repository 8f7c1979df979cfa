package io.s3d.operator.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.Mode;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.StorageType;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.common.ResourceNames;

/**
 * A gateway resolved once per reconcile: the spec with defaults filled in, the SyncFolders it
 * realises, and the validation errors. Pure: no client, no CDI. Every dependent and the webhook read
 * the same model, so the Deployment, the DaemonSet and an injected sidecar cannot disagree.
 */
public final class GatewayModel {
    private final String name;
    private final String namespace;
    private final Long generation;
    private final S3dGatewaySpec spec;
    private final List<SyncFolder> syncFolders;
    private final List<String> errors;
    private final List<String> podTemplateConflicts;
    private final FilterRules filterRules;
    private final String defaultImage;
    private final SecretInputs secrets;

    /** Seconds a terminating s3d pod gets when spec.terminationGracePeriodSeconds is unset. */
    public static final long DEFAULT_TERMINATION_GRACE = 60;
    /** Seconds of the grace period kept for the JVM to stop and FUSE to unmount after the queue drain. */
    public static final long SHUTDOWN_RESERVE_SECONDS = 5;

    private GatewayModel(S3dGateway gateway, List<SyncFolder> syncFolders, String defaultImage, SecretInputs secrets,
            Function<String, Optional<Map<String, String>>> configMaps) {
        this.defaultImage = defaultImage;
        this.secrets = secrets;
        this.name = gateway.getMetadata().getName();
        this.namespace = gateway.getMetadata().getNamespace();
        this.generation = gateway.getMetadata().getGeneration();
        this.spec = withDefaults(gateway.getSpec());
        this.syncFolders = syncFolders.stream()
                .filter(f -> SyncFolderChecks.errors(f).isEmpty())
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .toList();
        this.errors = validate(spec);
        this.filterRules = FilterRules.check(spec, configMaps);
        this.podTemplateConflicts = spec.podTemplate == null || spec.mode == Mode.Sidecar ? List.of()
                : PodTemplateOverlay.conflicts(spec.podTemplate, GatewayResources.s3dContainer(this, false));
    }

    /** Builds the model of {@code gateway}; {@code syncFolders} are those naming it in spec.gateway. */
    public static GatewayModel from(S3dGateway gateway, List<SyncFolder> syncFolders) {
        return from(gateway, syncFolders, DefaultImage.current());
    }

    /** As {@link #from(S3dGateway, List)} with the operator's default s3d image given. */
    public static GatewayModel from(S3dGateway gateway, List<SyncFolder> syncFolders, String defaultImage) {
        return from(gateway, syncFolders, defaultImage, SecretInputs.NONE);
    }

    /** As {@link #from(S3dGateway, List, String)} with the referenced Secrets as read from the cluster. */
    public static GatewayModel from(S3dGateway gateway, List<SyncFolder> syncFolders, String defaultImage, SecretInputs secrets) {
        return from(gateway, syncFolders, defaultImage, secrets, null);
    }

    /**
     * As {@link #from(S3dGateway, List, String, SecretInputs)} with the ConfigMaps of the gateway's
     * namespace as read from the cluster (data by name, empty when missing), for filters.configMapRef.
     */
    public static GatewayModel from(S3dGateway gateway, List<SyncFolder> syncFolders, String defaultImage, SecretInputs secrets,
            Function<String, Optional<Map<String, String>>> configMaps) {
        return new GatewayModel(gateway, syncFolders == null ? List.of() : syncFolders, defaultImage, secrets, configMaps);
    }

    /** The referenced Secrets: their hash (for the pod template) and those missing. */
    public SecretInputs secrets() {
        return secrets;
    }

    public static GatewayModel from(S3dGateway gateway) {
        return from(gateway, List.of());
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public Long generation() {
        return generation;
    }

    public S3dGatewaySpec spec() {
        return spec;
    }

    public Mode mode() {
        return spec.mode;
    }

    public int replicas() {
        return spec.mode == Mode.Deployment ? spec.replicas : 1;
    }

    /** SyncFolders realised by this gateway's pods: none in Sidecar mode (see {@link #acceptsSyncFolders()}). */
    public List<SyncFolder> syncFolders() {
        return acceptsSyncFolders() ? syncFolders : List.of();
    }

    /**
     * A folder must have exactly one sync loop: two s3d processes syncing the same files would race
     * and report each other's writes as conflicts. So only a single-pod Deployment realises
     * SyncFolders; DaemonSet and several replicas would run one loop per pod, and sidecars live in
     * pods the operator does not own.
     */
    public boolean acceptsSyncFolders() {
        return spec.mode == Mode.Deployment && spec.replicas == 1;
    }

    /** Why {@link #acceptsSyncFolders()} is false, for the SyncFolder's status. */
    public String syncFolderRejection() {
        return acceptsSyncFolders() ? null
                : "gateway " + name + " runs " + (spec.mode == Mode.Deployment ? spec.replicas + " replicas" : "in mode " + spec.mode)
                        + "; a SyncFolder needs a gateway in mode Deployment with replicas 1 (one sync loop per folder)";
    }

    /**
     * Everything that keeps the operator from applying the gateway: spec rules broken, podTemplate
     * fields the operator owns, filter rules in the spec that s3d would refuse.
     */
    public List<String> errors() {
        List<String> all = new ArrayList<>(errors);
        all.addAll(podTemplateConflicts);
        if (filterRules.blocksRollout()) {
            all.add(filterRules.message());
        }
        return all;
    }

    public boolean valid() {
        return errors().isEmpty();
    }

    /** Why {@link #valid()} is false, as a condition reason: the first of InvalidSpec, PodTemplateConflict, InvalidFilterRule. */
    public String invalidReason() {
        return !errors.isEmpty() ? "InvalidSpec" : !podTemplateConflicts.isEmpty() ? "PodTemplateConflict" : FilterRules.INVALID_RULE;
    }

    /** The gateway's filter rules as s3d's parser sees them (the FiltersValid condition). */
    public FilterRules filterRules() {
        return filterRules;
    }

    public boolean persistent() {
        return spec.storage.type == StorageType.Persistent;
    }

    /** The s3d image: spec.image pins it, else the operator's default (RELATED_IMAGE_S3D). */
    public String image() {
        return spec.image != null ? spec.image : defaultImage;
    }

    public boolean writeQueue() {
        return spec.writeQueue != null && Boolean.TRUE.equals(spec.writeQueue.enabled);
    }

    /** The write queue runs on storage that goes away with the pod (only with writeQueue.unsafeEphemeralStorage). */
    public boolean queuedWritesAtRisk() {
        return writeQueue() && !persistent();
    }

    /** Whether the claim goes when storage.type leaves Persistent or the gateway is deleted. */
    public boolean deleteClaim() {
        return Boolean.TRUE.equals(spec.storage.deleteClaim);
    }

    public long terminationGracePeriodSeconds() {
        return spec.terminationGracePeriodSeconds != null ? spec.terminationGracePeriodSeconds : DEFAULT_TERMINATION_GRACE;
    }

    /**
     * The grace period split between the preStop flush and s3d's own drain at SIGTERM, keeping
     * {@value #SHUTDOWN_RESERVE_SECONDS} s for the JVM to stop and FUSE to unmount: the preStop flush gets
     * half of the rest, so both together never outlast the grace period the kubelet enforces.
     */
    public long preStopFlushSeconds() {
        return Math.max(1, (terminationGracePeriodSeconds() - SHUTDOWN_RESERVE_SECONDS) / 2);
    }

    /** S3D_WRITE_QUEUE_SHUTDOWN_GRACE: what the preStop flush left of the grace period, minus the reserve. */
    public long queueShutdownGraceSeconds() {
        return Math.max(1, terminationGracePeriodSeconds() - SHUTDOWN_RESERVE_SECONDS - preStopFlushSeconds());
    }

    /** spec.monitoring.serviceMonitor when enabled on a gateway with a Service, else null. */
    public S3dGatewaySpec.ServiceMonitorSpec serviceMonitor() {
        S3dGatewaySpec.MonitoringSpec mon = spec().monitoring;
        return hasService() && mon != null && mon.serviceMonitor != null && Boolean.TRUE.equals(mon.serviceMonitor.enabled)
                ? mon.serviceMonitor : null;
    }

    public boolean hasService() {
        return spec.mode != Mode.Sidecar;
    }

    public boolean fuse() {
        return spec.fuse != null && Boolean.TRUE.equals(spec.fuse.enabled);
    }

    public String fuseHostPath() {
        if (!fuse() || spec.mode == Mode.Sidecar) {
            return null;
        }
        return spec.fuse.hostPath != null ? spec.fuse.hostPath
                : ResourceNames.defaultFuseHostPath(name, namespace);
    }

    /** Whether s3d serves HTTPS from the Secret spec.tls.secretName. */
    public boolean tls() {
        return spec.tls != null && spec.tls.secretName != null;
    }

    /** The scheme of every URL of this gateway's s3d: https with spec.tls. */
    public String scheme() {
        return tls() ? "https" : "http";
    }

    /** The endpoint clients in the cluster use. */
    public String endpoint() {
        if (spec.mode == Mode.Sidecar) {
            return localEndpoint();
        }
        return ResourceNames.serviceEndpoint(scheme(), name, namespace, spec.service.port);
    }

    /** The endpoint containers of the s3d pod itself use (app containers beside a sidecar). */
    public String localEndpoint() {
        return scheme() + "://localhost:" + ResourceNames.S3_PORT;
    }

    /** The rendered ConfigMap data (sorted): s3d environment plus the filter policy and sync-folder files. */
    public Map<String, String> configData() {
        return S3dConfigRenderer.render(this);
    }

    /**
     * The hash of what the pods read at start only: the filter policy is left out, since s3d reloads
     * its filter file when the mounted ConfigMap changes (no roll needed, no mount cut).
     */
    public String configHash() {
        Map<String, String> startOnly = new java.util.TreeMap<>(configData());
        startOnly.remove(ResourceNames.FILTER_KEY);
        return ConfigHash.of(startOnly);
    }

    private static S3dGatewaySpec withDefaults(S3dGatewaySpec in) {
        // The API server applies the CRD defaults, but the model must not depend on it (the mock
        // server does not, and a spec may come from an older CRD): copy, then fill every default.
        S3dGatewaySpec s = in == null ? new S3dGatewaySpec()
                : Serialization.unmarshal(Serialization.asJson(in), S3dGatewaySpec.class); // never mutate the cached CR
        S3dGatewaySpec out = new S3dGatewaySpec();
        out.mode = Objects.requireNonNullElse(s.mode, Mode.Deployment);
        out.replicas = Objects.requireNonNullElse(s.replicas, 1);
        out.image = s.image; // unset: the operator's default image, see image()
        out.imagePullPolicy = s.imagePullPolicy;
        out.resources = s.resources != null ? s.resources : defaultResources();
        out.serviceAccountName = s.serviceAccountName;
        out.imagePullSecrets = s.imagePullSecrets;
        out.priorityClassName = s.priorityClassName;
        out.affinity = s.affinity;
        out.topologySpreadConstraints = s.topologySpreadConstraints;
        out.podLabels = s.podLabels;
        out.podAnnotations = s.podAnnotations;
        out.nodeSelector = s.nodeSelector;
        out.tolerations = s.tolerations;
        out.podTemplate = s.podTemplate;
        out.remote = s.remote;
        if (out.remote != null && out.remote.region == null) {
            out.remote.region = "us-east-1";
        }
        out.terminationGracePeriodSeconds = s.terminationGracePeriodSeconds;
        out.updateStrategy = s.updateStrategy;
        out.storage = s.storage != null ? s.storage : new S3dGatewaySpec.StorageSpec();
        if (out.storage.type == null) {
            // queued writes are acknowledged from this disk: keep it across pods wherever a claim can be used
            boolean queue = s.writeQueue != null && !Boolean.FALSE.equals(s.writeQueue.enabled);
            out.storage.type = queue && out.mode == Mode.Deployment && out.replicas <= 1 ? StorageType.Persistent : StorageType.Ephemeral;
        }
        out.storage.deleteClaim = Objects.requireNonNullElse(out.storage.deleteClaim, false);
        if (out.storage.size == null) {
            out.storage.size = "10Gi";
        }
        out.writeQueue = s.writeQueue;
        if (out.writeQueue != null) {
            out.writeQueue.enabled = Objects.requireNonNullElse(out.writeQueue.enabled, true);
        }
        out.readCache = s.readCache;
        out.fuse = s.fuse;
        if (out.fuse != null) {
            out.fuse.enabled = Objects.requireNonNullElse(out.fuse.enabled, true);
            out.fuse.mountPoint = Objects.requireNonNullElse(out.fuse.mountPoint, "/mnt/s3d");
            out.fuse.shareWithApps = Objects.requireNonNullElse(out.fuse.shareWithApps, true);
        }
        out.filters = s.filters;
        if (out.filters != null && out.filters.configMapRef != null && out.filters.configMapRef.key == null) {
            out.filters.configMapRef.key = ResourceNames.FILTER_KEY;
        }
        out.clientCredentials = s.clientCredentials;
        defaultKeys(out.clientCredentials);
        if (out.remote != null) {
            defaultKeys(out.remote.credentialsSecret);
        }
        out.tls = s.tls;
        out.monitoring = s.monitoring;
        out.telemetry = s.telemetry;
        out.service = s.service != null ? s.service : new S3dGatewaySpec.ServiceSpec();
        out.service.type = Objects.requireNonNullElse(out.service.type, S3dGatewaySpec.ServiceType.ClusterIP);
        out.service.port = Objects.requireNonNullElse(out.service.port, ResourceNames.S3_PORT);
        return out;
    }

    /** A memory limit always: the JVM's heap is sized from it ({@link JvmSizing}). */
    static io.fabric8.kubernetes.api.model.ResourceRequirements defaultResources() {
        return new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi"))
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                .build();
    }

    private static void defaultKeys(S3dGatewaySpec.SecretKeysRef ref) {
        if (ref != null) {
            ref.accessKeyIdKey = Objects.requireNonNullElse(ref.accessKeyIdKey, "AWS_ACCESS_KEY_ID");
            ref.secretAccessKeyKey = Objects.requireNonNullElse(ref.secretAccessKeyKey, "AWS_SECRET_ACCESS_KEY");
        }
    }

    /** The CEL rules of the CRD, checked again here; messages match the CRD's. */
    static List<String> validate(S3dGatewaySpec s) {
        List<String> errors = new ArrayList<>();
        if (s.mode != Mode.Deployment && s.replicas != 1) {
            errors.add("replicas applies only to mode Deployment");
        }
        if (s.replicas < 0) {
            errors.add("replicas must be >= 0");
        }
        if (s.storage.type == StorageType.Persistent && !(s.mode == Mode.Deployment && s.replicas <= 1)) {
            errors.add("persistent storage needs mode Deployment with at most 1 replica (one s3d local store per volume)");
        }
        if (s.writeQueue != null && Boolean.TRUE.equals(s.writeQueue.enabled) && s.remote == null) {
            errors.add("the write queue needs a remote");
        }
        if (s.updateStrategy != null && s.mode != Mode.DaemonSet) {
            errors.add("updateStrategy applies only to mode DaemonSet");
        }
        if (s.writeQueue != null && Boolean.TRUE.equals(s.writeQueue.enabled) && !Boolean.TRUE.equals(s.writeQueue.unsafeEphemeralStorage)
                && !(s.mode == Mode.Deployment && s.replicas <= 1 && s.storage.type == StorageType.Persistent)) {
            errors.add(S3dGatewaySpec.QUEUE_NEEDS_DURABLE_STORAGE);
        }
        if (s.readCache != null && Boolean.TRUE.equals(s.readCache.enabled) && s.remote == null) {
            errors.add("the read cache needs a remote");
        }
        if (s.remote != null) {
            if (s.remote.endpoint == null || !(s.remote.endpoint.equals("aws") || s.remote.endpoint.matches("^https?://[^/]+.*$"))) {
                errors.add("endpoint must be 'aws' or an http(s) URL");
            }
            if (s.remote.credentialsSecret != null && isBlank(s.remote.credentialsSecret.name)) {
                errors.add("remote.credentialsSecret.name is required");
            }
        }
        if (s.tls != null && isBlank(s.tls.secretName)) {
            errors.add("tls.secretName is required");
        }
        if (s.clientCredentials != null && isBlank(s.clientCredentials.name)) {
            errors.add("clientCredentials.name is required");
        }
        if (s.fuse != null) {
            if (!s.fuse.mountPoint.startsWith("/")) {
                errors.add("fuse.mountPoint must be an absolute path");
            }
            if (s.fuse.hostPath != null && !s.fuse.hostPath.startsWith("/")) {
                errors.add("fuse.hostPath must be an absolute path");
            }
            if (Boolean.TRUE.equals(s.fuse.enabled) && s.mode == Mode.Sidecar && !Boolean.TRUE.equals(s.fuse.shareWithApps)
                    && s.fuse.deviceResource == null) {
                errors.add(S3dGatewaySpec.UNPRIVILEGED_FUSE_NEEDS_DEVICE);
            }
            if (s.fuse.hostPath != null && s.mode == Mode.Sidecar) {
                errors.add("fuse.hostPath is not used in mode Sidecar: the mount is shared with the app containers through the pod");
            }
        }
        if (s.podTemplate != null && s.mode == Mode.Sidecar) {
            errors.add(S3dGatewaySpec.POD_TEMPLATE_NOT_FOR_SIDECAR);
        }
        if (s.filters != null) {
            if (s.filters.inline != null && s.filters.configMapRef != null) {
                errors.add("filters.inline and filters.configMapRef are mutually exclusive");
            }
            if (s.filters.configMapRef != null && isBlank(s.filters.configMapRef.name)) {
                errors.add("filters.configMapRef.name is required");
            }
        }
        if (s.storage.size != null && !s.storage.size.matches("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")) {
            errors.add("storage.size must be a Kubernetes quantity such as 10Gi");
        }
        return errors;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
