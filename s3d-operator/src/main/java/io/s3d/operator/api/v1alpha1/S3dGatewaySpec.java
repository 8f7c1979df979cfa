package io.s3d.operator.api.v1alpha1;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/**
 * Desired state of an S3dGateway. The same rules are checked by the API server (CEL) and by the
 * operator ({@code GatewayModel.validate}), so a cluster without CEL still reports a bad spec.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.mode == 'Deployment' || self.replicas == 1",
        message = "replicas applies only to mode Deployment", fieldPath = ".replicas")
@ValidationRule(value = "!has(self.storage) || !has(self.storage.type) || self.storage.type != 'Persistent' || (self.mode == 'Deployment' && self.replicas <= 1)",
        message = "persistent storage needs mode Deployment with at most 1 replica (one s3d local store per volume)",
        fieldPath = ".storage.type")
@ValidationRule(value = "!has(self.writeQueue) || !self.writeQueue.enabled || has(self.remote)",
        message = "the write queue needs a remote", fieldPath = ".writeQueue.enabled")
@ValidationRule(value = "!has(self.writeQueue) || !self.writeQueue.enabled"
        + " || (has(self.writeQueue.unsafeEphemeralStorage) && self.writeQueue.unsafeEphemeralStorage)"
        + " || (self.mode == 'Deployment' && self.replicas <= 1 && (!has(self.storage) || !has(self.storage.type) || self.storage.type == 'Persistent'))",
        message = S3dGatewaySpec.QUEUE_NEEDS_DURABLE_STORAGE, fieldPath = ".writeQueue.unsafeEphemeralStorage")
@ValidationRule(value = "!has(self.readCache) || !self.readCache.enabled || has(self.remote)",
        message = "the read cache needs a remote", fieldPath = ".readCache.enabled")
@ValidationRule(value = "!has(self.updateStrategy) || self.mode == 'DaemonSet'",
        message = "updateStrategy applies only to mode DaemonSet", fieldPath = ".updateStrategy")
@ValidationRule(value = "!has(self.fuse) || !self.fuse.enabled || self.mode != 'Sidecar' || self.fuse.shareWithApps || has(self.fuse.deviceResource)",
        message = S3dGatewaySpec.UNPRIVILEGED_FUSE_NEEDS_DEVICE, fieldPath = ".fuse.deviceResource")
@ValidationRule(value = "!has(self.podTemplate) || self.mode != 'Sidecar'", message = S3dGatewaySpec.POD_TEMPLATE_NOT_FOR_SIDECAR,
        fieldPath = ".podTemplate")
@ValidationRule(value = "!has(self.fuse) || !has(self.fuse.hostPath) || self.mode != 'Sidecar'",
        message = "fuse.hostPath is not used in mode Sidecar: the mount is shared with the app containers through the pod",
        fieldPath = ".fuse.hostPath")
@JsonClassDescription("Desired state of the gateway: how s3d runs (mode, pods), what it talks to (remote, credentials, TLS) and what it keeps locally (storage, write queue, read cache, FUSE, filters).")
public class S3dGatewaySpec {
    /** Message of the unprivileged-FUSE rule, shared by CEL and GatewayModel.validate. */
    public static final String UNPRIVILEGED_FUSE_NEEDS_DEVICE = "FUSE in an unprivileged sidecar (shareWithApps false) needs "
            + "fuse.deviceResource (e.g. smarter-devices/fuse): without a device plugin only privileged containers get /dev/fuse";
    /** Message of the podTemplate rule, shared by CEL and GatewayModel.validate. */
    public static final String POD_TEMPLATE_NOT_FOR_SIDECAR = "podTemplate applies to the pods of modes Deployment and "
            + "DaemonSet: in mode Sidecar the pod is the app's";
    /** Message of the durability rule, shared by the CEL rule and GatewayModel.validate. */
    public static final String QUEUE_NEEDS_DURABLE_STORAGE = "the write queue acknowledges writes from local disk: it needs "
            + "storage.type Persistent (mode Deployment, 1 replica), or writeQueue.unsafeEphemeralStorage: true to accept "
            + "losing queued writes when a pod goes away";

    @JsonPropertyDescription("How s3d runs: Deployment (shared pods behind a Service), DaemonSet (one pod per node, "
            + "Service with internalTrafficPolicy Local) or Sidecar (no pods of its own; the webhook injects s3d into "
            + "pods annotated s3d.io/inject=<name>).")
    @Default("Deployment")
    public Mode mode = Mode.Deployment;

    @JsonPropertyDescription("Number of s3d pods in mode Deployment (the scale subresource: kubectl scale s3dgw).")
    @SpecReplicas
    @Default("1")
    @Min(0)
    @Max(100)
    public Integer replicas = 1;

    @JsonPropertyDescription("Pins the s3d container image. Unset (recommended): the operator's default image "
            + "(its RELATED_IMAGE_S3D setting), so upgrading the operator upgrades the gateway.")
    public String image;

    @JsonPropertyDescription("Image pull policy of the s3d container; unset: Kubernetes' default (Always for :latest, else IfNotPresent).")
    public ImagePullPolicy imagePullPolicy;

    @JsonPropertyDescription("Compute resources of the s3d container. Unset: requests cpu 100m / memory 256Mi, limit "
            + "memory 1Gi. The operator sizes the JVM from the memory limit (JAVA_TOOL_OPTIONS: a heap of a quarter of "
            + "it, 64 to 256 MiB, and the serial collector; a JAVA_TOOL_OPTIONS in podTemplate replaces it), so set "
            + "a limit.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Seconds a terminating s3d pod gets: its preStop hook flushes the write queue for "
            + "about half of it, then s3d keeps pushing for most of the rest (S3D_WRITE_QUEUE_SHUTDOWN_GRACE is derived "
            + "from it). Unset: 60. In mode Sidecar a pod with a shorter grace period is raised to this one.")
    @Min(10)
    @Max(3600)
    public Long terminationGracePeriodSeconds;

    @JsonPropertyDescription("Update strategy of the DaemonSet. OnDelete: a changed spec reaches a node only when its "
            + "s3d pod is deleted, so a config change does not cut every consumer's FUSE mount at once. Unset: RollingUpdate.")
    public UpdateStrategy updateStrategy;

    @JsonPropertyDescription("ServiceAccount of the s3d pods (Deployment and DaemonSet). IRSA, EKS Pod Identity and "
            + "GKE/Azure workload identity are keyed on it: with remote.credentialsSecret unset, s3d uses the AWS default "
            + "credential chain. Unset: the namespace's default ServiceAccount.")
    public String serviceAccountName;

    @JsonPropertyDescription("Secrets for pulling the s3d image (Deployment and DaemonSet).")
    public List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("Priority class of the s3d pods (Deployment and DaemonSet).")
    public String priorityClassName;

    @JsonPropertyDescription("Affinity of the s3d pods (Deployment and DaemonSet). With FUSE in mode Deployment the "
            + "operator adds a required anti-affinity: one replica per node.")
    public Affinity affinity;

    @JsonPropertyDescription("Topology spread constraints of the s3d pods (mode Deployment).")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Extra labels on the s3d pods (Deployment and DaemonSet); the operator's own labels win.")
    public Map<String, String> podLabels;

    @JsonPropertyDescription("Extra annotations on the s3d pods (Deployment and DaemonSet), e.g. for a service mesh "
            + "or a log collector; the operator's s3d.io/ annotations win.")
    public Map<String, String> podAnnotations;

    @JsonPropertyDescription("Node selector of the s3d pods (Deployment and DaemonSet).")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the s3d pods (Deployment and DaemonSet).")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Escape hatch: a partial pod template (metadata and spec of a PodTemplateSpec) merged over the "
            + "pods the operator renders (Deployment and DaemonSet), the way kubectl patch --type strategic merges: maps "
            + "key by key, containers, initContainers, volumes, imagePullSecrets and env by name, volumeMounts by mountPath, "
            + "ports by containerPort, topologySpreadConstraints by topologyKey; other lists and values replace. Applied "
            + "last, so it overrides the fields above. Refused (Degraded, reason PodTemplateConflict, nothing changed) when "
            + "it sets what the operator owns: the s3d container's image, command, args, ports, probes, lifecycle and the "
            + "env variables and mount paths the operator sets, volumes named s3d-*, terminationGracePeriodSeconds. The "
            + "operator's labels and s3d.io/ annotations win. Checked by the API server when the operator applies the "
            + "workload. See docs/operator.md.")
    @SchemaFrom(type = AnyObject.class)
    public PodTemplateSpec podTemplate;

    @JsonPropertyDescription("The remote S3 store. Without it s3d runs standalone (local store only).")
    public RemoteSpec remote;

    @JsonPropertyDescription("Where s3d keeps its local store, queue and cache.")
    public StorageSpec storage;

    @JsonPropertyDescription("Write queue: writes are acknowledged locally and pushed to the remote in the background.")
    public WriteQueueSpec writeQueue;

    @JsonPropertyDescription("Read cache: objects read from the remote are kept locally.")
    public ReadCacheSpec readCache;

    @JsonPropertyDescription("FUSE mount of the buckets as directories.")
    public FuseSpec fuse;

    @JsonPropertyDescription("Filter policy deciding what is uploaded, cached and synced.")
    public FilterSpec filters;

    @JsonPropertyDescription("The credentials clients must sign their S3 requests with. Without it s3d accepts any client.")
    public SecretKeysRef clientCredentials;

    @JsonPropertyDescription("HTTPS for the S3 endpoint, from a Kubernetes TLS Secret.")
    public TlsSpec tls;

    @JsonPropertyDescription("Telemetry export.")
    public TelemetrySpec telemetry;

    @JsonPropertyDescription("The Service in front of the s3d pods (Deployment and DaemonSet).")
    public ServiceSpec service;

    @JsonPropertyDescription("Prometheus Operator integration for the gateway's metrics (/q/metrics).")
    public MonitoringSpec monitoring;

    /**
     * The schema of spec.podTemplate: any object. The full PodTemplateSpec schema would make the CRD too big
     * for kubectl's client-side apply (its last-applied annotation is limited to 256 KiB); the API server
     * checks the merged template when the operator applies the workload.
     */
    @PreserveUnknownFields
    public static final class AnyObject {
    }

    /** The s3d container's imagePullPolicy. */
    public enum ImagePullPolicy {
        Always, IfNotPresent, Never
    }

    /** The Service's type. */
    public enum ServiceType {
        ClusterIP, NodePort, LoadBalancer
    }

    /** DaemonSet update strategy. */
    public enum UpdateStrategy {
        RollingUpdate, OnDelete
    }

    /** How s3d runs. */
    public enum Mode {
        Deployment, DaemonSet, Sidecar
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.endpoint == 'aws' || self.endpoint.matches('^https?://[^/]+.*$')",
            message = "endpoint must be 'aws' or an http(s) URL", fieldPath = ".endpoint")
    public static class RemoteSpec {
        @JsonPropertyDescription("Remote S3 endpoint URL, or 'aws' for AWS itself (S3_ENDPOINT).")
        @io.fabric8.generator.annotation.Required
        @Size(max = 2048) // bounds the CEL cost estimate of the matches() rule
        public String endpoint;

        @JsonPropertyDescription("Remote region (S3D_REMOTE_REGION).")
        @Default("us-east-1")
        public String region = "us-east-1";

        @JsonPropertyDescription("Path-style addressing to the remote (S3D_REMOTE_PATH_STYLE). Unset: s3d's default "
                + "(true for a custom endpoint).")
        public Boolean pathStyle;

        @JsonPropertyDescription("Secret holding s3d's own access key at the remote (AWS_ACCESS_KEY_ID / "
                + "AWS_SECRET_ACCESS_KEY). Unset: the AWS default chain (e.g. IRSA).")
        public SecretKeysRef credentialsSecret;
    }

    /** Keys of an access key pair inside a Secret of the gateway's namespace. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SecretKeysRef {
        @JsonPropertyDescription("Name of the Secret (same namespace).")
        @io.fabric8.generator.annotation.Required
        public String name;

        @JsonPropertyDescription("Key holding the access key id.")
        @Default("AWS_ACCESS_KEY_ID")
        public String accessKeyIdKey = "AWS_ACCESS_KEY_ID";

        @JsonPropertyDescription("Key holding the secret access key.")
        @Default("AWS_SECRET_ACCESS_KEY")
        public String secretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";
    }

    /** Local storage type. */
    public enum StorageType {
        Ephemeral, Persistent
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StorageSpec {
        @JsonPropertyDescription("Ephemeral (emptyDir, lost with the pod) or Persistent (a PersistentVolumeClaim). "
                + "Unset: Persistent when the write queue is on in mode Deployment with one replica (queued writes "
                + "are acknowledged from this disk), else Ephemeral.")
        public StorageType type;

        @JsonPropertyDescription("Delete the PersistentVolumeClaim when storage.type leaves Persistent or the gateway "
                + "is deleted. Default false: the claim, and any write still queued on it, is kept (and adopted again "
                + "by a gateway of the same name).")
        @Default("false")
        public Boolean deleteClaim = false;

        @JsonPropertyDescription("Size of the claim (Persistent) or size limit of the emptyDir (Ephemeral).")
        @Default("10Gi")
        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
        public String size = "10Gi";

        @JsonPropertyDescription("Storage class of the claim; unset uses the cluster default.")
        public String storageClassName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class WriteQueueSpec {
        @JsonPropertyDescription("Write queue on/off (S3D_WRITE_QUEUE).")
        @Default("true")
        public Boolean enabled = true;

        @JsonPropertyDescription("UNSAFE: allow the write queue on storage that goes away with the pod (Ephemeral "
                + "storage, mode Sidecar, several replicas, DaemonSet). Writes the remote has not received yet are "
                + "LOST when a pod is deleted, evicted or rolled and the preStop flush does not finish. The gateway "
                + "then reports the condition DataAtRisk=True.")
        public Boolean unsafeEphemeralStorage;

        @JsonPropertyDescription("Which objects are queued (S3D_WRITE_QUEUE_FILTER).")
        public String filter;

        @JsonPropertyDescription("Maximum queued bytes, e.g. 1G (S3D_WRITE_QUEUE_MAX_SIZE).")
        @Pattern("^[0-9]+[KMGT]?$")
        public String maxSize;

        @JsonPropertyDescription("Maximum queued objects (S3D_WRITE_QUEUE_MAX_FILES).")
        @Min(1)
        public Integer maxFiles;

        @JsonPropertyDescription("Maximum age of a queued object before it is pushed, e.g. 3600s (S3D_WRITE_QUEUE_MAX_AGE).")
        @Pattern("^[0-9]+(ms|s|m|h|d)$")
        public String maxAge;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ReadCacheSpec {
        @JsonPropertyDescription("Read cache on/off (S3D_READ_CACHE).")
        @Default("true")
        public Boolean enabled = true;

        @JsonPropertyDescription("Maximum cached bytes, e.g. 1G (S3D_READ_CACHE_MAX_SIZE).")
        @Pattern("^[0-9]+[KMGT]?$")
        public String maxSize;

        @JsonPropertyDescription("Maximum cached objects (S3D_READ_CACHE_MAX_FILES).")
        @Min(1)
        public Integer maxFiles;

        @JsonPropertyDescription("Maximum age of a cached object, e.g. 3600s (S3D_READ_CACHE_MAX_AGE).")
        @Pattern("^[0-9]+(ms|s|m|h|d)$")
        public String maxAge;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.mountPoint.startsWith('/')", message = "fuse.mountPoint must be an absolute path", fieldPath = ".mountPoint")
    @ValidationRule(value = "!has(self.hostPath) || self.hostPath.startsWith('/')", message = "fuse.hostPath must be an absolute path", fieldPath = ".hostPath")
    public static class FuseSpec {
        @JsonPropertyDescription("FUSE mount on/off (S3D_FUSE). Needs /dev/fuse and a privileged s3d container, see docs/operator.md.")
        @Default("true")
        public Boolean enabled = true;

        @JsonPropertyDescription("Where the buckets appear inside the s3d container and the app containers (S3D_FUSE_MOUNT_POINT).")
        @Default("/mnt/s3d")
        @Size(max = 1024)
        public String mountPoint = "/mnt/s3d";

        @JsonPropertyDescription("Host directory the mount is propagated to (Deployment, DaemonSet), so other pods on the "
                + "node can mount it with hostPath and mountPropagation HostToContainer. Unset: "
                + "/var/lib/s3d/mnt/<namespace>/<gateway>.")
        @Size(max = 1024)
        public String hostPath;

        @JsonPropertyDescription("Sidecar mode: also mount the FUSE directory into the app containers (HostToContainer).")
        @Default("true")
        public Boolean shareWithApps = true;

        @JsonPropertyDescription("Extended resource of a device plugin that hands out /dev/fuse (e.g. smarter-devices/fuse, "
                + "see docs/operator.md). Required for the unprivileged sidecar (mode Sidecar with shareWithApps false): "
                + "only privileged containers get /dev/fuse without one.")
        @Pattern("^[a-z0-9.-]+/[a-z0-9._-]+$")
        public String deviceResource;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!(has(self.inline) && has(self.configMapRef))", message = "filters.inline and filters.configMapRef are mutually exclusive", fieldPath = ".configMapRef")
    public static class FilterSpec {
        @JsonPropertyDescription("Filter policy text, written to the generated ConfigMap (S3D_FILTER_FILE).")
        public String inline;

        @JsonPropertyDescription("A ConfigMap key holding the filter policy (S3D_FILTER_FILE).")
        public ConfigMapKeyRef configMapRef;

        @JsonPropertyDescription("Open Policy Agent decision URL (S3D_OPA_URL).")
        @Pattern("^https?://.+$")
        public String opaUrl;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ConfigMapKeyRef {
        @JsonPropertyDescription("ConfigMap name (same namespace).")
        @io.fabric8.generator.annotation.Required
        public String name;

        @JsonPropertyDescription("Key in the ConfigMap.")
        @Default("filter-policy")
        public String key = "filter-policy";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TlsSpec {
        @JsonPropertyDescription("A Secret of type kubernetes.io/tls in the gateway's namespace (keys tls.crt and "
                + "tls.key, PEM; e.g. written by a cert-manager Certificate). Mounted read-only at /etc/s3d/tls; s3d "
                + "serves HTTPS on the same port and re-reads the files every minute, so a renewed certificate is "
                + "served without a restart. A missing Secret makes the gateway Degraded.")
        @io.fabric8.generator.annotation.Required
        @Size(min = 1)
        public String secretName;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TelemetrySpec {
        @JsonPropertyDescription("OTLP endpoint traces are exported to (OTEL_EXPORTER_OTLP_ENDPOINT).")
        @Pattern("^https?://.+$")
        public String otlpEndpoint;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ServiceSpec {
        @JsonPropertyDescription("Service type.")
        @Default("ClusterIP")
        public ServiceType type = ServiceType.ClusterIP;

        @JsonPropertyDescription("Service port (the container always listens on 33333).")
        @Default("33333")
        @Min(1)
        @Max(65535)
        public Integer port = 33333;

        @JsonPropertyDescription("Extra annotations on the Service.")
        public Map<String, String> annotations;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MonitoringSpec {
        @JsonPropertyDescription("A monitoring.coreos.com/v1 ServiceMonitor scraping the gateway's Service (Deployment "
                + "and DaemonSet). Skipped, with a ServiceMonitor condition saying why, when the Prometheus Operator's "
                + "CRD is not installed.")
        public ServiceMonitorSpec serviceMonitor;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ServiceMonitorSpec {
        @JsonPropertyDescription("Create the ServiceMonitor.")
        @Default("false")
        public Boolean enabled = false;

        @JsonPropertyDescription("Scrape interval (Prometheus duration, e.g. 30s); unset uses Prometheus' global interval.")
        @Pattern("^[0-9]+(ms|s|m|h)$")
        public String interval;

        @JsonPropertyDescription("Labels on the ServiceMonitor, e.g. the one a Prometheus' serviceMonitorSelector matches (release: kube-prometheus-stack).")
        public Map<String, String> labels;
    }
}
