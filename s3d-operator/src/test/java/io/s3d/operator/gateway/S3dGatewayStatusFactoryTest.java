package io.s3d.operator.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewayStatus;
import io.s3d.operator.model.GatewayModel;
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

    static Deployment deployment(int ready) {
        return new DeploymentBuilder().withNewMetadata().withName("gw").endMetadata()
                .withNewStatus().withReplicas(1).withReadyReplicas(ready).withUpdatedReplicas(ready).endStatus().build();
    }

    static Condition cond(S3dGatewayStatus s, String type) {
        return s.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }
}
