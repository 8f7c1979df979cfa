package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.fuse.FuseAvailable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What {@code deploy/monitoring/} promises operators: every metric the Grafana dashboard and the
 * alert rules query exists on {@code /q/metrics} of a gateway with everything on (write queue, read
 * cache, a sync folder, the FUSE mount where the machine can mount), after some traffic; and the
 * request, queue and remote metrics count what happened.
 */
class MonitoringIT {
    private static final Path MONITORING = Path.of(System.getProperty("s3d.repo", "..")).resolve("deploy/monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b((?:s3d|jvm|process|system)_[a-zA-Z0-9_]+)");

    @TempDir
    static Path tmp;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static Path mnt;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        remote = RemoteS3.start();
        try (S3Client direct = remote.directClient()) {
            direct.createBucket(b -> b.bucket("monitored"));
            direct.createBucket(b -> b.bucket("monitored-sync"));
        }
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        Path properties = tmp.resolve("sync.properties");
        Files.writeString(properties, String.join("\n",
                "s3d.sync.folders.\"docs\".local-dir=" + folder,
                "s3d.sync.folders.\"docs\".bucket=monitored-sync",
                "s3d.sync.folders.\"docs\".interval=2s", ""));
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_READ_CACHE", "true");
        env.put("QUARKUS_CONFIG_LOCATIONS", properties.toString());
        if (FuseAvailable.available()) {
            mnt = Files.createDirectories(tmp.resolve("mnt"));
            env.put("S3D_FUSE", "true");
            env.put("S3D_FUSE_MOUNT_POINT", mnt.toString());
        } else {
            System.err.println("MonitoringIT: no FUSE on this machine, the s3d_fuse_* metrics are NOT checked");
        }
        s3d = ServiceProcess.start(tmp.resolve("store"), env);
        if (mnt != null) {
            FuseMounts.awaitMounted(mnt);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (s3d != null) {
                s3d.close();
            }
            if (remote != null) {
                remote.close();
            }
        } finally {
            if (mnt != null) {
                FuseMounts.forceUnmount(mnt);
            }
        }
    }

    @Test
    void everyMetricOfTheDashboardAndTheAlertsExistsAndCountsTraffic() throws Exception {
        byte[] body = new byte[100_000];
        assertThat(send("PUT", "/monitored/report.bin", body).statusCode()).isEqualTo(200);
        new S3dAdmin(s3d.endpoint()).flushed("monitored", Duration.ofSeconds(60));
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> get = send("GET", "/monitored/report.bin", null);
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).hasSize(body.length);
        }
        HttpResponse<byte[]> missing = send("GET", "/monitored/never-written", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        if (mnt != null) {
            try (Stream<Path> buckets = Files.list(mnt)) {
                assertThat(buckets.map(p -> p.getFileName().toString())).contains("monitored");
            }
        }

        String metrics = new String(send("GET", "/q/metrics", null).body());
        Set<String> exposed = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> used = new TreeSet<>();
        for (String file : new String[] { "s3d-dashboard.json", "s3d-alerts.rules.yml", "s3d-prometheusrule.yaml" }) {
            Set<String> inFile = metricsIn(Files.readString(MONITORING.resolve(file)));
            assertThat(inFile).as(file).isNotEmpty();
            used.addAll(inFile);
        }
        if (mnt == null) {
            used.removeIf(name -> name.startsWith("s3d_fuse_"));
        }
        assertThat(exposed).as("metrics on /q/metrics").containsAll(used);

        // The numbers behind the panels: latency buckets, body bytes, push lag, remote errors by code.
        assertThat(value(metrics, "s3d_requests_seconds_bucket", "operation=PutObject,status=200,le=+Inf")).isEqualTo(1);
        assertThat(value(metrics, "s3d_requests_seconds_bucket", "operation=PutObject,status=200,le=300.0")).isEqualTo(1);
        assertThat(value(metrics, "s3d_requests_seconds_count", "operation=GetObject,status=200")).isEqualTo(2);
        assertThat(value(metrics, "s3d_request_body_bytes_total", "operation=PutObject")).isEqualTo(body.length);
        // Two objects and one NoSuchKey error document.
        assertThat(value(metrics, "s3d_response_body_bytes_total", "operation=GetObject"))
                .isEqualTo(2.0 * body.length + missing.body().length);
        assertThat(value(metrics, "s3d_write_queue_push_lag_seconds_count", "")).isEqualTo(1);
        assertThat(value(metrics, "s3d_remote_errors_total", "code=NoSuchKey")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "s3d_remote_errors_total", "code=Unreachable")).isZero();
        assertThat(value(metrics, "s3d_sync_lag_seconds", "folder=docs")).isBetween(0.0, 600.0);
        assertThat(value(metrics, "s3d_read_cache_byte_hit_ratio", "")).isBetween(0.0, 1.0);
        if (mnt != null) {
            assertThat(metrics).containsPattern("s3d_fuse_operation_duration_seconds_count\\{op=\"readdir\"} [1-9]");
        }
    }

    private static Set<String> metricsIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The value of the series {@code name} whose labels include {@code labels} ("k=v,k=v"; label order does not matter). */
    private static double value(String metrics, String name, String labels) {
        Set<String> wanted = labels.isEmpty() ? Set.of() : Set.of(labels.split(","));
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String rest = line.substring(name.length());
                Set<String> have = new TreeSet<>();
                if (rest.startsWith("{")) {
                    for (String label : rest.substring(1, rest.indexOf('}')).split(",")) {
                        have.add(label.replace("\"", ""));
                    }
                }
                if (have.containsAll(wanted)) {
                    String[] parts = rest.substring(rest.indexOf('}') + 1).trim().split(" ");
                    return Double.parseDouble(parts[0]);
                }
            }
        }
        throw new AssertionError("no series " + name + "{" + labels + "} on /q/metrics:\n" + metrics.lines()
                .filter(l -> l.startsWith(name)).reduce("", (a, b) -> a + b + "\n"));
    }

    private static HttpResponse<byte[]> send(String method, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s3d.endpoint() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
