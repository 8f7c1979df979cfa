package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket policies on the packaged standalone s3d: the AWS CLI and boto3 (scripts/compat/policy.sh)
 * store, read, check and delete policies and get AWS's errors; the policy is a file beside the
 * bucket, gone with it.
 */
class PolicyIT {
    @TempDir
    Path store;

    @Test
    void awsCliAndBoto3SeeS3BucketPolicies() throws Exception {
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of())) {
            Path script = Path.of(System.getProperty("s3d.repo", "..")).resolve("scripts/compat/policy.sh");
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), s3d.endpoint());
            builder.redirectErrorStream(true);
            Process run = builder.start();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
            System.out.println(output);
            Assumptions.assumeFalse(run.exitValue() == 3, output);
            assertThat(output).as(output + "\n--- s3d log ---\n" + s3d.log()).doesNotContain("FAIL")
                    .contains("policy: 0 failure(s)").contains("policy (boto3): 0 failure(s)");
            assertThat(run.exitValue()).isZero();
            try (Stream<Path> files = Files.walk(store)) {
                assertThat(files.filter(p -> p.getFileName().toString().equals(".policy"))).isEmpty();
            }
        }
    }
}
