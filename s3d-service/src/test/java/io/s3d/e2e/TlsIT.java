package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS end to end (issue 14): the packaged s3d with a PEM pair or a PKCS#12 keystore made at test
 * time, the AWS CLI with {@code --ca-bundle}, boto3 with {@code verify=}, plain HTTP refused or
 * redirected, and a renewed certificate served without a restart.
 */
class TlsIT {
    static final Map<String, String> CREDENTIALS = Map.of("S3D_ACCESS_KEY_ID", "tls-key", "S3D_SECRET_ACCESS_KEY",
            "tls-secret");

    @TempDir
    Path dir;

    /** A self-signed certificate for localhost and 127.0.0.1 with subject CN {@code name}. */
    private void certificate(Path cert, Path key, String name) throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out",
                cert.toString());
    }

    private static String run(String... command) throws Exception {
        return run(Map.of(), command);
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static HttpClient client(Path pem) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(pem)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private ServiceProcess startPem(Path cert, Path key, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(CREDENTIALS);
        env.put("S3D_TLS_CERT_FILE", cert.toString());
        env.put("S3D_TLS_KEY_FILE", key.toString());
        env.putAll(extra);
        return ServiceProcess.start(dir.resolve("store"), env, "https", client(cert));
    }

    private static Map<String, String> awsEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", "tls-key", "AWS_SECRET_ACCESS_KEY", "tls-secret", "AWS_DEFAULT_REGION",
                "us-east-1", "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    private static boolean has(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theAwsCliAndBoto3WorkOverHttpsWithTheCaBundle() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate(cert, key, "s3d-test");
        try (ServiceProcess s3d = startPem(cert, key, Map.of())) {
            String endpoint = "https://localhost:" + s3d.port();
            Path file = Files.writeString(dir.resolve("hello.txt"), "hello over tls");
            Assumptions.assumeTrue(has("aws"), "the AWS CLI is not installed");
            run(awsEnv(), "aws", "--endpoint-url", endpoint, "--ca-bundle", cert.toString(), "s3", "mb", "s3://tls");
            run(awsEnv(), "aws", "--endpoint-url", endpoint, "--ca-bundle", cert.toString(), "s3", "cp",
                    file.toString(), "s3://tls/hello.txt");
            assertThat(run(awsEnv(), "aws", "--endpoint-url", endpoint, "--ca-bundle", cert.toString(), "s3", "cp",
                    "s3://tls/hello.txt", "-")).contains("hello over tls");
            // Without the bundle the certificate is not trusted: TLS is really verified.
            ProcessBuilder untrusted = new ProcessBuilder("aws", "--endpoint-url", endpoint, "s3", "ls")
                    .redirectErrorStream(true);
            untrusted.environment().putAll(awsEnv());
            Process p = untrusted.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isNotZero();
            assertThat(out).containsIgnoringCase("certificate");

            String python = """
                    import boto3, sys
                    s3 = boto3.client('s3', endpoint_url=sys.argv[1], verify=sys.argv[2], region_name='us-east-1',
                        aws_access_key_id='tls-key', aws_secret_access_key='tls-secret')
                    s3.put_object(Bucket='tls', Key='boto3.txt', Body=b'from boto3')
                    print(s3.get_object(Bucket='tls', Key='hello.txt')['Body'].read().decode())
                    """;
            assertThat(run(awsEnv(), "python3", "-c", python, endpoint, cert.toString())).contains("hello over tls");
            HttpResponse<String> listing = client(cert).send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                    + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listing.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void plainHttpIsRefusedByDefaultAndCanRedirect() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate(cert, key, "s3d-test");
        int httpPort = ServiceProcess.freePort();
        try (ServiceProcess s3d = startPem(cert, key, Map.of())) {
            // Plain HTTP on the TLS port gets no answer: a TLS handshake is expected.
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s3d.port()
                    + "/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
        try (ServiceProcess s3d = startPem(cert, key, Map.of("S3D_TLS_INSECURE_REQUESTS", "redirect",
                "S3D_TLS_HTTP_PORT", Integer.toString(httpPort)))) {
            HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/bucket/key")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.statusCode()).isIn(301, 302, 307, 308);
            assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).startsWith("https://").contains(":" + s3d.port() + "/bucket/key"));
        }
    }

    @Test
    void aPkcs12KeystoreServesToo() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate(cert, key, "s3d-p12");
        Path p12 = dir.resolve("s3d.p12");
        run("openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
                "-passout", "pass:changeit");
        Map<String, String> env = new HashMap<>(CREDENTIALS);
        env.put("S3D_TLS_KEYSTORE_FILE", p12.toString());
        env.put("S3D_TLS_KEYSTORE_PASSWORD", "changeit");
        try (ServiceProcess s3d = ServiceProcess.start(dir.resolve("store"), env, "https", client(cert))) {
            assertThat(served(s3d.port()).getSubjectX500Principal().getName()).contains("CN=s3d-p12");
        }
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        // A mounted Secret as the kubelet lays it out: tls.crt and tls.key are links through ..data,
        // and a renewal swaps ..data in one rename, so the pair never changes one file at a time.
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Path first = Files.createDirectories(secret.resolve("..2026_first"));
        certificate(first.resolve("tls.crt"), first.resolve("tls.key"), "first");
        Files.createSymbolicLink(secret.resolve("..data"), first.getFileName());
        Path cert = Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Path key = Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        try (ServiceProcess s3d = startPem(cert, key, Map.of("S3D_TLS_RELOAD_PERIOD", "1s"))) {
            assertThat(servedAcrossAReload(s3d.port()).getSubjectX500Principal().getName()).contains("CN=first");
            Path renewed = Files.createDirectories(secret.resolve("..2026_renewed"));
            certificate(renewed.resolve("tls.crt"), renewed.resolve("tls.key"), "renewed");
            Path swap = Files.createSymbolicLink(secret.resolve("..data_tmp"), renewed.getFileName());
            Files.move(swap, secret.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Instant deadline = Instant.now().plusSeconds(30);
            String subject = "";
            while (Instant.now().isBefore(deadline) && !subject.contains("CN=renewed")) {
                Thread.sleep(500);
                subject = servedAcrossAReload(s3d.port()).getSubjectX500Principal().getName();
            }
            assertThat(subject).as(s3d.log()).contains("CN=renewed");
            assertThat(s3d.process().isAlive()).isTrue();
        }
    }

    @Test
    void anHttpsEndpointWithoutACertificateStopsStartUp() {
        assertThatThrownBy(() -> ServiceProcess.start(dir.resolve("store"), CREDENTIALS, "https",
                HttpClient.newHttpClient())).hasMessageContaining("s3d exited with")
                .hasMessageContaining("S3D_TLS_CERT_FILE");
    }

    /**
     * {@link #served} as a client that retries sees it while the server reloads its certificate every
     * second: a handshake under way while Vert.x swaps its TLS options can be cut (seen right after
     * start-up on a loaded machine), and the next one is served.
     */
    private static X509Certificate servedAcrossAReload(int port) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return served(port);
            } catch (javax.net.ssl.SSLException cut) {
                if (attempt == 3) {
                    throw cut;
                }
                Thread.sleep(300);
            }
        }
    }

    /** The certificate the server presents, whatever it is (this probe trusts anything). */
    private static X509Certificate served(int port) throws Exception {
        SSLContext any = SSLContext.getInstance("TLS");
        any.init(null, new javax.net.ssl.TrustManager[] { new javax.net.ssl.X509TrustManager() {
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
        } }, null);
        try (SSLSocket socket = (SSLSocket) any.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
