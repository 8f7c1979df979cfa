package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The attacker's pass that needs the packaged service as users run it (issue 14): credentials that
 * silently yield none, a bind host smuggled past the loopback guard, and slowloris clients holding
 * connections open (idle, or dripping header bytes). The in-process pass is {@code io.s3d.api.HostileInputTest} and
 * {@code io.s3d.api.OpenModeTest}; HTTPS is {@code TlsIT}.
 */
class HostileInputIT {
    @TempDir
    Path dir;

    @Test
    void aCredentialsFileWithNoPairStopsStartUpNamingIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty-credentials"), "");
        assertThatThrownBy(() -> ServiceProcess.start(dir.resolve("a"), Map.of("S3D_CREDENTIALS_FILE",
                empty.toString()))).hasMessageContaining("s3d exited with")
                .hasMessageContaining("s3d.credentials-file (S3D_CREDENTIALS_FILE): " + empty + " holds no credentials");
        Path typo = Files.writeString(dir.resolve("typo-credentials"), "[default]\naws_access_key = x\n"
                + "aws_secret_access_key = y\n");
        assertThatThrownBy(() -> ServiceProcess.start(dir.resolve("b"), Map.of("S3D_CREDENTIALS_FILE",
                typo.toString()))).hasMessageContaining("s3d exited with").hasMessageContaining(typo.toString());
    }

    @Test
    void withoutCredentialsAnExplicitQuarkusHostIsNarrowedToLoopback() throws Exception {
        Optional<InetAddress> lan = nonLoopbackAddress();
        try (ServiceProcess s3d = ServiceProcess.start(dir, Map.of("QUARKUS_HTTP_HOST", "0.0.0.0"))) {
            assertThat(s3d.log()).contains("Listen host asked for: 0.0.0.0, used: 127.0.0.1");
            Assumptions.assumeTrue(lan.isPresent(), "no non-loopback address to try");
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(lan.get(), s3d.port()), 3000))
                        .as("s3d must not be reachable on " + lan.get()).isInstanceOf(IOException.class);
            }
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void aSlowlorisClientIsCutOffWhileOthersAreServed() throws Exception {
        Map<String, String> env = Map.of("S3D_ACCESS_KEY_ID", "k", "S3D_SECRET_ACCESS_KEY", "s",
                "S3D_CONNECTIONS_IDLE_TIMEOUT", "2s");
        try (ServiceProcess s3d = ServiceProcess.start(dir, env)) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket socket = new Socket("127.0.0.1", s3d.port());
                    socket.getOutputStream().write(("GET /bucket/key HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    slow.add(socket);
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                        + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                Instant deadline = Instant.now().plusSeconds(30);
                for (Socket socket : slow) {
                    assertThat(closedByServer(socket, deadline)).as("a half-sent request is cut off").isTrue();
                }
                HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                        + "/q/health/live")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(after.statusCode()).isEqualTo(200);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Slowloris proper: clients that feed the idle timer a header line now and then, or never send a
     * byte, are closed once the header timeout has passed, while a signed client is served during the
     * attack; a keep-alive connection waiting between requests for longer than the header timeout is
     * not cut (the idle timeout governs that wait).
     */
    @Test
    void clientsDrippingHeaderBytesAreCutOffAtTheHeaderTimeout() throws Exception {
        Map<String, String> env = Map.of("S3D_ACCESS_KEY_ID", "k", "S3D_SECRET_ACCESS_KEY", "s",
                "S3D_CONNECTIONS_HEADER_TIMEOUT", "2s");
        List<Socket> dripping = new ArrayList<>();
        List<Socket> silent = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try (ServiceProcess s3d = ServiceProcess.start(dir, env); S3Client s3 = signedClient(s3d.endpoint())) {
            s3.createBucket(b -> b.bucket("loris"));
            Instant opened = Instant.now();
            for (int i = 0; i < 100; i++) {
                Socket socket = new Socket("127.0.0.1", s3d.port());
                socket.getOutputStream().write(("GET /loris/key HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                dripping.add(socket);
            }
            for (int i = 0; i < 20; i++) {
                silent.add(new Socket("127.0.0.1", s3d.port()));
            }
            drip.scheduleAtFixedRate(() -> {
                for (Socket socket : dripping) {
                    try {
                        socket.getOutputStream().write("X-Drip: 1\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        // cut off by s3d: what this test waits for
                    }
                }
            }, 300, 300, TimeUnit.MILLISECONDS);

            s3.putObject(b -> b.bucket("loris").key("during"), RequestBody.fromString("served"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("loris").key("during")).asUtf8String()).isEqualTo("served");

            Instant deadline = opened.plusSeconds(2).plusSeconds(15);
            for (Socket socket : dripping) {
                assertThat(closedByServer(socket, deadline)).as("a client dripping header bytes is cut off").isTrue();
            }
            for (Socket socket : silent) {
                assertThat(closedByServer(socket, deadline)).as("a client sending nothing is cut off").isTrue();
            }

            try (Socket keepAlive = new Socket("127.0.0.1", s3d.port())) {
                byte[] live = "GET /q/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                keepAlive.setSoTimeout(10_000);
                keepAlive.getOutputStream().write(live);
                assertThat(statusLine(keepAlive.getInputStream())).startsWith("HTTP/1.1 200");
                Thread.sleep(4_000); // twice the header timeout, well under the idle timeout (60 s)
                keepAlive.getOutputStream().write(live);
                assertThat(statusLine(keepAlive.getInputStream())).as("the second request on a kept-alive connection")
                        .startsWith("HTTP/1.1 200");
            }
        } finally {
            drip.shutdownNow();
            for (Socket socket : dripping) {
                socket.close();
            }
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    private static S3Client signedClient(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .forcePathStyle(true).build();
    }

    /** Reads one response with a Content-Length body off a raw connection; returns its status line. */
    private static String statusLine(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes((int) length);
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** Whether the server closes the connection (end of stream or reset) before the deadline. */
    private static boolean closedByServer(Socket socket, Instant deadline) throws IOException {
        InputStream in = socket.getInputStream();
        while (Instant.now().isBefore(deadline)) {
            socket.setSoTimeout((int) Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true;
            }
        }
        return false;
    }
}
