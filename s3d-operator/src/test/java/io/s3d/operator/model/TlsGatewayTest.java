package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec.Mode;
import io.s3d.operator.common.Annotations;
import io.s3d.operator.support.Fixtures;

/**
 * spec.tls.secretName: the Secret mounted as a directory, the service's TLS settings pointing into
 * it, HTTPS probes and preStop flush, https endpoints, and no roll when the certificate is renewed.
 */
class TlsGatewayTest {

    static S3dGatewaySpec tlsSpec(Mode mode) {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.mode = mode;
        s.writeQueue.unsafeEphemeralStorage = mode != Mode.Deployment;
        s.tls = new S3dGatewaySpec.TlsSpec();
        s.tls.secretName = "shared-tls";
        return s;
    }

    static GatewayModel model(Mode mode) {
        return GatewayModel.from(Fixtures.gateway("ns", "shared", tlsSpec(mode)));
    }

    @Test
    void theServiceIsToldToServeHttpsFromTheMountedSecret() {
        GatewayModel m = model(Mode.Deployment);
        assertTrue(m.valid(), m.errors().toString());
        Map<String, String> config = m.configData();
        assertEquals("https://0.0.0.0:33333", config.get("S3D_ENDPOINT"));
        assertEquals("/etc/s3d/tls/tls.crt", config.get("S3D_TLS_CERT_FILE"));
        assertEquals("/etc/s3d/tls/tls.key", config.get("S3D_TLS_KEY_FILE"));

        Container c = GatewayResources.s3dContainer(m, false);
        VolumeMount mount = c.getVolumeMounts().stream().filter(v -> v.getName().equals(GatewayResources.VOL_TLS)).findFirst().orElseThrow();
        assertEquals("/etc/s3d/tls", mount.getMountPath());
        assertTrue(mount.getReadOnly());
        assertNull(mount.getSubPath(), "a subPath mount never sees a renewed Secret");
        Volume volume = GatewayResources.podSpec(m).getVolumes().stream()
                .filter(v -> v.getName().equals(GatewayResources.VOL_TLS)).findFirst().orElseThrow();
        assertEquals("shared-tls", volume.getSecret().getSecretName());
        assertTrue(volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty(),
                "the whole Secret: tls.crt and tls.key");
        assertTrue(env(c).containsKey("S3D_TLS_CERT_FILE"), "the container reads the setting from the ConfigMap");
    }

    @Test
    void probesAndThePreStopFlushUseHttps() {
        Container c = GatewayResources.s3dContainer(model(Mode.Deployment), false);
        for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
            assertEquals("HTTPS", p.getHttpGet().getScheme());
            assertEquals("s3", p.getHttpGet().getPort().getStrVal(), "same port");
        }
        String script = c.getLifecycle().getPreStop().getExec().getCommand().get(2);
        assertTrue(script.contains("\"https://127.0.0.1:33333/_s3d/queue/flush?timeout="), script);
        assertTrue(script.contains("curl -fsS -k "), script);
    }

    @Test
    void publishedAndInjectedEndpointsAreHttps() {
        GatewayModel m = model(Mode.Deployment);
        assertEquals("https://shared.ns.svc:33333", m.endpoint());
        assertEquals(33333, GatewayResources.service(m).getSpec().getPorts().get(0).getPort(), "the Service keeps its port");
        assertEquals("https://localhost:33333", model(Mode.Sidecar).endpoint());
    }

    @Test
    void withoutTlsEverythingStaysPlainHttp() {
        GatewayModel m = GatewayModel.from(Fixtures.gateway("ns", "shared", Fixtures.fullSpec()));
        assertEquals("http://0.0.0.0:33333", m.configData().get("S3D_ENDPOINT"));
        assertFalse(m.configData().containsKey("S3D_TLS_CERT_FILE"));
        Container c = GatewayResources.s3dContainer(m, false);
        assertEquals("HTTP", c.getReadinessProbe().getHttpGet().getScheme());
        assertFalse(c.getLifecycle().getPreStop().getExec().getCommand().get(2).contains("-k"));
        assertEquals("http://shared.ns.svc:33333", m.endpoint());
    }

    @Test
    void theInjectedSidecarMountsTheSecretToo() {
        GatewayModel m = model(Mode.Sidecar);
        Container sidecar = GatewayResources.s3dContainer(m, true);
        assertTrue(sidecar.getVolumeMounts().stream().anyMatch(v -> v.getName().equals(GatewayResources.VOL_TLS)
                && v.getMountPath().equals("/etc/s3d/tls")));
        assertTrue(GatewayResources.volumes(m, true).stream().anyMatch(v -> v.getName().equals(GatewayResources.VOL_TLS)
                && "shared-tls".equals(v.getSecret().getSecretName())));
        assertEquals("HTTPS", sidecar.getStartupProbe().getHttpGet().getScheme());
        assertEquals("https://0.0.0.0:33333", m.configData().get("S3D_ENDPOINT"));
    }

    @Test
    void appContainersBesideTheSidecarGetAnHttpsEndpoint() {
        io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("app").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec().build();
        List<io.s3d.operator.webhook.PodPatch.Op> ops = io.s3d.operator.webhook.PodPatch.create(pod, model(Mode.Sidecar));
        EnvVar endpoint = ops.stream().filter(o -> o.path().equals("/spec/containers/0/env"))
                .flatMap(o -> ((List<?>) o.value()).stream()).map(EnvVar.class::cast)
                .filter(e -> e.getName().equals("AWS_ENDPOINT_URL")).findFirst().orElseThrow();
        assertEquals("https://localhost:33333", endpoint.getValue());
    }

    @Test
    void aMissingTlsSecretIsReportedAndABlankNameIsInvalid() {
        S3dGatewaySpec s = tlsSpec(Mode.Deployment);
        SecretInputs secrets = SecretInputs.of(s, name -> name.equals("shared-tls") ? Optional.empty() : Optional.of(creds("b")));
        assertEquals(List.of("shared-tls"), secrets.missing());

        S3dGatewaySpec blank = tlsSpec(Mode.Deployment);
        blank.tls.secretName = " ";
        assertTrue(GatewayModel.from(Fixtures.gateway("ns", "shared", blank)).errors().contains("tls.secretName is required"));
    }

    @Test
    void aRenewedCertificateDoesNotChangeThePodTemplate() {
        S3dGatewaySpec s = tlsSpec(Mode.Deployment);
        Function<String, Optional<Map<String, String>>> v1 = name -> Optional.of(
                name.equals("shared-tls") ? Map.of("tls.crt", "CERT-1", "tls.key", "KEY-1") : creds("b"));
        Function<String, Optional<Map<String, String>>> renewed = name -> Optional.of(
                name.equals("shared-tls") ? Map.of("tls.crt", "CERT-2", "tls.key", "KEY-2") : creds("b"));
        PodTemplateSpec before = template(s, SecretInputs.of(s, v1));
        PodTemplateSpec after = template(s, SecretInputs.of(s, renewed));
        assertEquals(before, after, "s3d reloads the mounted files: a renewal must not roll the pods");
        assertTrue(before.getMetadata().getAnnotations().containsKey(Annotations.SECRET_HASH), "credentials are still hashed");

        S3dGatewaySpec tlsOnly = new S3dGatewaySpec();
        tlsOnly.tls = s.tls;
        assertNull(template(tlsOnly, SecretInputs.of(tlsOnly, v1)).getMetadata().getAnnotations().get(Annotations.SECRET_HASH));
    }

    static PodTemplateSpec template(S3dGatewaySpec spec, SecretInputs secrets) {
        return GatewayResources.podTemplate(GatewayModel.from(Fixtures.gateway("ns", "shared", spec), List.of(), "img", secrets));
    }

    static Map<String, String> creds(String secret) {
        return Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", secret);
    }

    static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, e -> e));
    }
}
