package io.s3d.operator.webhook;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.common.Annotations;
import io.s3d.operator.common.ResourceNames;
import io.s3d.operator.model.GatewayModel;

/**
 * Whether and what to inject into a pod being created. Pure: the gateway lookup is a function, so
 * every outcome is unit-tested without an API server.
 */
public record InjectionDecision(Outcome outcome, String gateway, GatewayModel model, String message) {

    /** The closed set of outcomes; only INJECT produces a patch, only the last two deny. */
    public enum Outcome {
        /** No s3d.io/inject annotation: the pod is admitted untouched. */
        NOT_REQUESTED,
        /** The pod already carries an s3d container (re-invocation, or hand-written). */
        ALREADY_INJECTED,
        INJECT,
        /** Denied: fail closed, a pod that expects S3 at localhost would otherwise start without it. */
        GATEWAY_NOT_FOUND,
        /** Denied: the named gateway's spec breaks a rule. */
        GATEWAY_INVALID
    }

    public boolean allowed() {
        return outcome != Outcome.GATEWAY_NOT_FOUND && outcome != Outcome.GATEWAY_INVALID;
    }

    public static InjectionDecision evaluate(Pod pod, String namespace, Function<String, Optional<S3dGateway>> lookup) {
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        String name = annotations == null ? null : annotations.get(Annotations.INJECT);
        if (name == null || name.isBlank()) {
            return new InjectionDecision(Outcome.NOT_REQUESTED, null, null, "no " + Annotations.INJECT + " annotation");
        }
        name = name.trim();
        if (hasS3dContainer(pod)) {
            return new InjectionDecision(Outcome.ALREADY_INJECTED, name, null, "pod already has an s3d container");
        }
        Optional<S3dGateway> gateway = lookup.apply(name);
        if (gateway.isEmpty()) {
            return new InjectionDecision(Outcome.GATEWAY_NOT_FOUND, name, null,
                    "s3d.io/inject: S3dGateway " + namespace + "/" + name + " not found; create it or remove the annotation");
        }
        GatewayModel model = GatewayModel.from(gateway.get());
        if (!model.valid()) {
            return new InjectionDecision(Outcome.GATEWAY_INVALID, name, model,
                    "s3d.io/inject: S3dGateway " + namespace + "/" + name + " is invalid: " + String.join("; ", model.errors()));
        }
        return new InjectionDecision(Outcome.INJECT, name, model, "inject s3d from S3dGateway " + namespace + "/" + name);
    }

    private static boolean hasS3dContainer(Pod pod) {
        if (pod.getSpec() == null) {
            return false;
        }
        return pod.getSpec().getContainers().stream().map(Container::getName).anyMatch(ResourceNames.CONTAINER::equals)
                || pod.getSpec().getInitContainers().stream().map(Container::getName).anyMatch(ResourceNames.CONTAINER::equals);
    }
}
