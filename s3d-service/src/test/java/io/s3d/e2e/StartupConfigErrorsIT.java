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
    @CsvSource(delimiter = '|', value = {
            "S3D_FILTER_FILE | /etc/s3d/filter/policy | s3d.filter.file (S3D_FILTER_FILE) is set, but this version of s3d has no filter engine",
            "S3D_OPA_URL | http://opa:8181/v1/data/s3d | s3d.filter.opa-url (S3D_OPA_URL) is set, but this version of s3d has no filter engine",
            "S3D_WRITE_QUEUE | true | s3d.write-queue.enabled (S3D_WRITE_QUEUE) is true, but there is no remote to push to",
            "S3D_READ_CACHE | true | s3d.read-cache.enabled (S3D_READ_CACHE) is true, but there is no remote to cache"})
    void aSettingThatCannotBeHonouredStopsStartUpNamingIt(String variable, String value, String message) {
        assertThatThrownBy(() -> ServiceProcess.start(dir, Map.of(variable, value)))
                .hasMessageContaining("s3d exited with")
                .hasMessageContaining(message);
    }
}
