package io.s3d.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.s3d.TestClients;
import java.net.URL;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The status bean as the Dev UI card (module s3d-devui) finds it: by its name alone, as a
 * {@code Supplier} of the JSON {@code GET /_s3d/status} answers, with live values.
 */
@QuarkusTest
class StatusJsonTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void theStatusIsFoundByNameAndFollowsTheStore() {
        String bucket = "devui-" + UUID.randomUUID().toString().substring(0, 8);
        String before = statusByName();
        assertThat(before).contains("\"mode\":\"standalone\"")
                .containsPattern("\"localDir\":\"[^\"]*s3d-test-store\"")
                .contains("\"writeQueue\":null");
        int bucketsBefore = buckets(before);

        S3Client s3 = TestClients.s3(base);
        s3.createBucket(b -> b.bucket(bucket));
        try {
            assertThat(buckets(statusByName())).isEqualTo(bucketsBefore + 1);
        } finally {
            s3.deleteBucket(b -> b.bucket(bucket));
        }
    }

    private static String statusByName() {
        try (InstanceHandle<Object> handle = Arc.container().instance(StatusJson.NAME)) {
            assertThat(handle.isAvailable()).as("a bean named " + StatusJson.NAME).isTrue();
            assertThat(handle.get()).isInstanceOf(Supplier.class);
            return String.valueOf(((Supplier<?>) handle.get()).get());
        }
    }

    private static int buckets(String status) {
        var m = java.util.regex.Pattern.compile("\"buckets\":(\\d+)").matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
