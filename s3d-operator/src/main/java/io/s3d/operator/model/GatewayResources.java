package io.s3d.operator.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.Mode;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.common.Annotations;
import io.s3d.operator.common.Labels;
import io.s3d.operator.common.ResourceNames;

/**
 * The children of an S3dGateway, built from its {@link GatewayModel} with fluent builders. Pure:
 * the dependents and the sidecar injector call these and add only owner references.
 */
public final class GatewayResources {
    /** Volume names carry the s3d- prefix so an injected sidecar never clashes with the app's volumes. */
    public static final String VOL_DATA = "s3d-data";
    public static final String VOL_FILTER = "s3d-filter";
    public static final String VOL_CONFIG = "s3d-config";
    public static final String VOL_FUSE = "s3d-fuse";
    public static final String VOL_TMP = "s3d-tmp";
    public static final String VOL_TLS = "s3d-tls";
    public static final String SERVICE_MONITOR_API_VERSION = "monitoring.coreos.com/v1";
    public static final String SERVICE_MONITOR_KIND = "ServiceMonitor";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** The UID of the s3d image (the Quarkus JVM image's user). */
    static final long S3D_UID = 185L;

    private GatewayResources() {
    }

    public static ObjectMeta meta(GatewayModel m, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(m.namespace())
                .withLabels(Labels.standard(m.name()))
                .build();
    }

    public static ConfigMap configMap(GatewayModel m) {
        return new ConfigMapBuilder()
                .withMetadata(meta(m, ResourceNames.configMap(m.name())))
                .withData(m.configData())
                .build();
    }

    public static PersistentVolumeClaim dataClaim(GatewayModel m) {
        S3dGatewaySpec.StorageSpec st = m.spec().storage;
        return new PersistentVolumeClaimBuilder()
                .withMetadata(meta(m, ResourceNames.dataClaim(m.name())))
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(st.storageClassName)
                .withNewResources().addToRequests("storage", new Quantity(st.size)).endResources()
                .endSpec()
                .build();
    }

    public static Deployment deployment(GatewayModel m) {
        return new DeploymentBuilder()
                .withMetadata(meta(m, ResourceNames.workload(m.name())))
                .withNewSpec()
                .withReplicas(m.replicas())
                .withNewSelector().withMatchLabels(Labels.selector(m.name())).endSelector()
                // a ReadWriteOnce claim and one local store per volume: never two pods on it at once; a FUSE
                // mount on the host path: a new pod on the same node would find the old pod's live mount
                .withNewStrategy().withType(m.persistent() || m.fuse() ? "Recreate" : "RollingUpdate").endStrategy()
                .withTemplate(podTemplate(m))
                .endSpec()
                .build();
    }

    public static DaemonSet daemonSet(GatewayModel m) {
        return new DaemonSetBuilder()
                .withMetadata(meta(m, ResourceNames.workload(m.name())))
                .withNewSpec()
                .withNewSelector().withMatchLabels(Labels.selector(m.name())).endSelector()
                .withNewUpdateStrategy().withType(m.spec().updateStrategy == null ? "RollingUpdate" : m.spec().updateStrategy.name())
                .endUpdateStrategy()
                .withTemplate(podTemplate(m))
                .endSpec()
                .build();
    }

    public static Service service(GatewayModel m) {
        S3dGatewaySpec.ServiceSpec svc = m.spec().service;
        ObjectMeta meta = meta(m, ResourceNames.service(m.name()));
        if (svc.annotations != null && !svc.annotations.isEmpty()) {
            meta.setAnnotations(new LinkedHashMap<>(svc.annotations));
        }
        return new ServiceBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withType(svc.type.name())
                .withSelector(Labels.selector(m.name()))
                // DaemonSet: each client talks to the s3d on its own node (its cache, its queue, its FUSE mount)
                .withInternalTrafficPolicy(m.mode() == Mode.DaemonSet ? "Local" : "Cluster")
                .addNewPort()
                .withName("s3")
                .withProtocol("TCP")
                .withPort(svc.port)
                .withTargetPort(new IntOrString("s3"))
                .endPort()
                .endSpec()
                .build();
    }

    /** The ServiceMonitor the gateway asked for in spec.monitoring.serviceMonitor, or null when it asked for none. */
    public static GenericKubernetesResource serviceMonitor(GatewayModel m) {
        S3dGatewaySpec.ServiceMonitorSpec sm = m.serviceMonitor();
        if (sm == null) {
            return null;
        }
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", "s3");
        endpoint.put("path", "/q/metrics");
        endpoint.put("scheme", m.scheme());
        if (sm.interval != null) {
            endpoint.put("interval", sm.interval);
        }
        if (m.tls()) {
            // the certificate names the Service (cert-manager's dnsNames); verify it, never skip verification
            Map<String, Object> tlsConfig = new LinkedHashMap<>();
            tlsConfig.put("insecureSkipVerify", false);
            tlsConfig.put("serverName", ResourceNames.service(m.name()) + "." + m.namespace() + ".svc");
            endpoint.put("tlsConfig", tlsConfig);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("selector", Map.of("matchLabels", Labels.selector(m.name())));
        spec.put("namespaceSelector", Map.of("matchNames", List.of(m.namespace())));
        spec.put("endpoints", List.of(endpoint));
        ObjectMeta meta = meta(m, ResourceNames.service(m.name()));
        if (sm.labels != null) {
            Map<String, String> labels = new LinkedHashMap<>(sm.labels);
            labels.putAll(meta.getLabels()); // the operator's own labels win: its informers select on them
            meta.setLabels(labels);
        }
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(SERVICE_MONITOR_API_VERSION);
        resource.setKind(SERVICE_MONITOR_KIND);
        resource.setMetadata(meta);
        resource.setAdditionalProperty("spec", spec);
        return resource;
    }

    /**
     * The pod template of the Deployment or DaemonSet: rendered from the spec, spec.podTemplate merged
     * over it ({@link PodTemplateOverlay}), then what must hold whatever the template says: the selector
     * labels, the s3d.io/ hash annotations, and with FUSE one replica per node.
     */
    public static PodTemplateSpec podTemplate(GatewayModel m) {
        Map<String, String> annotations = new LinkedHashMap<>();
        if (m.spec().podAnnotations != null) {
            annotations.putAll(m.spec().podAnnotations);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.spec().podLabels != null) {
            labels.putAll(m.spec().podLabels);
        }
        PodTemplateSpec template = PodTemplateOverlay.apply(new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withSpec(podSpec(m))
                .build(), m.spec().podTemplate);
        ObjectMeta meta = template.getMetadata();
        Map<String, String> finalLabels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        finalLabels.putAll(Labels.standard(m.name())); // the selector must keep matching
        Map<String, String> finalAnnotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        finalAnnotations.put(Annotations.CONFIG_HASH, m.configHash());
        if (m.secrets().hash() != null) {
            finalAnnotations.put(Annotations.SECRET_HASH, m.secrets().hash());
        }
        meta.setLabels(finalLabels);
        meta.setAnnotations(finalAnnotations);
        template.getSpec().setAffinity(withFuseAntiAffinity(m, template.getSpec().getAffinity()));
        return template;
    }

    /** With FUSE in mode Deployment, every replica mounts the same host path: at most one per node, whatever else the spec asks. */
    static Affinity withFuseAntiAffinity(GatewayModel m, Affinity affinity) {
        if (!m.fuse() || m.mode() != Mode.Deployment) {
            return affinity;
        }
        AffinityBuilder a = affinity == null ? new AffinityBuilder() : new AffinityBuilder(affinity);
        return (a.hasPodAntiAffinity() ? a.editPodAntiAffinity() : a.withNewPodAntiAffinity())
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector().withMatchLabels(Labels.selector(m.name())).endLabelSelector()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
    }

    static PodSpec podSpec(GatewayModel m) {
        S3dGatewaySpec s = m.spec();
        return new PodSpecBuilder()
                .withAffinity(s.affinity)
                .withServiceAccountName(s.serviceAccountName)
                .withImagePullSecrets(s.imagePullSecrets)
                .withPriorityClassName(s.priorityClassName)
                .withTopologySpreadConstraints(m.mode() == Mode.Deployment ? s.topologySpreadConstraints : null)
                .withContainers(s3dContainer(m, false))
                .withVolumes(volumes(m, false))
                .withNodeSelector(s.nodeSelector)
                .withTolerations(s.tolerations)
                .withAutomountServiceAccountToken(false)
                // split between the preStop flush and s3d's drain (GatewayModel.preStopFlushSeconds)
                .withTerminationGracePeriodSeconds(m.terminationGracePeriodSeconds())
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withFsGroup(S3D_UID)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .build())
                .build();
    }

    /**
     * The s3d container. {@code sidecar}: the copy the webhook injects (native sidecar, with a
     * startup probe so the app containers start only once s3d answers).
     */
    public static Container s3dContainer(GatewayModel m, boolean sidecar) {
        S3dGatewaySpec s = m.spec();
        ContainerBuilder c = new ContainerBuilder()
                .withName(ResourceNames.CONTAINER)
                .withImage(m.image())
                .withImagePullPolicy(s.imagePullPolicy == null ? null : s.imagePullPolicy.name())
                .addNewPort().withName("s3").withContainerPort(ResourceNames.S3_PORT).withProtocol("TCP").endPort()
                .withEnv(env(m))
                .withResources(resources(m))
                .withVolumeMounts(volumeMounts(m, sidecar))
                .withLivenessProbe(probe(m, "/q/health/live", 10, 3))
                .withReadinessProbe(probe(m, "/q/health/ready", 5, 3))
                .withStartupProbe(probe(m, "/q/health/live", 2, 60))
                .withSecurityContext(securityContext(m, sidecar));
        if (m.writeQueue()) {
            c.withNewLifecycle().withNewPreStop().withNewExec().withCommand(preStopFlush(m)).endExec().endPreStop().endLifecycle();
        }
        if (sidecar) {
            c.withRestartPolicy("Always");
        }
        return c.build();
    }

    /** spec.resources, plus one unit of the FUSE device plugin's resource when fuse.deviceResource names one. */
    static ResourceRequirements resources(GatewayModel m) {
        String device = m.fuse() ? m.spec().fuse.deviceResource : null;
        if (device == null) {
            return m.spec().resources;
        }
        ResourceRequirementsBuilder r = m.spec().resources == null ? new ResourceRequirementsBuilder()
                : new ResourceRequirementsBuilder(m.spec().resources);
        return r.addToLimits(device, new Quantity("1")).build();
    }

    /**
     * The preStop hook: {@code POST /_s3d/queue/flush} on the pod's own s3d, so what is queued reaches
     * the remote before SIGTERM; SigV4-signed by curl (in the s3d image) when client credentials are
     * set, as every admin request must be then. A flush that fails or times out fails the hook (a
     * FailedPreStopHook event) and s3d keeps pushing for S3D_WRITE_QUEUE_SHUTDOWN_GRACE after SIGTERM;
     * what is still left stays on the claim for the next pod.
     */
    static List<String> preStopFlush(GatewayModel m) {
        // s3d requires x-amz-content-sha256, which curl before 8.x does not add: the hash of the empty body
        long wait = m.preStopFlushSeconds();
        // With TLS, -k: the certificate names the Service (or an external host), never 127.0.0.1, so no
        // --cacert would match; the connection does not leave the pod's network namespace, so there is
        // no one in the middle to authenticate against.
        String insecure = m.tls() ? "-k " : "";
        String script = "if [ -n \"$S3D_ACCESS_KEY_ID\" ]; then set -- --aws-sigv4 aws:amz:us-east-1:s3"
                + " --user \"$S3D_ACCESS_KEY_ID:$S3D_SECRET_ACCESS_KEY\" -H \"x-amz-content-sha256: " + EMPTY_SHA256 + "\"; fi; "
                + "exec curl -fsS " + insecure + "-X POST --max-time " + (wait + 2) + " \"$@\" "
                + "\"" + m.scheme() + "://127.0.0.1:" + ResourceNames.S3_PORT + "/_s3d/queue/flush?timeout=" + wait + "s\"";
        return List.of("sh", "-c", script);
    }

    /** An HTTP(S) probe; the kubelet does not verify the certificate of an HTTPS probe. */
    private static Probe probe(GatewayModel m, String path, int period, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("s3")).withScheme(m.tls() ? "HTTPS" : "HTTP").endHttpGet()
                .withPeriodSeconds(period)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    /**
     * Least privilege. Without FUSE: non-root, no capabilities, read-only root. With FUSE shared
     * through mountPropagation Bidirectional the kubelet requires a privileged container; an
     * unshared FUSE mount (sidecar with shareWithApps=false) needs only CAP_SYS_ADMIN, /dev/fuse and
     * an unconfined AppArmor profile (the default profile denies mount).
     */
    static SecurityContext securityContext(GatewayModel m, boolean sidecar) {
        if (!m.fuse()) {
            return new SecurityContextBuilder()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(S3D_UID)
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withCapabilities(new CapabilitiesBuilder().withDrop("ALL").build())
                    .build();
        }
        if (sharesFuseMount(m, sidecar)) {
            return new SecurityContextBuilder()
                    .withPrivileged(true)
                    .withRunAsUser(0L)
                    .withReadOnlyRootFilesystem(true)
                    .build();
        }
        Capabilities caps = new CapabilitiesBuilder().withDrop("ALL").withAdd("SYS_ADMIN").build();
        return new SecurityContextBuilder()
                .withRunAsUser(0L)
                .withAllowPrivilegeEscalation(true)
                .withReadOnlyRootFilesystem(true)
                .withCapabilities(caps)
                .withNewAppArmorProfile().withType("Unconfined").endAppArmorProfile()
                .build();
    }

    /** Whether the FUSE mount leaves the s3d container (to the host path or to the app containers). */
    public static boolean sharesFuseMount(GatewayModel m, boolean sidecar) {
        if (!m.fuse()) {
            return false;
        }
        return !sidecar && m.mode() != Mode.Sidecar || Boolean.TRUE.equals(m.spec().fuse.shareWithApps);
    }

    /** Environment: every non-file key of the ConfigMap by reference, the Secrets, then the JVM's sizing. */
    public static List<EnvVar> env(GatewayModel m) {
        List<EnvVar> env = new ArrayList<>();
        String cm = ResourceNames.configMap(m.name());
        for (String key : m.configData().keySet()) {
            if (!S3dConfigRenderer.isFileKey(key)) {
                env.add(new EnvVarBuilder().withName(key)
                        .withNewValueFrom().withNewConfigMapKeyRef(key, cm, false).endValueFrom().build());
            }
        }
        S3dGatewaySpec s = m.spec();
        if (s.remote != null && s.remote.credentialsSecret != null) {
            env.add(secretEnv("AWS_ACCESS_KEY_ID", s.remote.credentialsSecret.name, s.remote.credentialsSecret.accessKeyIdKey));
            env.add(secretEnv("AWS_SECRET_ACCESS_KEY", s.remote.credentialsSecret.name, s.remote.credentialsSecret.secretAccessKeyKey));
        }
        if (s.clientCredentials != null) {
            env.add(secretEnv("S3D_ACCESS_KEY_ID", s.clientCredentials.name, s.clientCredentials.accessKeyIdKey));
            env.add(secretEnv("S3D_SECRET_ACCESS_KEY", s.clientCredentials.name, s.clientCredentials.secretAccessKeyKey));
        }
        JvmSizing.env(resources(m)).ifPresent(env::add);
        return env;
    }

    public static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef(key, secret, false).endValueFrom().build();
    }

    static List<VolumeMount> volumeMounts(GatewayModel m, boolean sidecar) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(mount(VOL_DATA, ResourceNames.DATA_DIR, false));
        mounts.add(mount(VOL_TMP, "/tmp", false));
        if (hasFilterFile(m)) {
            mounts.add(mount(VOL_FILTER, ResourceNames.FILTER_DIR, true));
        }
        if (!m.syncFolders().isEmpty()) {
            mounts.add(mount(VOL_CONFIG, ResourceNames.CONFIG_DIR, true));
            for (SyncFolder f : m.syncFolders()) {
                mounts.add(mount(syncVolume(f), ResourceNames.syncMountPath(f.getMetadata().getName()), false));
            }
        }
        if (m.tls()) {
            // the whole Secret as a directory (no subPath): the kubelet swaps in renewed files, s3d reloads them
            mounts.add(mount(VOL_TLS, ResourceNames.TLS_DIR, true));
        }
        if (m.fuse()) {
            VolumeMountBuilder fuse = new VolumeMountBuilder().withName(VOL_FUSE).withMountPath(m.spec().fuse.mountPoint);
            if (sharesFuseMount(m, sidecar)) {
                fuse.withMountPropagation("Bidirectional");
            }
            mounts.add(fuse.build());
        }
        return mounts;
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        VolumeMountBuilder b = new VolumeMountBuilder().withName(name).withMountPath(path);
        if (readOnly) {
            b.withReadOnly(true);
        }
        return b.build();
    }

    public static String syncVolume(SyncFolder f) {
        return "s3d-sync-" + f.getMetadata().getName();
    }

    static boolean hasFilterFile(GatewayModel m) {
        S3dGatewaySpec.FilterSpec f = m.spec().filters;
        return f != null && (f.inline != null || f.configMapRef != null);
    }

    /** Volumes of the s3d pod, or of the sidecar when {@code sidecar} (then always ephemeral data). */
    public static List<Volume> volumes(GatewayModel m, boolean sidecar) {
        List<Volume> volumes = new ArrayList<>();
        if (m.persistent() && !sidecar) {
            volumes.add(new VolumeBuilder().withName(VOL_DATA)
                    .withNewPersistentVolumeClaim(ResourceNames.dataClaim(m.name()), false).build());
        } else {
            volumes.add(new VolumeBuilder().withName(VOL_DATA)
                    .withNewEmptyDir().withSizeLimit(new Quantity(m.spec().storage.size)).endEmptyDir().build());
        }
        volumes.add(new VolumeBuilder().withName(VOL_TMP).withNewEmptyDir().endEmptyDir().build());
        S3dGatewaySpec.FilterSpec f = m.spec().filters;
        if (hasFilterFile(m)) {
            String cm = f.inline != null ? ResourceNames.configMap(m.name()) : f.configMapRef.name;
            String key = f.inline != null ? ResourceNames.FILTER_KEY : f.configMapRef.key;
            volumes.add(new VolumeBuilder().withName(VOL_FILTER)
                    .withNewConfigMap().withName(cm).addNewItem().withKey(key).withPath("policy").endItem().endConfigMap()
                    .build());
        }
        if (!m.syncFolders().isEmpty()) {
            volumes.add(new VolumeBuilder().withName(VOL_CONFIG)
                    .withNewConfigMap().withName(ResourceNames.configMap(m.name()))
                    .addNewItem().withKey(ResourceNames.SYNC_FILE_KEY).withPath(ResourceNames.SYNC_FILE_KEY).endItem()
                    .endConfigMap().build());
            for (SyncFolder sf : m.syncFolders()) {
                volumes.add(new VolumeBuilder().withName(syncVolume(sf))
                        .withNewPersistentVolumeClaim(sf.getSpec().volume.claimName, false).build());
            }
        }
        if (m.tls()) {
            volumes.add(new VolumeBuilder().withName(VOL_TLS)
                    .withNewSecret().withSecretName(m.spec().tls.secretName).endSecret().build());
        }
        if (m.fuse()) {
            String hostPath = sidecar ? null : m.fuseHostPath();
            if (hostPath != null) {
                volumes.add(new VolumeBuilder().withName(VOL_FUSE)
                        .withNewHostPath().withPath(hostPath).withType("DirectoryOrCreate").endHostPath().build());
            } else {
                volumes.add(new VolumeBuilder().withName(VOL_FUSE).withNewEmptyDir().endEmptyDir().build());
            }
        }
        return volumes;
    }
}
