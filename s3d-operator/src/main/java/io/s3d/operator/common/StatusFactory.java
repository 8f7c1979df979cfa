package io.s3d.operator.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Builds conditions following the Kubernetes API conventions. lastTransitionTime moves only when a
 * condition's status changes, so an unchanged state yields an equal status and no patch.
 */
public class StatusFactory {
    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private final Clock clock;

    public StatusFactory(Clock clock) {
        this.clock = clock;
    }

    /** A condition carrying over lastTransitionTime from {@code previous} when its status is unchanged. */
    public Condition condition(List<Condition> previous, String type, boolean status, String reason, String message,
            Long observedGeneration) {
        String statusText = status ? "True" : "False";
        String transition = previous == null ? null
                : previous.stream()
                        .filter(c -> type.equals(c.getType()) && statusText.equals(c.getStatus()))
                        .map(Condition::getLastTransitionTime)
                        .filter(Objects::nonNull)
                        .findFirst().orElse(null);
        if (transition == null) {
            transition = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        }
        return new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message == null ? "" : message) // required by the conditions schema (metav1.Condition)
                .withObservedGeneration(observedGeneration)
                .withLastTransitionTime(transition)
                .build();
    }

    /** The three conditions every resource reports (Ready, Progressing, Degraded), in that order. */
    public List<Condition> readyProgressingDegraded(List<Condition> previous, Long observedGeneration,
            boolean ready, String readyReason, String readyMessage,
            boolean progressing, String progressingReason, String progressingMessage,
            boolean degraded, String degradedReason, String degradedMessage) {
        return List.of(
                condition(previous, READY, ready, readyReason, readyMessage, observedGeneration),
                condition(previous, PROGRESSING, progressing, progressingReason, progressingMessage, observedGeneration),
                condition(previous, DEGRADED, degraded, degradedReason, degradedMessage, observedGeneration));
    }
}
