package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https endpoint with a private certificate authority (a self-signed s3d): the CLI trusts it
 * when given the CA bundle ({@code --ca-bundle} or {@code AWS_CA_BUNDLE}, as the AWS CLI does), and
 * refuses it otherwise. The certificate is made at test time with openssl.
 */
class TlsEndpointTest {
    @TempDir
    static Path dir;
    static HttpsServer server;
    static String endpoint;
    static Path caBundle;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        caBundle = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path p12 = dir.resolve("server.p12");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out",
                caBundle.toString());
        run("openssl", "pkcs12", "-export", "-in", caBundle.toString(), "-inkey", key.toString(), "-out",
                p12.toString(), "-passout", "pass:secret");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(p12.toFile())) {
            store.load(in, "secret".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "secret".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult><Owner><ID>o</ID>"
                    + "</Owner><Buckets><Bucket><Name>over-tls</Name><CreationDate>2026-01-01T00:00:00.000Z"
                    + "</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        endpoint = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
    }

    private static Cli cli() {
        return new Cli().env("S3D_ENDPOINT", endpoint).env("S3D_ACCESS_KEY_ID", "k").env("S3D_SECRET_ACCESS_KEY", "s");
    }

    @Test
    void theCaBundleOptionTrustsThePrivateCertificate() {
        Cli.Result r = cli().run("ls", "--ca-bundle", caBundle.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("over-tls"), r.toString());
    }

    @Test
    void theAwsCaBundleVariableWorksToo() {
        Cli.Result r = cli().env("AWS_CA_BUNDLE", caBundle.toString()).run("ls");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("over-tls"), r.toString());
    }

    @Test
    void withoutTheBundleTheCertificateIsRefused() {
        Cli.Result r = cli().run("ls");
        assertNotEquals(0, r.exit(), r.toString());
    }
}
