package io.s3d.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.support.LeaseAccess;
import io.quarkus.vertx.http.runtime.options.TlsCertificateReloader;
import io.restassured.RestAssured;

/**
 * The webhook's serving certificate is rotated without a restart: the files behind
 * QUARKUS_HTTP_SSL_CERTIFICATE_FILES change (as when cert-manager renews the mounted Secret) and the
 * operator serves the new certificate after its reload (application.properties sets the period;
 * the test triggers the same reload task instead of waiting a minute).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
@QuarkusTestResource(WebhookCertificateReloadTest.Certificates.class)
class WebhookCertificateReloadTest {

    /** Writes a self-signed certificate and key with openssl and points the HTTPS listener at them. */
    public static class Certificates implements QuarkusTestResourceLifecycleManager {
        static Path dir;

        @Override
        public Map<String, String> start() {
            try {
                dir = Files.createTempDirectory("s3d-webhook-tls");
                issue("first");
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                return Map.of("quarkus.http.ssl.certificate.files", dir.resolve("tls.crt").toString(),
                        "quarkus.http.ssl.certificate.key-files", dir.resolve("tls.key").toString(),
                        "quarkus.http.test-ssl-port", Integer.toString(port));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A new key and certificate, replaced the way the kubelet updates a Secret volume: whole files. */
        static void issue(String cn) {
            try {
                Path key = dir.resolve("new.key");
                Path crt = dir.resolve("new.crt");
                Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=" + cn, "-keyout", key.toString(), "-out", crt.toString()).redirectErrorStream(true).start();
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("openssl failed");
                }
                Files.move(key, dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(crt, dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
        }
    }

    static X509Certificate served() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void aRotatedCertificateIsServedWithoutARestart() throws Exception {
        X509Certificate before = served();
        assertTrue(before.getSubjectX500Principal().getName().contains("CN=first"), before.getSubjectX500Principal().getName());
        BigInteger serial = before.getSerialNumber();

        Certificates.issue("second");
        TlsCertificateReloader.reload().toCompletableFuture().get(30, TimeUnit.SECONDS);

        X509Certificate after = served();
        assertTrue(after.getSubjectX500Principal().getName().contains("CN=second"), after.getSubjectX500Principal().getName());
        assertNotEquals(serial, after.getSerialNumber());
    }

    @Test
    void theWebhookReadinessGroupIsUpWithReadableCertificates() {
        assertEquals(200, RestAssured.get("/q/health/group/webhook").statusCode());
    }
}
