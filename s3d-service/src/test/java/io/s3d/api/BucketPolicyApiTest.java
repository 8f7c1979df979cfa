package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.s3d.TestClients;
import java.net.URL;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Put/Get/Delete/GetBucketPolicyStatus through the AWS SDK for Java v2: what the CLI and boto3
 * (PolicyIT) do not reach — a wrong Content-MD5, the public access block's BlockPublicPolicy, the
 * ?policy sub-resource on a key.
 */
@QuarkusTest
@TestProfile(BucketPolicyApiTest.WithPublicAccessBlock.class)
class BucketPolicyApiTest {
    /** Enables {@link BlockingPublicPolicies}: buckets named blocked-* refuse public policies. */
    public static class WithPublicAccessBlock implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(BlockingPublicPolicies.class);
        }
    }

    @TestHTTPResource("/")
    URL base;

    S3Client s3;
    String bucket;

    @BeforeEach
    void setUp() {
        s3 = TestClients.s3(base);
        bucket = "policy-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        s3.deleteBucketPolicy(b -> b.bucket(bucket));
        s3.listObjectsV2(b -> b.bucket(bucket)).contents()
                .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.close();
    }

    private static String publicRead(String bucket) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + bucket + "/*\"}]}";
    }

    @Test
    void getReturnsTheDocumentAsJson() {
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(publicRead(bucket)));
        var answer = s3.getBucketPolicy(b -> b.bucket(bucket));
        assertThat(answer.policy()).isEqualTo(publicRead(bucket));
        assertThat(answer.sdkHttpResponse().firstMatchingHeader("Content-Type")).hasValue("application/json");
        assertThat(s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic()).isTrue();
    }

    @Test
    void aWrongContentMd5IsBadDigestAndStoresNothing() {
        assertThatThrownBy(() -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(publicRead(bucket))
                .contentMD5("1B2M2Y8AsgTpgAmY7PhCfg==")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
                });
        assertThatThrownBy(() -> s3.getBucketPolicy(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucketPolicy");
                });
    }

    @Test
    void blockPublicPolicyRefusesAPublicPolicyButNotANarrowOne() {
        String blocked = "blocked-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(blocked));
        try {
            assertThatThrownBy(() -> s3.putBucketPolicy(b -> b.bucket(blocked).policy(publicRead(blocked))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    });
            String narrow = publicRead(blocked).replace("}]}",
                    ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}]}");
            s3.putBucketPolicy(b -> b.bucket(blocked).policy(narrow));
            assertThat(s3.getBucketPolicy(b -> b.bucket(blocked)).policy()).isEqualTo(narrow);
            assertThat(s3.getBucketPolicyStatus(b -> b.bucket(blocked)).policyStatus().isPublic()).isFalse();
        } finally {
            s3.deleteBucketPolicy(b -> b.bucket(blocked));
            s3.deleteBucket(b -> b.bucket(blocked));
        }
        // Buckets without the block take the public policy.
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(publicRead(bucket)));
    }

    @Test
    void policySubResourcesResolveOnBucketsOnly() {
        assertThat(S3Operation.resolve("GET", bucket, "k", java.util.Map.of("policy", ""), false, false))
                .isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(S3Operation.resolve("PUT", bucket, "k", java.util.Map.of("policy", ""), false, false))
                .isEqualTo(S3Operation.UNSUPPORTED);
        assertThat(S3Operation.resolve("PUT", bucket, null, java.util.Map.of("policy", ""), false, false))
                .isEqualTo(S3Operation.PUT_BUCKET_POLICY);
        assertThat(S3Operation.resolve("GET", bucket, null, java.util.Map.of("policyStatus", ""), false, false))
                .isEqualTo(S3Operation.GET_BUCKET_POLICY_STATUS);
        assertThat(S3Operation.resolve("PUT", bucket, null, java.util.Map.of("policyStatus", ""), false, false))
                .isEqualTo(S3Operation.UNSUPPORTED);
    }
}
