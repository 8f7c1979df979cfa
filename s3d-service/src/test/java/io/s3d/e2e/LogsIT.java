package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3d's log as operators switch it: plain text and no access log by default; with
 * {@code S3D_LOG_FORMAT=json} one JSON object per line, and with {@code S3D_ACCESS_LOG=true} one
 * access line per S3 request carrying the request id, operation, bucket, status, duration and body
 * bytes, but not the object key.
 */
class LogsIT {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void byDefaultTheLogIsTextWithoutAccessLines() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(tmp.resolve("store"), Map.of())) {
            send(s3d, "PUT", "/quiet", null);
            send(s3d, "PUT", "/quiet/secret-name.txt", "hello".getBytes());
            String log = s3d.log();
            assertThat(log).contains("INFO").doesNotContain("request_id=").doesNotContain("PutObject")
                    .doesNotStartWith("{");
        }
    }

    @Test
    void jsonFormatAndAccessLogAreOneSettingAway() throws Exception {
        Map<String, String> env = Map.of("S3D_LOG_FORMAT", "json", "S3D_ACCESS_LOG", "true");
        try (ServiceProcess s3d = ServiceProcess.start(tmp.resolve("store"), env)) {
            send(s3d, "PUT", "/loud", null);
            HttpResponse<String> put = send(s3d, "PUT", "/loud/secret-name.txt", "hello world".getBytes());
            HttpResponse<String> get = send(s3d, "GET", "/loud/secret-name.txt", null);
            assertThat(get.body()).isEqualTo("hello world");
            String putId = put.headers().firstValue("x-amz-request-id").orElseThrow();
            String getId = get.headers().firstValue("x-amz-request-id").orElseThrow();

            await().atMost(Duration.ofSeconds(10)).until(() -> s3d.log().contains(getId));
            List<String> lines = s3d.log().lines().filter(l -> !l.isBlank()).toList();
            // Every line is JSON, start-up lines included.
            for (String line : lines) {
                assertThat(line).as("log line").startsWith("{").endsWith("}");
                JsonPath.from(line).getString("level");
            }
            JsonPath putLine = accessLine(lines, putId);
            assertThat(putLine.getString("loggerName")).isEqualTo("s3d.access");
            assertThat(putLine.getString("mdc.operation")).isEqualTo("PutObject");
            assertThat(putLine.getString("mdc.bucket")).isEqualTo("loud");
            assertThat(putLine.getString("mdc.status")).isEqualTo("200");
            assertThat(putLine.getString("mdc.bytes_in")).isEqualTo("11");
            assertThat(Double.parseDouble(putLine.getString("mdc.duration_ms"))).isPositive();
            assertThat(putLine.getString("message")).contains("request_id=" + putId).contains("operation=PutObject");
            JsonPath getLine = accessLine(lines, getId);
            assertThat(getLine.getString("mdc.operation")).isEqualTo("GetObject");
            assertThat(getLine.getString("mdc.bytes_out")).isEqualTo("11");
            assertThat(String.join("\n", lines)).as("keys stay out of the log").doesNotContain("secret-name");
        }
    }

    private static JsonPath accessLine(List<String> lines, String requestId) {
        return lines.stream().filter(l -> l.contains("\"s3d.access\"") && l.contains(requestId)).findFirst()
                .map(JsonPath::from).orElseThrow(() -> new AssertionError("no access line for " + requestId
                        + " in:\n" + String.join("\n", lines)));
    }

    private HttpResponse<String> send(ServiceProcess s3d, String method, String path, byte[] body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return response;
    }
}
