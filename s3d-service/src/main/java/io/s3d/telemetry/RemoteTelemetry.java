package io.s3d.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

/**
 * Counts the remote store's failures by error code ({@code s3d_remote_errors_total{code}}): the
 * S3 code it answered with ({@code SlowDown}, {@code AccessDenied}, {@code NoSuchKey}, ...), or
 * {@code Unreachable} when no answer came (connection refused or reset, timeout, DNS). Counted where
 * the remote's SDK exceptions are translated, which has no registry of its own: the global one, to
 * which Quarkus adds its Prometheus registry.
 */
public final class RemoteTelemetry {
    /** The code counted for a call that got no answer from the remote. */
    public static final String UNREACHABLE = "Unreachable";

    private RemoteTelemetry() {
    }

    /** Makes the series exist at zero before the first failure, so alerts see 0, not nothing. */
    static void declare() {
        Counter.builder("s3d.remote.errors").description("Failed remote calls by S3 error code, or Unreachable")
                .tag("code", UNREACHABLE).register(Metrics.globalRegistry);
    }

    public static void error(String code) {
        Counter.builder("s3d.remote.errors").description("Failed remote calls by S3 error code, or Unreachable")
                .tag("code", code).register(Metrics.globalRegistry).increment();
    }
}
