package io.s3d.operator.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.support.Fixtures;
import io.s3d.operator.support.Golden;

/** AdmissionReview JSON in, AdmissionReview JSON out; the patch is applied to prove it is valid RFC 6902. */
class PodPatchTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void annotatedPodGetsANativeSidecarEndpointAndClientCredentials() throws Exception {
        AdmissionReview out = review("annotated", true);
        assertTrue(out.getResponse().getAllowed());
        assertEquals("705ab4f5-6393-11e8-b7cc-42010a800002", out.getResponse().getUid());
        assertEquals("JSONPatch", out.getResponse().getPatchType());

        Pod pod = patched("annotated", out);
        Container sidecar = pod.getSpec().getInitContainers().get(0);
        assertEquals("s3d", sidecar.getName());
        assertEquals("Always", sidecar.getRestartPolicy(), "native sidecar: starts before and outlives the app");
        assertEquals("/q/health/live", sidecar.getStartupProbe().getHttpGet().getPath());
        Map<String, EnvVar> s3dEnv = env(sidecar);
        assertEquals("edge-config", s3dEnv.get("S3_ENDPOINT").getValueFrom().getConfigMapKeyRef().getName());
        assertEquals("minio-creds", s3dEnv.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName());
        assertEquals("s3d-client", s3dEnv.get("S3D_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName());

        Map<String, EnvVar> app = env(pod.getSpec().getContainers().get(0));
        assertEquals("us-east-1", app.get("AWS_REGION").getValue(), "existing env kept");
        assertEquals("http://localhost:33333", app.get("AWS_ENDPOINT_URL").getValue());
        assertEquals("s3d-client", app.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getName());
        assertEquals("AWS_SECRET_ACCESS_KEY", app.get("AWS_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getKey());
        assertEquals("edge", pod.getMetadata().getAnnotations().get("s3d.io/injected"));
        assertTrue(pod.getSpec().getVolumes().stream().anyMatch(v -> v.getName().equals("s3d-data") && v.getEmptyDir() != null));

        // the exact operations, as the API server receives them
        JsonNode ops = JSON.readTree(Base64.getDecoder().decode(out.getResponse().getPatch()));
        Golden.assertJson("SidecarInjectorTest/annotated/out-patch.json", ops);
    }

    @Test
    void fuseIsSharedWithAppContainersAndExistingSettingsAreKept() throws Exception {
        AdmissionReview out = review("fuse-shared", true);
        Pod pod = patched("fuse-shared", out);

        List<Container> init = pod.getSpec().getInitContainers();
        assertEquals(List.of("s3d", "migrate"), init.stream().map(Container::getName).toList(), "sidecar first");
        Container sidecar = init.get(0);
        assertEquals(true, sidecar.getSecurityContext().getPrivileged(), "Bidirectional propagation needs privileged");
        assertEquals("Bidirectional", sidecar.getVolumeMounts().stream().filter(m -> m.getName().equals("s3d-fuse"))
                .findFirst().orElseThrow().getMountPropagation());

        Container indexer = pod.getSpec().getContainers().get(0);
        assertEquals("HostToContainer", indexer.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/mnt/s3d"))
                .findFirst().orElseThrow().getMountPropagation());
        assertEquals(2, indexer.getVolumeMounts().size());
        Container metrics = pod.getSpec().getContainers().get(1);
        assertEquals("http://elsewhere:9000", env(metrics).get("AWS_ENDPOINT_URL").getValue(), "never overwritten");
        assertEquals(1, metrics.getEnv().stream().filter(e -> e.getName().equals("AWS_ENDPOINT_URL")).count());
        assertEquals(List.of("work", "s3d-data", "s3d-tmp", "s3d-fuse"),
                pod.getSpec().getVolumes().stream().map(v -> v.getName()).toList());
        assertTrue(pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("s3d-fuse")).findFirst().orElseThrow()
                .getEmptyDir() != null, "a sidecar shares FUSE through the pod, not the host");
    }

    @Test
    void podWithoutAnnotationIsAdmittedUntouched() {
        AdmissionReview out = review("not-annotated", false);
        assertTrue(out.getResponse().getAllowed());
        assertEquals("0c8d7a7e-0000-4a4b-9d7e-000000000001", out.getResponse().getUid());
        assertNull(out.getResponse().getPatch());
        assertNull(out.getResponse().getPatchType());
    }

    @Test
    void missingGatewayIsDeniedWithAClearMessage() {
        AdmissionReview in = Serialization.unmarshal(Fixtures.resource("SidecarInjectorTest/annotated/in-AdmissionReview.json"),
                AdmissionReview.class);
        AdmissionReview out = SidecarInjector.answer(in, name -> Optional.empty());
        assertFalse(out.getResponse().getAllowed());
        assertEquals(400, out.getResponse().getStatus().getCode());
        assertEquals("s3d.io/inject: S3dGateway apps/edge not found; create it or remove the annotation",
                out.getResponse().getStatus().getMessage());
        assertNull(out.getResponse().getPatch());
    }

    @Test
    void invalidGatewayIsDenied() {
        AdmissionReview in = Serialization.unmarshal(Fixtures.resource("SidecarInjectorTest/annotated/in-AdmissionReview.json"),
                AdmissionReview.class);
        S3dGateway gw = Fixtures.load("SidecarInjectorTest/annotated/in-S3dGateway.yaml", S3dGateway.class);
        gw.getSpec().remote = null; // write queue without remote
        AdmissionReview out = SidecarInjector.answer(in, name -> Optional.of(gw));
        assertFalse(out.getResponse().getAllowed());
        assertTrue(out.getResponse().getStatus().getMessage().contains("the write queue needs a remote"));
    }

    @Test
    void alreadyInjectedPodIsLeftAlone() {
        AdmissionReview in = Serialization.unmarshal(Fixtures.resource("SidecarInjectorTest/annotated/in-AdmissionReview.json"),
                AdmissionReview.class);
        S3dGateway gw = Fixtures.load("SidecarInjectorTest/annotated/in-S3dGateway.yaml", S3dGateway.class);
        AdmissionReview first = SidecarInjector.answer(in, name -> Optional.of(gw));
        Pod once = applyPatch((Pod) in.getRequest().getObject(), first);
        in.getRequest().setObject(once);
        AdmissionReview second = SidecarInjector.answer(in, name -> Optional.of(gw));
        assertTrue(second.getResponse().getAllowed());
        assertNull(second.getResponse().getPatch(), "reinvocation must not inject twice");
    }

    static AdmissionReview review(String fixture, boolean withGateway) {
        AdmissionReview in = Serialization.unmarshal(Fixtures.resource("SidecarInjectorTest/" + fixture + "/in-AdmissionReview.json"),
                AdmissionReview.class);
        Optional<S3dGateway> gw = withGateway
                ? Optional.of(Fixtures.load("SidecarInjectorTest/" + fixture + "/in-S3dGateway.yaml", S3dGateway.class))
                : Optional.empty();
        // through JSON, as the API server sees the answer
        return Serialization.unmarshal(Serialization.asJson(SidecarInjector.answer(in, name -> gw)), AdmissionReview.class);
    }

    static Pod patched(String fixture, AdmissionReview out) {
        AdmissionReview in = Serialization.unmarshal(Fixtures.resource("SidecarInjectorTest/" + fixture + "/in-AdmissionReview.json"),
                AdmissionReview.class);
        return applyPatch((Pod) in.getRequest().getObject(), out);
    }

    static Pod applyPatch(Pod pod, AdmissionReview out) {
        try {
            JsonNode patch = JSON.readTree(new String(Base64.getDecoder().decode(out.getResponse().getPatch()), StandardCharsets.UTF_8));
            JsonNode result = JsonPatch.apply(patch, JSON.readTree(Serialization.asJson(pod)));
            return Serialization.unmarshal(JSON.writeValueAsString(result), Pod.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, EnvVar> env(Container c) {
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }
}
