package io.s3d.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {
    private static final AccessLog.Entry PUT = new AccessLog.Entry("6F0A3C2B1D4E5F60", "127.0.0.1", "PUT", "PutObject",
            "photos", "2026/a cat \"named\" x=1.jpg", 200, 3_412_000, 1_048_576, 0);

    @Test
    void fieldsInTheDocumentedOrderWithoutTheKey() {
        assertThat(new AccessLog(false).fields(PUT)).containsExactly(
                java.util.Map.entry("request_id", "6F0A3C2B1D4E5F60"), java.util.Map.entry("client", "127.0.0.1"),
                java.util.Map.entry("method", "PUT"), java.util.Map.entry("operation", "PutObject"),
                java.util.Map.entry("bucket", "photos"), java.util.Map.entry("status", "200"),
                java.util.Map.entry("duration_ms", "3.412"), java.util.Map.entry("bytes_in", "1048576"),
                java.util.Map.entry("bytes_out", "0"));
    }

    @Test
    void keysOnlyWhenAskedForAndQuotedAsLogfmtValues() {
        assertThat(new AccessLog(true).line(PUT)).isEqualTo("request_id=6F0A3C2B1D4E5F60 client=127.0.0.1 method=PUT"
                + " operation=PutObject bucket=photos key=\"2026/a cat \\\"named\\\" x=1.jpg\" status=200"
                + " duration_ms=3.412 bytes_in=1048576 bytes_out=0");
        AccessLog.Entry noBucket = new AccessLog.Entry("1", "::1", "GET", "ListBuckets", null, null, 200, 1, 0, 10);
        assertThat(new AccessLog(true).line(noBucket)).contains("bucket=- key=- ");
    }
}
