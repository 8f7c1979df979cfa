package io.s3d.operator.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.HealthGroup;

/**
 * Readiness of the webhook alone ({@code /q/health/group/webhook}), which the operator Deployment's
 * readiness probe uses: a replica that is not the leader runs no controllers (QOSDK's readiness
 * check may then report them not started) yet must stay in the webhook Service. The webhook can
 * answer when its serving certificate and key are readable.
 */
@HealthGroup(WebhookReadiness.GROUP)
@ApplicationScoped
public class WebhookReadiness implements HealthCheck {
    public static final String GROUP = "webhook";

    @ConfigProperty(name = "quarkus.http.ssl.certificate.files")
    Optional<List<Path>> certificates;

    @ConfigProperty(name = "quarkus.http.ssl.certificate.key-files")
    Optional<List<Path>> keys;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("webhook-tls");
        if (certificates.isEmpty()) {
            return r.down().withData("reason", "no serving certificate configured (QUARKUS_HTTP_SSL_CERTIFICATE_FILES)").build();
        }
        boolean readable = certificates.get().stream().allMatch(Files::isReadable)
                && keys.orElse(List.of()).stream().allMatch(Files::isReadable);
        return r.status(readable).withData("certificate", certificates.get().toString()).build();
    }
}
