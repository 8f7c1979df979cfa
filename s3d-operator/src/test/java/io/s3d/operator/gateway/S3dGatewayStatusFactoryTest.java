package io.s3d.operator.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewayStatus;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.SecretInputs;
import io.s3d.operator.support.Fixtures;

/** Conditions under a fixed Clock: observedGeneration, reasons, and lastTransitionTime that stays put. */
class S3dGatewayStatusFactoryTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-27T10:05:00Z");

    @Test
    void lastTransitionTimeMovesOnlyWhenTheStatusChanges() {
        S3dGateway gw = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        gw.getMetadata().setGeneration(3L);
        GatewayModel model = GatewayModel.from(gw);

        S3dGatewayStatus rolling = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, model, deployment(0), null);
        assertEquals("False", cond(rolling, "Ready").getStatus());
        assertEquals("RollingOut", cond(rolling, "Progressing").getReason());
        assertEquals("0/1 s3d pods ready, 0/1 updated", cond(rolling, "Ready").getMessage());
        assertEquals(3L, cond(rolling, "Ready").getObservedGeneration());
        assertEquals(3L, rolling.observedGeneration);
        // the scale subresource's selector (kubectl scale, HPA)
        assertEquals("app.kubernetes.io/name=s3d,app.kubernetes.io/instance=gw,app.kubernetes.io/component=gateway", rolling.selector);
        gw.setStatus(rolling);

        S3dGatewayStatus ready = new S3dGatewayStatusFactory(Clock.fixed(T1, ZoneOffset.UTC)).reconciled(gw, model, deployment(1), null);
        assertEquals("True", cond(ready, "Ready").getStatus());
        assertEquals(T1.toString(), cond(ready, "Ready").getLastTransitionTime(), "Ready flipped");
        assertEquals(T0.toString(), cond(ready, "Degraded").getLastTransitionTime(), "Degraded stayed False");
        gw.setStatus(ready);

        S3dGatewayStatus again = new S3dGatewayStatusFactory(Clock.fixed(T1.plusSeconds(600), ZoneOffset.UTC))
                .reconciled(gw, model, deployment(1), null);
        assertEquals(io.fabric8.kubernetes.client.utils.Serialization.asJson(ready),
                io.fabric8.kubernetes.client.utils.Serialization.asJson(again), "an unchanged state gives an equal status: no patch");
    }

    @Test
    void aFailedReconcileIsDegradedAndKeepsWhatWasKnown() {
        S3dGateway gw = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        gw.getMetadata().setGeneration(2L);
        S3dGatewayStatus previous = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC))
                .reconciled(gw, GatewayModel.from(gw), deployment(1), null);
        gw.setStatus(previous);

        S3dGatewayStatus failed = new S3dGatewayStatusFactory(Clock.fixed(T1, ZoneOffset.UTC))
                .failed(gw, new RuntimeException("wrapped", new KubernetesClientException("deployments.apps \"gw\" is forbidden")));
        Condition degraded = cond(failed, "Degraded");
        assertEquals("True", degraded.getStatus());
        assertEquals("ReconcileError", degraded.getReason());
        assertEquals("reconcile failed, retrying: deployments.apps \"gw\" is forbidden", degraded.getMessage());
        assertEquals(T1.toString(), degraded.getLastTransitionTime());
        assertEquals("http://gw.ns.svc:33333", failed.endpoint);
        assertEquals(1, failed.readyReplicas);
    }

    @Test
    void degradedWhenTheDeploymentCannotCreatePodsOrStalls() {
        S3dGateway gw = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        gw.getMetadata().setGeneration(1L);
        Deployment rejected = new DeploymentBuilder(deployment(0)).editStatus().addNewCondition().withType("ReplicaFailure")
                .withStatus("True").withReason("FailedCreate")
                .withMessage("pods \"gw-1\" is forbidden: violates PodSecurity \"restricted:latest\": privileged").endCondition()
                .endStatus().build();
        S3dGatewayStatus s = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, GatewayModel.from(gw), rejected, null);
        assertEquals("True", cond(s, "Degraded").getStatus());
        assertEquals("ReplicaFailure", cond(s, "Degraded").getReason());
        assertTrue(cond(s, "Degraded").getMessage().contains("violates PodSecurity"), cond(s, "Degraded").getMessage());
        assertEquals("False", cond(s, "Ready").getStatus());
        assertEquals("False", cond(s, "Progressing").getStatus(), "nothing progresses until the cause is fixed");

        Deployment stalled = new DeploymentBuilder(deployment(0)).editStatus().addNewCondition().withType("Progressing")
                .withStatus("False").withReason("ProgressDeadlineExceeded").withMessage("ReplicaSet \"gw-1\" has timed out progressing.")
                .endCondition().endStatus().build();
        s = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, GatewayModel.from(gw), stalled, null);
        assertEquals("ProgressDeadlineExceeded", cond(s, "Degraded").getReason());
    }

    /** The API server would refuse a status patch whose conditions break the CRD's schema; the mock does not check. */
    @Test
    void everyStatusTheFactoryWritesConformsToTheConditionsSchema() {
        S3dGatewayStatusFactory factory = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC));
        S3dGateway gw = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        gw.getMetadata().setGeneration(1L);
        GatewayModel model = GatewayModel.from(gw);
        Deployment noMessage = new DeploymentBuilder(deployment(0)).editStatus().addNewCondition().withType("ReplicaFailure")
                .withStatus("True").endCondition().endStatus().build();
        List<S3dGatewayStatus> statuses = new java.util.ArrayList<>(List.of(
                factory.reconciled(gw, model, deployment(0), null),
                factory.reconciled(gw, model, deployment(1), null),
                factory.reconciled(gw, model, noMessage, null),
                factory.withServiceMonitor(gw, factory.reconciled(gw, model, deployment(1), null), false, "CrdNotInstalled", "no CRD"),
                factory.failed(gw, new RuntimeException())));
        S3dGateway policy = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        policy.getMetadata().setGeneration(1L);
        policy.getSpec().filters.inline = null;
        policy.getSpec().filters.configMapRef = new io.s3d.operator.api.v1alpha1.S3dGatewaySpec.ConfigMapKeyRef();
        policy.getSpec().filters.configMapRef.name = "p";
        statuses.add(factory.reconciled(policy, GatewayModel.from(policy, null, "img", SecretInputs.NONE,
                n -> Optional.of(Map.of("filter-policy", "cache: [tag:x\n"))), deployment(1), null));
        S3dGateway invalid = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        invalid.getMetadata().setGeneration(1L);
        invalid.getSpec().filters.inline = "nonsense";
        invalid.getSpec().podTemplate = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                "spec: {containers: [{name: s3d, image: x}]}", io.fabric8.kubernetes.api.model.PodTemplateSpec.class);
        statuses.add(factory.invalid(invalid, GatewayModel.from(invalid)));
        invalid.getSpec().podTemplate = null;
        statuses.add(factory.invalid(invalid, GatewayModel.from(invalid)));
        invalid.getSpec().replicas = -1;
        statuses.add(factory.invalid(invalid, GatewayModel.from(invalid)));
        for (S3dGatewayStatus status : statuses) {
            io.s3d.operator.support.ConditionSchema.assertConforms(status.conditions);
        }
        assertEquals(List.of("InvalidFilterRule", "PodTemplateConflict", "InvalidFilterRule", "InvalidSpec"),
                statuses.subList(5, 9).stream().map(st -> cond(st, "Degraded").getReason()).toList());
    }

    @Test
    void degradedWhenAReferencedSecretIsMissing() {
        S3dGateway gw = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        SecretInputs secrets = SecretInputs.of(gw.getSpec(), name -> name.equals("remote-creds")
                ? Optional.of(Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b")) : Optional.empty());
        assertEquals(List.of("client-creds"), secrets.missing());
        GatewayModel model = GatewayModel.from(gw, List.of(), "img", secrets);
        S3dGatewayStatus s = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, model, deployment(1), null);
        assertEquals("SecretNotFound", cond(s, "Degraded").getReason());
        assertTrue(cond(s, "Degraded").getMessage().contains("client-creds"), cond(s, "Degraded").getMessage());
    }

    @Test
    void degradedWhenTheTlsSecretIsMissing() {
        var spec = Fixtures.fullSpec();
        spec.tls = new io.s3d.operator.api.v1alpha1.S3dGatewaySpec.TlsSpec();
        spec.tls.secretName = "gw-tls";
        S3dGateway gw = Fixtures.gateway("ns", "gw", spec);
        SecretInputs secrets = SecretInputs.of(gw.getSpec(), name -> name.equals("gw-tls")
                ? Optional.empty() : Optional.of(Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b")));
        GatewayModel model = GatewayModel.from(gw, List.of(), "img", secrets);
        S3dGatewayStatus s = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, model, deployment(1), null);
        assertEquals("True", cond(s, "Degraded").getStatus());
        assertEquals("SecretNotFound", cond(s, "Degraded").getReason());
        assertTrue(cond(s, "Degraded").getMessage().contains("gw-tls"), cond(s, "Degraded").getMessage());
        assertEquals("https://gw.ns.svc:33333", s.endpoint, "the published endpoint is https");
    }

    @Test
    void readyOnlyOnceTheDeploymentObservedTheCurrentGeneration() {
        S3dGateway gw = Fixtures.gateway("ns", "gw", Fixtures.fullSpec());
        Deployment behind = new DeploymentBuilder(deployment(1)).editMetadata().withGeneration(4L).endMetadata()
                .editStatus().withObservedGeneration(3L).endStatus().build();
        S3dGatewayStatus s = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, GatewayModel.from(gw), behind, null);
        assertEquals("False", cond(s, "Ready").getStatus(), "1/1 ready, but of the previous pod template");
        assertEquals("True", cond(s, "Progressing").getStatus());
        Deployment caughtUp = new DeploymentBuilder(behind).editStatus().withObservedGeneration(4L).endStatus().build();
        s = new S3dGatewayStatusFactory(Clock.fixed(T0, ZoneOffset.UTC)).reconciled(gw, GatewayModel.from(gw), caughtUp, null);
        assertEquals("True", cond(s, "Ready").getStatus());
    }

    @Test
    void aRotatedSecretKeyChangesThePodTemplate() {
        var spec = Fixtures.fullSpec();
        java.util.function.Function<String, Optional<Map<String, String>>> v1 = n -> Optional.of(
                Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b", "unused", "x"));
        java.util.function.Function<String, Optional<Map<String, String>>> rotated = n -> Optional.of(
                Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", n.equals("remote-creds") ? "b2" : "b", "unused", "x"));
        java.util.function.Function<String, Optional<Map<String, String>>> unusedChanged = n -> Optional.of(
                Map.of("AWS_ACCESS_KEY_ID", "a", "AWS_SECRET_ACCESS_KEY", "b", "unused", "y"));
        String h1 = annotation(spec, SecretInputs.of(spec, v1));
        assertEquals(16, h1.length());
        org.junit.jupiter.api.Assertions.assertNotEquals(h1, annotation(spec, SecretInputs.of(spec, rotated)));
        assertEquals(h1, annotation(spec, SecretInputs.of(spec, unusedChanged)), "keys the pods do not read do not roll them");
    }

    static String annotation(io.s3d.operator.api.v1alpha1.S3dGatewaySpec spec, SecretInputs secrets) {
        GatewayModel m = GatewayModel.from(Fixtures.gateway("ns", "gw", spec), List.of(), "img", secrets);
        return io.s3d.operator.model.GatewayResources.deployment(m).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(io.s3d.operator.common.Annotations.SECRET_HASH);
    }

    static Deployment deployment(int ready) {
        return new DeploymentBuilder().withNewMetadata().withName("gw").endMetadata()
                .withNewStatus().withReplicas(1).withReadyReplicas(ready).withUpdatedReplicas(ready).endStatus().build();
    }

    static Condition cond(S3dGatewayStatus s, String type) {
        return s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
