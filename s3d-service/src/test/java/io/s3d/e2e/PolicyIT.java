package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
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
            CompatScript.run(s3d, "policy.sh", Map.of(), "policy: 0 failure(s)", "policy (boto3): 0 failure(s)");
            try (Stream<Path> files = Files.walk(store)) {
                assertThat(files.filter(p -> p.getFileName().toString().equals(".policy"))).isEmpty();
            }
        }
    }
}
