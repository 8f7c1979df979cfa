package io.s3d.operator.syncfolder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.s3d.operator.common.ResourceNames;

/**
 * Reads sync progress from a gateway's s3d: {@code GET /q/health/group/sync} on the gateway's
 * Service, one check per folder named {@code sync-folder <name>}. The health endpoints need no
 * credentials (they serve the kubelet's probes too), so the operator never reads client secrets.
 * An unreachable gateway yields nothing: the status keeps its last counts. A gateway with spec.tls
 * is read over HTTPS, trusting the CA of its TLS Secret ({@code ca.crt}, as cert-manager's CA issuers
 * write it) or, without one, the JVM's default trust store; the host name is verified.
 */
@ApplicationScoped
public class GatewaySyncProbe {
    private static final Logger LOG = Logger.getLogger(GatewaySyncProbe.class);
    static final String PATH = "/q/health/group/sync";

    private final String urlTemplate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    public GatewaySyncProbe(@ConfigProperty(name = "s3d.operator.gateway-url",
            defaultValue = "http://{gateway}.{namespace}.svc:" + ResourceNames.S3_PORT) String urlTemplate) {
        this.urlTemplate = urlTemplate;
    }

    /** The progress of {@code folder} as the gateway's pod reports it, or empty when it cannot be read. */
    public Optional<SyncProgress> read(String namespace, String gateway, String folder) {
        return read(namespace, gateway, folder, null);
    }

    /**
     * As {@link #read(String, String, String)}; {@code tlsCaPem} non-null: the gateway serves HTTPS,
     * trust the PEM CA certificate(s) in it, or the JVM's default trust store when it is empty.
     */
    public Optional<SyncProgress> read(String namespace, String gateway, String folder, String tlsCaPem) {
        String base = urlTemplate.replace("{gateway}", gateway).replace("{namespace}", namespace);
        HttpClient http = this.http;
        if (tlsCaPem != null) {
            base = base.startsWith("http://") ? "https://" + base.substring("http://".length()) : base;
            try {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(trusting(tlsCaPem)).build();
            } catch (GeneralSecurityException | IOException e) {
                LOG.debugf("sync status of %s/%s: unusable ca.crt in the TLS Secret: %s", namespace, gateway, e.toString());
                return Optional.empty();
            }
        }
        URI uri = URI.create(base + PATH);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            // 503 is the answer when a check is DOWN: its body still carries every check.
            if (response.statusCode() != 200 && response.statusCode() != 503) {
                LOG.debugf("sync status of %s/%s: HTTP %d from %s", namespace, gateway, response.statusCode(), uri);
                return Optional.empty();
            }
            return parse(response.body(), folder);
        } catch (IOException e) {
            LOG.debugf("sync status of %s/%s unreachable at %s: %s", namespace, gateway, uri, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** An SSL context trusting the PEM certificates in {@code caPem}, or the JVM's default one when it is empty. */
    static SSLContext trusting(String caPem) throws GeneralSecurityException, IOException {
        if (caPem.isBlank()) {
            return SSLContext.getDefault();
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
            trust.setCertificateEntry("ca-" + i++, c);
        }
        if (i == 0) {
            throw new GeneralSecurityException("no certificate in ca.crt");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** The folder's check in a MicroProfile Health answer, if present. */
    Optional<SyncProgress> parse(String body, String folder) throws IOException {
        JsonNode checks = json.readTree(body).path("checks");
        for (JsonNode check : checks) {
            if (!("sync-folder " + folder).equals(check.path("name").asText())) {
                continue;
            }
            JsonNode data = check.path("data");
            return Optional.of(new SyncProgress("UP".equals(check.path("status").asText()),
                    text(data, "lastSyncTime"), data.path("uploaded").asLong(), data.path("downloaded").asLong(),
                    data.path("conflicts").asLong(), text(data, "lastError")));
        }
        return Optional.empty();
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
