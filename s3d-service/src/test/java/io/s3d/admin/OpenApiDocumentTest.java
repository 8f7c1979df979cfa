package io.s3d.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.s3d.TestClients;
import io.s3d.TestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /q/openapi} as another tool would use it: public, it describes
 * every admin path the CLI and the operator call, each operation with a summary and its answers,
 * and its schemas have the keys the real answers have.
 */
@QuarkusTest
class OpenApiDocumentTest {
    /** An admin path in the CLI's or the operator's source, up to its query. */
    private static final Pattern ADMIN_PATH = Pattern.compile("\"(/_s3d/[a-z/]+)");

    private final HttpClient http = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    private JsonPath document() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create(TestClients.endpoint(base) + "/q/openapi?format=json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("public, like /q/health: %s", answer.body()).isEqualTo(200);
        return JsonPath.from(answer.body());
    }

    /** The admin paths the other modules call, read from their sources. */
    private static Set<String> pathsCalledBy(Path... sourceDirs) throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path dir : sourceDirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = ADMIN_PATH.matcher(Files.readString(file));
                    while (m.find()) {
                        out.add(m.group(1).replaceAll("/$", ""));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyPathTheCliAndTheOperatorCallIsDescribed() throws Exception {
        Set<String> called = pathsCalledBy(Path.of("../s3d-cli/src/main/java"),
                Path.of("../s3d-operator/src/main/java"));
        assertThat(called).as("the CLI's endpoints, read from its source").contains("/_s3d/status", "/_s3d/queue",
                "/_s3d/queue/flush", "/_s3d/queue/retry", "/_s3d/cache", "/_s3d/cache/prefetch", "/_s3d/cache/unpin");
        JsonPath doc = document();
        Map<String, Object> paths = doc.getMap("paths");
        assertThat(paths.keySet()).containsAll(called)
                .contains("/_s3d/status/{bucket}", "/_s3d/status/{bucket}/{key}")
                .allMatch(p -> p.startsWith("/_s3d/"), "only the admin API: S3 is S3's own");
        assertThat(doc.getString("info.title")).isEqualTo("s3d admin API");
        assertThat(doc.getMap("components.securitySchemes.sigv4")).containsEntry("name", "Authorization");
    }

    @Test
    void everyOperationSaysWhatItDoesAndAnswers() throws Exception {
        JsonPath doc = document();
        Map<String, Object> schemas = doc.getMap("components.schemas");
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            String where = method.toUpperCase() + " " + path;
            assertThat(operation.get("summary")).as(where).isNotNull();
            Map<String, Map<String, Object>> responses = cast(operation.get("responses"));
            assertThat(responses).as(where).containsKeys("200", "403");
            responses.forEach((status, response) -> {
                assertThat(response.get("description")).as(where + " " + status).isNotNull();
                Map<String, Map<String, Map<String, String>>> content = cast(response.get("content"));
                String schemaRef = content.get("application/json").get("schema").get("$ref");
                assertThat(schemaRef).as(where + " " + status).startsWith("#/components/schemas/");
                assertThat(schemas).as(where + " " + status)
                        .containsKey(schemaRef.substring("#/components/schemas/".length()));
            });
        }));
    }

    @Test
    void theSchemasHaveTheKeysOfTheRealAnswers() throws Exception {
        JsonPath doc = document();
        assertThat(answerKeys("/_s3d/status")).isEqualTo(schemaKeys(doc, "Status"));
        assertThat(answerKeys("/_s3d/status/no-such-bucket")).isEqualTo(schemaKeys(doc, "Error"));
        assertThat(answerKeys("/_s3d/queue")).isEqualTo(schemaKeys(doc, "Error"));
    }

    private Set<String> answerKeys(String path) throws Exception {
        URI uri = URI.create(TestClients.endpoint(base) + path);
        HttpResponse<String> answer = http.send(TestSigner.signed("GET", uri, Map.of(), null, TestClients.ACCESS_KEY,
                TestClients.SECRET_KEY, Instant.now()).build(), HttpResponse.BodyHandlers.ofString());
        return new TreeSet<>(JsonPath.from(answer.body()).<String, Object>getMap("").keySet());
    }

    private static Set<String> schemaKeys(JsonPath doc, String schema) {
        return new TreeSet<>(doc.<String, Object>getMap("components.schemas." + schema + ".properties").keySet());
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
