package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.fabric8.kubernetes.api.model.Container;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.common.ResourceNames;
import io.s3d.operator.support.Fixtures;

/**
 * The preStop hook as the kubelet runs it: the rendered command, executed by sh with curl (both in
 * the s3d image), against a local server playing s3d's admin endpoint. Proves the request is the
 * flush s3d answers (POST /_s3d/queue/flush with the timeout), SigV4-signed with the client
 * credentials when the container has them, and that the timings fit the grace period.
 */
class PreStopFlushTest {
    record Seen(String method, String uri, String authorization, String contentSha) {
    }

    HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile int answer = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("x-amz-content-sha256")));
            byte[] body = "{\"flushed\":true}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(answer, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static GatewayModel queued(Long grace) {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.terminationGracePeriodSeconds = grace;
        return GatewayModel.from(Fixtures.gateway("ns", "gw", s));
    }

    int run(GatewayModel m, Map<String, String> env) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")), "curl not installed");
        Container c = GatewayResources.s3dContainer(m, false);
        List<String> command = new ArrayList<>(c.getLifecycle().getPreStop().getExec().getCommand());
        String script = command.get(2);
        command.set(2, script.replace("127.0.0.1:" + ResourceNames.S3_PORT, "127.0.0.1:" + server.getAddress().getPort()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("S3D_ACCESS_KEY_ID");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "preStop hook hung");
        return p.exitValue();
    }

    @Test
    void theHookPostsASignedFlushWithTheClientCredentials() throws Exception {
        assertEquals(0, run(queued(null), Map.of("S3D_ACCESS_KEY_ID", "AKIDEXAMPLE", "S3D_SECRET_ACCESS_KEY", "secret")));
        Seen s = seen.get(0);
        assertEquals("POST", s.method());
        assertEquals("/_s3d/queue/flush?timeout=27s", s.uri());
        assertTrue(s.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), s.authorization());
        assertTrue(s.authorization().contains("/us-east-1/s3/aws4_request"), s.authorization());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", s.contentSha());
    }

    /**
     * With spec.tls the hook speaks HTTPS to a certificate that does not name 127.0.0.1 (here a
     * self-signed one for the Service's name, made at test time): -k lets the flush through.
     */
    @Test
    void overTlsTheHookFlushesThroughHttpsDespiteTheCertificateName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("gw.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "gw", "-keyalg", "EC", "-dname", "CN=gw.ns.svc", "-ext", "SAN=dns:gw.ns.svc", "-validity", "2")
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, new String(keytool.getInputStream().readAllBytes()));
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server.stop(0);
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ssl));
        https.createContext("/", ex -> {
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), null, null));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        https.start();
        server = https;

        S3dGatewaySpec s = Fixtures.fullSpec();
        s.tls = new S3dGatewaySpec.TlsSpec();
        s.tls.secretName = "gw-tls";
        assertEquals(0, run(GatewayModel.from(Fixtures.gateway("ns", "gw", s)), Map.of()));
        assertEquals("POST", seen.get(0).method());
        assertEquals("/_s3d/queue/flush?timeout=27s", seen.get(0).uri());
    }

    @Test
    void withoutClientCredentialsTheFlushIsUnsigned() throws Exception {
        assertEquals(0, run(queued(null), Map.of()));
        assertEquals("POST", seen.get(0).method());
        assertNull(seen.get(0).authorization());
    }

    @Test
    void aFlushThatTimesOutFailsTheHook() throws Exception {
        answer = 504; // s3d: not flushed within the timeout; the kubelet records FailedPreStopHook
        assertNotEquals(0, run(queued(null), Map.of()));
    }

    @Test
    void flushAndDrainFitTheGracePeriod() {
        for (long grace : new long[] {10, 30, 60, 600}) {
            GatewayModel m = queued(grace);
            assertTrue(m.preStopFlushSeconds() + m.queueShutdownGraceSeconds() + GatewayModel.SHUTDOWN_RESERVE_SECONDS <= grace,
                    "grace " + grace);
            assertEquals(grace, GatewayResources.podSpec(m).getTerminationGracePeriodSeconds());
            assertEquals(m.queueShutdownGraceSeconds() + "s", m.configData().get("S3D_WRITE_QUEUE_SHUTDOWN_GRACE"));
        }
        assertEquals(27, queued(null).preStopFlushSeconds());
        assertEquals(28, queued(null).queueShutdownGraceSeconds());
    }

    @Test
    void noWriteQueueNoHook() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        GatewayModel m = GatewayModel.from(Fixtures.gateway("ns", "gw", s));
        assertNull(GatewayResources.s3dContainer(m, false).getLifecycle());
        assertNull(m.configData().get("S3D_WRITE_QUEUE_SHUTDOWN_GRACE"));
    }
}
