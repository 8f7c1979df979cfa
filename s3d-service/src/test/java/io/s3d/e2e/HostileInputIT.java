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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's pass that needs the packaged service as users run it (issue 14): credentials that
 * silently yield none, a bind host smuggled past the loopback guard, and a slowloris client holding
 * connections open. The in-process pass is {@code io.s3d.api.HostileInputTest} and
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
