package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle on the packaged standalone s3d, its job running every second: the AWS CLI and boto3
 * (scripts/compat/lifecycle.sh) set, read and delete configurations, see x-amz-expiration, and
 * watch the job expire objects; each action shows in the log and in s3d_lifecycle_actions_total.
 */
class LifecycleIT {
    @TempDir
    Path store;

    @Test
    void awsCliAndBoto3SeeS3Lifecycle() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of("S3D_LIFECYCLE_INTERVAL", "1s"))) {
            CompatScript.run(s3d, "lifecycle.sh", Map.of(), "lifecycle: 0 failure(s)");

            String log = s3d.log();
            assertThat(log).containsPattern("lifecycle: expire cli-lifecycle-\\d+/tmp/a \\(version null\\) by rule "
                    + "'expire-tmp'");
            assertThat(log).containsPattern("lifecycle: expire boto3-lifecycle-\\d+/old/a \\(version [0-9a-f]{32}\\) "
                    + "by rule 'old'");
            assertThat(log).containsPattern("lifecycle: remove-expired-delete-marker boto3-lifecycle-\\d+/old/a");
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s3d.endpoint()
                    + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("s3d_lifecycle_actions_total\\{action=\"expire\"[^}]*} 2\\.0")
                    .containsPattern("s3d_lifecycle_actions_total\\{action=\"remove-expired-delete-marker\"[^}]*} 1\\.0")
                    .containsPattern("s3d_lifecycle_actions_total\\{action=\"abort-upload\"[^}]*} 0\\.0");
        }
    }
}
