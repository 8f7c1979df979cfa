package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bucket CORS in open mode (no credentials; allowed origin http://localhost:3000): a web origin
 * must be allowed by both s3d.security.allowed-origins and the bucket's rules. Other origins stay
 * refused by the open-mode guard, whatever the bucket's rules say.
 */
@QuarkusTest
@TestProfile(OpenModeTest.Open.class)
class CorsOpenModeTest {
    private static final String ALLOWED = "http://localhost:3000";

    @TestHTTPResource("/")
    URL base;
    String bucket;

    @BeforeEach
    void createBucketWithRulesForEveryOrigin() throws Exception {
        bucket = "open-cors-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(raw("PUT", "/" + bucket, Map.of(), "")).startsWith("HTTP/1.1 200");
        assertThat(raw("PUT", "/" + bucket + "/shared", Map.of(), "hello")).startsWith("HTTP/1.1 200");
        String rules = "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>";
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5")
                .digest(rules.getBytes(StandardCharsets.UTF_8)));
        assertThat(raw("PUT", "/" + bucket + "?cors", Map.of("Content-MD5", md5), rules)).startsWith("HTTP/1.1 200");
    }

    private String raw(String method, String path, Map<String, String> headers, String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost:"
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

    private static Map<String, String> preflight(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Origin", origin);
        headers.put("Access-Control-Request-Method", "PUT");
        headers.put("Access-Control-Request-Headers", "x-amz-meta-a");
        return headers;
    }

    @Test
    void anAllowedOriginGetsTheBucketsCorsAnswers() throws Exception {
        String allowed = raw("OPTIONS", "/" + bucket + "/shared", preflight(ALLOWED), "");
        assertThat(allowed).startsWith("HTTP/1.1 200").containsIgnoringCase("access-control-allow-origin: *")
                .containsIgnoringCase("access-control-allow-methods: GET, PUT");
        String read = raw("GET", "/" + bucket + "/shared", Map.of("Origin", ALLOWED), "");
        assertThat(read).startsWith("HTTP/1.1 200").containsIgnoringCase("access-control-allow-origin: *")
                .endsWith("hello");
    }

    @Test
    void anyOtherOriginStaysRefusedByTheGuardWhateverTheRules() throws Exception {
        String refused = raw("OPTIONS", "/" + bucket + "/shared", preflight("https://evil.example"), "");
        assertThat(refused).startsWith("HTTP/1.1 403").contains("<Code>AccessDenied</Code>")
                .contains("s3d.security.allowed-origins").doesNotContainIgnoringCase("access-control-allow-origin");
        String read = raw("GET", "/" + bucket + "/shared", Map.of("Origin", "https://evil.example"), "");
        assertThat(read).startsWith("HTTP/1.1 403").doesNotContainIgnoringCase("access-control-allow-origin")
                .doesNotContain("hello");
    }
}
