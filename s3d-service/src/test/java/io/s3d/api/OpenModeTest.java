package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open mode (no credentials) as a web page in the user's browser would attack it (issue 14): DNS
 * rebinding (a foreign Host), cross-origin simple requests, cross-site fetches, form uploads. Raw
 * sockets, because these are exactly the headers HTTP client libraries will not let a test forge.
 */
@QuarkusTest
@TestProfile(OpenModeTest.Open.class)
class OpenModeTest {
    public static class Open implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("s3d.access-key-id", "", "s3d.secret-access-key", "", "s3d.base-domain", "localhost",
                    "s3d.security.allowed-origins", "http://localhost:3000");
        }
    }

    @TestHTTPResource("/")
    URL base;
    String bucket;

    @BeforeEach
    void createBucket() throws Exception {
        bucket = "open-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(raw("PUT", "/" + bucket, "localhost", Map.of(), "")).startsWith("HTTP/1.1 200");
        assertThat(raw("PUT", "/" + bucket + "/victim", "localhost", Map.of(), "precious")).startsWith("HTTP/1.1 200");
    }

    /** One request on its own connection; the whole response as text. */
    private String raw(String method, String path, String host, Map<String, String> headers, String body)
            throws Exception {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + ":"
                    + base.getPort() + "\r\nConnection: close\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void assertVictimIntact() throws Exception {
        assertThat(raw("GET", "/" + bucket + "/victim", "localhost", Map.of(), "")).startsWith("HTTP/1.1 200")
                .endsWith("precious");
    }

    @Test
    void programsOnThisMachineAreServed() throws Exception {
        for (String host : new String[] { "localhost", "127.0.0.1", "[::1]" }) {
            assertThat(raw("GET", "/" + bucket + "/victim", host, Map.of(), "")).as(host).startsWith("HTTP/1.1 200");
        }
        assertThat(raw("GET", "/" + bucket + "/victim", "localhost",
                Map.of("Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site"), ""))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void aRebindingHostIsRefused() throws Exception {
        for (String host : new String[] { "evil.example", "127.0.0.1.evil.example", "localhost.evil.example" }) {
            String response = raw("GET", "/" + bucket + "/victim", host, Map.of(), "");
            assertThat(response).as(host).startsWith("HTTP/1.1 403").contains("<Code>AccessDenied</Code>")
                    .doesNotContain("precious");
        }
        assertThat(raw("DELETE", "/" + bucket + "/victim", "evil.example", Map.of(), "")).startsWith("HTTP/1.1 403");
        assertThat(raw("GET", "/_s3d/queue", "evil.example", Map.of(), "")).startsWith("HTTP/1.1 403");
        assertVictimIntact();
    }

    @Test
    void aCrossOriginTextPlainDeleteIsRefused() throws Exception {
        String delete = "<Delete><Object><Key>victim</Key></Object></Delete>";
        String response = raw("POST", "/" + bucket + "?delete", "localhost",
                Map.of("Origin", "https://evil.example", "Content-Type", "text/plain"), delete);
        assertThat(response).startsWith("HTTP/1.1 403").contains("<Code>AccessDenied</Code>")
                .contains("<RequestId>");
        assertThat(raw("DELETE", "/" + bucket + "/victim", "localhost", Map.of("Origin", "null"), ""))
                .startsWith("HTTP/1.1 403");
        assertThat(raw("DELETE", "/" + bucket + "/victim", "localhost", Map.of("Sec-Fetch-Site", "cross-site"), ""))
                .startsWith("HTTP/1.1 403");
        assertVictimIntact();
    }

    @Test
    void browserFormUploadsNeedCredentials() throws Exception {
        String boundary = "b0undary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\npage.html\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\ntext/html\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.html\"\r\n\r\n"
                + "<script>alert(1)</script>\r\n--" + boundary + "--\r\n";
        String response = raw("POST", "/" + bucket, "localhost",
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary), form);
        assertThat(response).startsWith("HTTP/1.1 403").contains("need credentials");
        assertThat(raw("GET", "/" + bucket + "/page.html", "localhost", Map.of(), "")).startsWith("HTTP/1.1 404");
    }

    @Test
    void virtualHostedKeysUnderQReachTheObjectNotQuarkus() throws Exception {
        assertThat(raw("PUT", "/q/health", bucket + ".localhost", Map.of(), "object, not health"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("PUT", "/q/metrics", bucket + ".localhost", Map.of(), "object, not metrics"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET", "/q/health", bucket + ".localhost", Map.of(), "")).endsWith("object, not health");
        assertThat(raw("GET", "/q/metrics", bucket + ".localhost", Map.of(), "")).endsWith("object, not metrics");
        assertThat(raw("GET", "/" + bucket + "/q/health", "localhost", Map.of(), "")).endsWith("object, not health");
        assertThat(raw("GET", "/q/health/ready", "localhost", Map.of(), "")).contains("\"status\"");
    }

    @Test
    void virtualHostedKeysUnderS3dReachTheObjectNotTheAdminApi() throws Exception {
        assertThat(raw("PUT", "/_s3d/status", bucket + ".localhost", Map.of(), "object, not status"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("PUT", "/_s3d/ui", bucket + ".localhost", Map.of(), "object, not the page"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET", "/_s3d/status", bucket + ".localhost", Map.of(), "")).endsWith("object, not status");
        assertThat(raw("GET", "/_s3d/ui", bucket + ".localhost", Map.of(), "")).endsWith("object, not the page");
        assertThat(raw("GET", "/" + bucket + "/_s3d/status", "localhost", Map.of(), "")).endsWith("object, not status");
        // Path-style, /_s3d/ is the admin API (open mode: answered on loopback without a signature).
        assertThat(raw("GET", "/_s3d/status", "localhost", Map.of(), "")).startsWith("HTTP/1.1 200")
                .contains("\"mode\":\"standalone\"");
        assertThat(raw("GET", "/_s3d/status", "evil.example", Map.of(), "")).startsWith("HTTP/1.1 403");
    }
}
