package io.s3d.operator.syncfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A gateway with spec.tls serves its health endpoint over HTTPS only: the operator reads sync
 * progress over HTTPS, trusting the CA of the gateway's TLS Secret and checking the host name.
 * Certificates are made at test time by keytool.
 */
class GatewaySyncProbeTlsTest {
    static final String HEALTH = "{\"status\":\"UP\",\"checks\":[{\"name\":\"sync-folder docs\",\"status\":\"UP\","
            + "\"data\":{\"lastSyncTime\":\"2026-12-07T10:00:00Z\",\"uploaded\":3,\"downloaded\":1,\"conflicts\":0}}]}";

    @TempDir
    Path dir;
    HttpsServer server;
    GatewaySyncProbe probe;

    @BeforeEach
    void start() throws Exception {
        serve("gateway", "ip:127.0.0.1");
    }

    /** An HTTPS server playing the gateway's health endpoint with a self-signed certificate for {@code san}. */
    void serve(String alias, String san) throws Exception {
        Path keystore = keypair(alias, san);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext(GatewaySyncProbe.PATH, ex -> {
            byte[] body = HEALTH.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        // as configured in the operator: the plain-HTTP template; the probe switches to https for TLS gateways
        probe = new GatewaySyncProbe("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void progressIsReadOverHttpsTrustingTheSecretsCa() throws Exception {
        Optional<SyncProgress> p = probe.read("ns", "gw", "docs", pem("gateway"));
        assertTrue(p.isPresent(), "read over https with the gateway's CA");
        assertEquals(3, p.get().uploaded());
    }

    @Test
    void anotherCaOrPlainHttpReadsNothing() throws Exception {
        keypair("stranger", "ip:127.0.0.1");
        assertTrue(probe.read("ns", "gw", "docs", pem("stranger")).isEmpty(), "a certificate the CA did not sign is refused");
        assertTrue(probe.read("ns", "gw", "docs", "").isEmpty(), "a private CA is not in the default trust store");
        assertTrue(probe.read("ns", "gw", "docs").isEmpty(), "plain HTTP against an HTTPS-only gateway");
    }

    @Test
    void theHostNameIsVerified() throws Exception {
        server.stop(0);
        serve("named", "dns:gw.ns.svc"); // trusted, but does not name 127.0.0.1
        assertTrue(probe.read("ns", "gw", "docs", pem("named")).isEmpty());
    }

    @Test
    void theCaComesFromTheTlsSecretsCaCrt() throws Exception {
        String ca = pem("gateway");
        var withCa = new io.fabric8.kubernetes.api.model.SecretBuilder().withType("kubernetes.io/tls")
                .addToData("ca.crt", java.util.Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.US_ASCII)))
                .addToData("tls.crt", "eA==").build();
        assertEquals(ca, SyncFolderReconciler.caPem(withCa));
        var publicCert = new io.fabric8.kubernetes.api.model.SecretBuilder().withType("kubernetes.io/tls").addToData("tls.crt", "eA==").build();
        assertEquals("", SyncFolderReconciler.caPem(publicCert), "no ca.crt: the default trust store");
    }

    Path keypair(String alias, String san) throws Exception {
        Path keystore = dir.resolve(alias + ".p12");
        Files.deleteIfExists(keystore);
        run("-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", alias, "-keyalg", "EC", "-dname", "CN=" + alias, "-ext", "SAN=" + san, "-validity", "2");
        run("-exportcert", "-rfc", "-keystore", keystore.toString(), "-storepass", "changeit", "-alias", alias,
                "-file", dir.resolve(alias + ".pem").toString());
        return keystore;
    }

    String pem(String alias) throws Exception {
        return Files.readString(dir.resolve(alias + ".pem"));
    }

    static void run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
    }
}
