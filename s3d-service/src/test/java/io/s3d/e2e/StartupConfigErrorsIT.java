package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setting s3d cannot honour stops start-up with a message naming the key and why, instead of
 * running without it (a pod then crash-loops with the reason in its log).
 */
class StartupConfigErrorsIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "S3D_FILTER_FILE | /nonexistent/s3d/policy | s3d.filter.file (S3D_FILTER_FILE): cannot read /nonexistent/s3d/policy",
            "S3D_OPA_URL | opa:8181/v1/data/s3d | s3d.filter.opa-url (S3D_OPA_URL): 'opa:8181/v1/data/s3d' is not an http(s) URL",
            "S3D_WRITE_QUEUE_FILTER | logs[tag:team | s3d.write-queue.filter (S3D_WRITE_QUEUE_FILTER): filter 'logs[tag:team', column 14: expected an operator",
            "S3D_READ_CACHE_FILTER | b/*[hdr:content-length<big] | s3d.read-cache.filter (S3D_READ_CACHE_FILTER): filter 'b/*[hdr:content-length<big]', column 24: expected a number or size",
            "S3D_FILTER_OPA_AUTHORIZE | true | s3d.filter.opa-authorize (S3D_FILTER_OPA_AUTHORIZE) is true, but s3d.filter.opa-url (S3D_OPA_URL) is not set",
            "S3D_WRITE_QUEUE | true | s3d.write-queue.enabled (S3D_WRITE_QUEUE) is true, but there is no remote to push to",
            "S3D_READ_CACHE | true | s3d.read-cache.enabled (S3D_READ_CACHE) is true, but there is no remote to cache",
            "S3D_CONNECTIONS_HEADER_TIMEOUT | 0s | s3d.connections.header-timeout (S3D_CONNECTIONS_HEADER_TIMEOUT) must be positive (such as 20s), not 0s",
            "S3D_CONNECTIONS_HEADER_TIMEOUT | soon | s3d.connections.header-timeout"})
    void aSettingThatCannotBeHonouredStopsStartUpNamingIt(String variable, String value, String message) {
        assertThatThrownBy(() -> ServiceProcess.start(dir, Map.of(variable, value)))
                .hasMessageContaining("s3d exited with")
                .hasMessageContaining(message);
    }

    /** A filter file that does not parse stops start-up with the file, the line, the column and what was expected. */
    @org.junit.jupiter.api.Test
    void aBrokenFilterFileStopsStartUp() throws Exception {
        Path policy = java.nio.file.Files.writeString(dir.resolve("policy"), "queue: logs\ncache:\n  - b[tag:\n");
        assertThatThrownBy(() -> ServiceProcess.start(dir.resolve("store"), Map.of("S3D_FILTER_FILE", policy.toString())))
                .hasMessageContaining("s3d exited with")
                .hasMessageContaining("s3d.filter.file (S3D_FILTER_FILE): " + policy + ", line 3: filter 'b[tag:', "
                        + "column 7: expected a tag name");
    }

    /** A filter file that parses no longer stops start-up (it did before filters existed). */
    @org.junit.jupiter.api.Test
    void aValidFilterFileStarts() throws Exception {
        Path policy = java.nio.file.Files.writeString(dir.resolve("ok-policy"), "exclude: \"**/*.tmp\"\n");
        try (ServiceProcess s3d = ServiceProcess.start(dir.resolve("ok-store"), Map.of("S3D_FILTER_FILE", policy.toString()))) {
            org.assertj.core.api.Assertions.assertThat(s3d.log()).contains("filter file " + policy);
        }
    }
}
