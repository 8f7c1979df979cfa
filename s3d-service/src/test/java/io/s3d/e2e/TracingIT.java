package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.s3d.e2e.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Traces as a user of a collector sees them: the packaged s3d with {@code S3D_OTEL=true} and the
 * standard {@code OTEL_EXPORTER_OTLP_*} variables pointing at a real OTLP/HTTP endpoint (a small
 * receiver decoding the protobuf with OpenTelemetry's own classes). A queued PUT is followed from
 * the client's span, through s3d's request span and its journal append, across a crash and restart
 * of s3d, to the push (a new trace linked to the request) and the remote call under it, whose
 * {@code traceparent} the remote receives. The remote is S3Proxy behind a {@link FaultProxy}, which
 * keeps the first pushes failing (503 SlowDown) until s3d has been killed, and records the heads of
 * the requests that reach it.
 */
class TracingIT {
    private static final String BUCKET = "traced";
    /** The client's own span, as an instrumented application would send it. */
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    @TempDir
    static Path localDir;

    private static RemoteS3 remote;
    private static FaultProxy faults;
    private static OtlpReceiver collector;

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        faults = FaultProxy.start(remote.linkEndpoint());
        collector = OtlpReceiver.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (faults != null) {
            faults.close();
        }
        if (collector != null) {
            collector.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3_ENDPOINT", faults.uri().toString());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_ACCESS_LOG", "true");
        env.put("S3D_OTEL", "true");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_SERVICE_NAME", "s3d-under-test");
        // Export at once rather than every 5 s.
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
        return env;
    }

    @Test
    void aQueuedPutIsTracedFromTheRequestToTheRemoteAcrossARestart() throws Exception {
        remote.directClient().createBucket(b -> b.bucket(BUCKET));
        byte[] body = "traced from the client's PUT to the remote's 200".getBytes();
        // The remote refuses the pushes for now: the write stays queued until s3d has been killed.
        faults.fail("^PUT /" + BUCKET + "/report\\.txt", 503, "SlowDown");

        ServiceProcess first = ServiceProcess.start(localDir, env());
        ServiceProcess restarted = null;
        try (S3Client s3 = S3dAdmin.client(first.endpoint())) {
            PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("report.txt")
                    .overrideConfiguration(o -> o.putHeader("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01")),
                    RequestBody.fromBytes(body));
            String id = put.responseMetadata().requestId();
            await().atMost(Duration.ofSeconds(60)).until(() -> faults.injected() >= 1);

            // The request's server span continues the client's trace and says what happened.
            ReceivedSpan request = awaitSpan(s -> s.name().equals("S3.PutObject") && s.kind().equals("SPAN_KIND_SERVER"));
            assertThat(request.service()).isEqualTo("s3d-under-test");
            assertThat(request.traceId()).isEqualTo(CLIENT_TRACE);
            assertThat(request.parentSpanId()).isEqualTo(CLIENT_SPAN);
            assertThat(request.attribute("aws.s3.bucket")).isEqualTo(BUCKET);
            assertThat(request.attribute("aws.request_id")).isEqualTo(id);
            assertThat(request.attribute("http.response.status_code")).isEqualTo("200");
            // Bytes as they came over the wire: the SDK sends the body aws-chunked, with a checksum trailer.
            assertThat(Long.parseLong(request.attribute("s3d.request.body_bytes"))).isGreaterThanOrEqualTo(body.length);
            assertThat(request.attribute("s3d.key_length")).isEqualTo("10");
            assertThat(request.attributes()).as("keys stay out of spans unless S3D_OTEL_KEYS").doesNotContainKey("aws.s3.key");

            // Its journal append is a child of it.
            ReceivedSpan journal = awaitSpan(s -> s.name().equals("s3d.queue.journal") && s.traceId().equals(CLIENT_TRACE));
            assertThat(journal.parentSpanId()).isEqualTo(request.spanId());

            // The log lines of the request carry its trace: here the access log line.
            await().atMost(Duration.ofSeconds(10)).until(() -> first.log().lines()
                    .anyMatch(l -> l.contains(id) && l.contains("traceId=" + CLIENT_TRACE)));

            first.kill();
            faults.clear();

            // After the restart, the push from the journal is a new trace linked to the request's span.
            restarted = ServiceProcess.start(localDir, env());
            new S3dAdmin(restarted.endpoint()).flushed(BUCKET, Duration.ofSeconds(60));
            ReceivedSpan push = awaitSpan(s -> s.name().equals("s3d.queue.push")
                    && "pushed".equals(s.attribute("s3d.queue.outcome")));
            assertThat(push.traceId()).isNotEqualTo(CLIENT_TRACE);
            assertThat(push.parentSpanId()).as("a root span: a trace of its own").isEmpty();
            assertThat(push.links()).contains(new OtlpReceiver.Link(CLIENT_TRACE, request.spanId()));
            assertThat(push.attribute("aws.s3.bucket")).isEqualTo(BUCKET);

            // Under it, the SDK's client span of the upload, whose traceparent the remote received.
            ReceivedSpan upload = awaitSpan(s -> s.name().equals("S3.PutObject") && s.kind().equals("SPAN_KIND_CLIENT")
                    && s.traceId().equals(push.traceId()));
            assertThat(upload.parentSpanId()).isEqualTo(push.spanId());
            assertThat(upload.attribute("http.response.status_code")).isEqualTo("200");
            String sent = faults.heads().stream().filter(h -> h.startsWith("PUT /" + BUCKET + "/report.txt"))
                    .reduce((earlier, later) -> later).orElseThrow();
            assertThat(header(sent, "traceparent")).contains("00-" + push.traceId() + "-" + upload.spanId() + "-01");
            assertThat(remote.directClient().getObjectAsBytes(b -> b.bucket(BUCKET).key("report.txt")).asByteArray())
                    .isEqualTo(body);
            assertThat(collector.contentTypes()).allMatch(t -> t.startsWith("application/x-protobuf"));
        } finally {
            first.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    /**
     * The standard sampler variables reach the SDK: with {@code parentbased_always_off} a request
     * without a caller's trace is not recorded, one whose caller sampled its trace is.
     */
    @Test
    void theStandardSamplerVariablesDecideWhatIsRecorded() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory(localDir, "sampled");
        Map<String, String> env = new HashMap<>(env());
        env.remove("S3_ENDPOINT");
        env.remove("S3D_WRITE_QUEUE");
        env.put("OTEL_TRACES_SAMPLER", "parentbased_always_off");
        String callerTrace = "0af7651916cd43dd8448eb211c80319c";
        try (ServiceProcess s3d = ServiceProcess.start(dir, env); S3Client s3 = S3dAdmin.client(s3d.endpoint())) {
            String unsampled = s3.createBucket(b -> b.bucket("sampling")).responseMetadata().requestId();
            String sampled = s3.headBucket(b -> b.bucket("sampling").overrideConfiguration(
                    o -> o.putHeader("traceparent", "00-" + callerTrace + "-b7ad6b7169203331-01"))).responseMetadata()
                    .requestId();
            ReceivedSpan head = awaitSpan(s -> sampled.equals(s.attribute("aws.request_id")));
            assertThat(head.traceId()).isEqualTo(callerTrace);
            // The unsampled request ended first: had it been recorded, it would have been exported by now.
            assertThat(collector.spans()).noneMatch(s -> unsampled.equals(s.attribute("aws.request_id")));
        }
    }

    /**
     * The requests that are not S3 ones have server spans too: the admin API's (continuing the
     * caller's trace, with the remote call it makes under it, object keys left out of the name),
     * the health probe's and the metrics scrape's.
     */
    @Test
    void adminHealthAndMetricsRequestsAreTraced() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory(localDir, "admin");
        String callerTrace = "5af7651916cd43dd8448eb211c80319d";
        String callerSpan = "c7ad6b7169203331";
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceProcess s3d = ServiceProcess.start(dir, env())) {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint() + "/_s3d/status"))
                    .header("traceparent", "00-" + callerTrace + "-" + callerSpan + "-01").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            for (String path : List.of("/q/health/ready", "/q/metrics", "/_s3d/status/traced/secret-name.txt")) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint() + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(200);
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create(s3d.endpoint() + "/_s3d/queue/flush?timeout=5s"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);

            ReceivedSpan admin = awaitSpan(s -> s.name().equals("GET /_s3d/status"));
            assertThat(admin.kind()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(admin.traceId()).isEqualTo(callerTrace);
            assertThat(admin.parentSpanId()).isEqualTo(callerSpan);
            assertThat(admin.attribute("http.response.status_code")).isEqualTo("200");
            assertThat(admin.attribute("http.route")).isEqualTo("/_s3d/status");
            assertThat(admin.attribute("aws.request_id")).isEqualTo(status.headers().firstValue("x-amz-request-id")
                    .orElseThrow());
            // The status document asks the remote for its buckets: the SDK's span is a child of the request's.
            ReceivedSpan listing = awaitSpan(s -> s.name().equals("S3.ListBuckets") && s.traceId().equals(callerTrace));
            assertThat(listing.kind()).isEqualTo("SPAN_KIND_CLIENT");
            assertThat(listing.parentSpanId()).isEqualTo(admin.spanId());

            ReceivedSpan object = awaitSpan(s -> s.name().equals("GET /_s3d/status/{bucket}/{key}"));
            assertThat(object.attributes().values()).noneMatch(v -> v.contains("secret-name"));
            ReceivedSpan health = awaitSpan(s -> s.name().equals("GET /q/health/ready"));
            assertThat(health.kind()).isEqualTo("SPAN_KIND_SERVER");
            assertThat(health.attribute("http.response.status_code")).isEqualTo("200");
            awaitSpan(s -> s.name().equals("GET /q/metrics") && s.kind().equals("SPAN_KIND_SERVER"));
            awaitSpan(s -> s.name().equals("POST /_s3d/queue/flush")
                    && "200".equals(s.attribute("http.response.status_code")));
        }
    }

    private static ReceivedSpan awaitSpan(java.util.function.Predicate<ReceivedSpan> which) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> collector.spans().stream().filter(which).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static Optional<String> header(String head, String name) {
        return head.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).strip()).findFirst();
    }
}
