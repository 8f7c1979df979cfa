package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.Fixtures;

/** spec.podTemplate: merged over the rendered pods as a strategic merge patch, refused where it sets what the operator owns. */
class PodTemplateOverlayTest {

    static PodTemplateSpec template(String yaml) {
        return Serialization.unmarshal(yaml, PodTemplateSpec.class);
    }

    static GatewayModel model(S3dGatewaySpec s) {
        return GatewayModel.from(Fixtures.gateway("ns", "gw", s));
    }

    static PodTemplateSpec pod(S3dGatewaySpec s) {
        GatewayModel m = model(s);
        assertTrue(m.valid(), () -> "valid: " + m.errors());
        return GatewayResources.deployment(m).getSpec().getTemplate();
    }

    @Test
    void aTemplateAddsContainersVolumesEnvAndPlacementAndOverridesWhatItNames() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.tolerations = List.of(new io.fabric8.kubernetes.api.model.TolerationBuilder().withKey("old").withOperator("Exists").build());
        s.nodeSelector = Map.of("disk", "ssd");
        s.podTemplate = template("""
                metadata:
                  labels: {team: data, app.kubernetes.io/instance: hijack}
                  annotations: {fluentbit.io/parser: json}
                spec:
                  nodeSelector: {zone: a}
                  tolerations: [{key: dedicated, operator: Equal, value: s3d, effect: NoSchedule}]
                  runtimeClassName: gvisor
                  containers:
                  - name: s3d
                    env: [{name: JAVA_OPTS, value: -XX:+UseZGC}]
                    resources: {limits: {memory: 2Gi}}
                    volumeMounts: [{name: ca, mountPath: /etc/ssl/extra, readOnly: true}]
                  - name: log-shipper
                    image: fluent/fluent-bit:3.0
                  volumes:
                  - name: ca
                    configMap: {name: corporate-ca}
                """);
        PodTemplateSpec pod = pod(s);

        List<String> containers = pod.getSpec().getContainers().stream().map(Container::getName).toList();
        assertEquals(List.of("s3d", "log-shipper"), containers, "containers merged by name, new ones appended");
        Container s3d = pod.getSpec().getContainers().get(0);
        Map<String, EnvVar> env = s3d.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("-XX:+UseZGC", env.get("JAVA_OPTS").getValue(), "env merged by name");
        assertEquals("remote-creds", env.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName(), "the operator's env kept");
        assertEquals("2Gi", s3d.getResources().getLimits().get("memory").toString());
        assertEquals("256Mi", s3d.getResources().getRequests().get("memory").toString(), "resources merged key by key");
        assertEquals("ghcr.io/s3d-io/s3d:0.1.0", s3d.getImage());
        assertEquals("/q/health/ready", s3d.getReadinessProbe().getHttpGet().getPath());
        List<String> mounts = s3d.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();
        assertTrue(mounts.contains("/var/lib/s3d") && mounts.contains("/etc/ssl/extra"), "mounts merged by path: " + mounts);
        List<String> volumes = pod.getSpec().getVolumes().stream().map(Volume::getName).toList();
        assertTrue(volumes.contains("s3d-data") && volumes.contains("ca"), "volumes merged by name: " + volumes);

        assertEquals(Map.of("disk", "ssd", "zone", "a"), pod.getSpec().getNodeSelector(), "maps merged key by key");
        assertEquals(List.of("dedicated"), pod.getSpec().getTolerations().stream().map(Toleration::getKey).toList(),
                "tolerations have no merge key in Kubernetes: the template's list replaces");
        assertEquals("gvisor", pod.getSpec().getRuntimeClassName());
        assertEquals("data", pod.getMetadata().getLabels().get("team"));
        assertEquals("gw", pod.getMetadata().getLabels().get("app.kubernetes.io/instance"), "the selector labels win");
        assertEquals("json", pod.getMetadata().getAnnotations().get("fluentbit.io/parser"));
        assertEquals(16, pod.getMetadata().getAnnotations().get("s3d.io/config-hash").length());
    }

    @Test
    void withFuseTheOneReplicaPerNodeAntiAffinityStaysWhateverTheTemplateSays() {
        S3dGatewaySpec s = FuseDeliveryTest.fuse(S3dGatewaySpec.Mode.Deployment);
        s.podTemplate = template("""
                spec:
                  affinity:
                    podAntiAffinity:
                      requiredDuringSchedulingIgnoredDuringExecution:
                      - topologyKey: topology.kubernetes.io/zone
                        labelSelector: {matchLabels: {app: db}}
                """);
        var terms = pod(s).getSpec().getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertEquals(List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), terms.stream().map(t -> t.getTopologyKey()).toList());
    }

    @Test
    void whatTheOperatorOwnsIsRefusedNamingEachField() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.podTemplate = template("""
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: s3d
                    image: evil/s3d:latest
                    args: [--debug]
                    readinessProbe: {exec: {command: ["true"]}}
                    env: [{name: S3D_WRITE_QUEUE, value: "false"}, {name: EXTRA, value: ok}]
                    volumeMounts: [{name: x, mountPath: /var/lib/s3d}]
                  volumes:
                  - name: s3d-data
                    emptyDir: {}
                """);
        GatewayModel m = model(s);
        assertFalse(m.valid());
        assertEquals("PodTemplateConflict", m.invalidReason());
        assertEquals(List.of(
                "podTemplate.spec.terminationGracePeriodSeconds: set spec.terminationGracePeriodSeconds (the preStop flush and the write queue's drain are split from it)",
                "podTemplate.spec.volumes[s3d-data]: volume names starting with s3d- are the operator's",
                "podTemplate.spec.containers[s3d].image: set spec.image",
                "podTemplate.spec.containers[s3d].args: the operator's (s3d's health, ports and preStop flush depend on it)",
                "podTemplate.spec.containers[s3d].readinessProbe: the operator's (s3d's health, ports and preStop flush depend on it)",
                "podTemplate.spec.containers[s3d].env[S3D_WRITE_QUEUE]: set by the operator from the gateway's spec",
                "podTemplate.spec.containers[s3d].volumeMounts[/var/lib/s3d]: the operator mounts its own volume there"), m.errors());
    }

    @Test
    void aSidecarGatewayHasNoPodsOfItsOwnToTemplate() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.mode = S3dGatewaySpec.Mode.Sidecar;
        s.podTemplate = template("spec: {runtimeClassName: gvisor}");
        assertEquals(List.of(S3dGatewaySpec.POD_TEMPLATE_NOT_FOR_SIDECAR), model(s).errors());
    }

    @Test
    void noTemplateLeavesTheRenderedPodUntouched() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        PodTemplateSpec rendered = pod(s);
        s.podTemplate = template("metadata: {}");
        assertEquals(Serialization.asYaml(rendered), Serialization.asYaml(pod(s)));
    }
}
