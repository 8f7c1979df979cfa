package io.s3d.operator.common;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Writes core/v1 Events on our custom resources so `kubectl describe` shows what went wrong. */
@ApplicationScoped
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    @Inject
    KubernetesClient client;

    @Inject
    Clock clock;

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = Instant.now(clock).toString();
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata()
                    .withGenerateName(about.getMetadata().getName() + ".")
                    .withNamespace(about.getMetadata().getNamespace())
                    .withLabels(java.util.Map.of(Labels.MANAGED_BY, Labels.OPERATOR))
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion())
                            .withKind(about.getKind())
                            .withName(about.getMetadata().getName())
                            .withNamespace(about.getMetadata().getNamespace())
                            .withUid(about.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(Labels.OPERATOR).endSource()
                    .build()).create();
        } catch (RuntimeException e) {
            // an Event is a courtesy: never fail a reconcile because it could not be written
            LOG.warnf("could not record event %s on %s/%s: %s", reason, about.getKind(), about.getMetadata().getName(), e.getMessage());
        }
    }
}
