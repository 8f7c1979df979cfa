package io.s3d.filter;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.s3d.filter.opa.OpaClient;
import io.s3d.filter.opa.OpaDecider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The cost of one filter decision (issue 16), run by {@code bench/filter-decision.sh}, not by the
 * test suite: rules of the filter language evaluated against an object's facts, and an OPA decision
 * (cached, and asked of a local server playing OPA's Data API over loopback HTTP, as
 * {@code OpaDeciderTest} does). Each decision is timed alone; the table gives p50/p99/max. Writes
 * the Markdown section to the path given as the first argument.
 */
public final class DecisionLatency {
    private static final int WARM_UP = 20_000;
    private static final int RULE_DECISIONS = 200_000;
    private static final int OPA_ASKED = 3_000;

    private DecisionLatency() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "bench/results/filter-decision.md");
        StringBuilder md = new StringBuilder();
        md.append("# Filter decision latency\n\n");
        md.append("Measured ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
                .append(" UTC with `bench/filter-decision.sh`: one JVM (")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append("), each decision timed alone with `System.nanoTime` after ").append(WARM_UP)
                .append(" warm-up decisions.\n");
        String loadBefore = load();

        ObjectFacts clip = ObjectFacts.of("media", "clips/2026/a.mp4").withSize(2_048_000)
                .withHeaders(Map.of("content-type", "video/mp4"))
                .withMetadata(Map.of("camera", "front"))
                .withObjectTags(Map.of("team", "video", "keep", "yes"))
                .withBucketTags(() -> Map.of("env", "prod"));
        RuleSet one = FilterParser.parseList("media/clips/*");
        RuleSet six = FilterParser.parseList(String.join("\n",
                "logs/*",
                "backups[tag:env=prod]/daily/*",
                "media/raw/*[hdr:content-length>1G]",
                "media[tag:env=prod]/clips/*[tag:team=audio][hdr:content-type='audio/*']",
                "media/clips/*[md:camera=back]",
                "media[tag:env=prod]/clips/*[tag:team=video][hdr:content-type='video/*'][hdr:content-length<100M]"));
        RuleSet excluding = FilterParser.parseList("media/**, !media/clips/**/*.mp4");

        // The rows time the decisions they name: a rule set that silently stopped matching would time less work.
        expect(one.selects(clip) && six.selects(clip) && !excluding.selects(clip)
                && !six.selects(clip.withObjectTags(Map.of("team", "audio"))), "the rule sets decide as their rows say");

        StringBuilder table = new StringBuilder();
        table.append("| decision | p50 µs | p99 µs | max µs | decisions |\n|---|---|---|---|---|\n");
        row(table, "filter: 1 rule, bucket/prefix (`media/clips/*`)", time(RULE_DECISIONS, i -> one.selects(clip)));
        row(table, "filter: 6 rules, the last one matching (bucket tags, object tags, headers, size)",
                time(RULE_DECISIONS, i -> six.selects(clip)));
        row(table, "filter: include and `!` exclude globs", time(RULE_DECISIONS, i -> excluding.selects(clip)));

        HttpServer opa = opaStandIn();
        try {
            URI url = URI.create("http://127.0.0.1:" + opa.getAddress().getPort() + "/v1/data/s3d/allow");
            OpaDecider cached = new OpaDecider(new OpaClient(url, Duration.ofSeconds(5)), EnumSet.noneOf(Purpose.class),
                    Duration.ofHours(1), 10_000, new SimpleMeterRegistry());
            row(table, "OPA: decision from s3d's decision cache", time(RULE_DECISIONS, i -> cached.allows(Purpose.CACHE, clip)));
            OpaDecider asked = new OpaDecider(new OpaClient(url, Duration.ofSeconds(5)), EnumSet.noneOf(Purpose.class),
                    Duration.ofHours(1), 10_000, new SimpleMeterRegistry());
            // A new key every time: each decision is a POST to the stand-in over loopback HTTP.
            row(table, "OPA: asked (local stand-in of OPA's Data API, loopback HTTP, new key each time)",
                    time(OPA_ASKED, i -> asked.allows(Purpose.CACHE, ObjectFacts.of("media", "clips/" + i + ".mp4")
                            .withSize(2048).withHeaders(Map.of("content-type", "video/mp4")))));
        } finally {
            opa.stop(0);
        }
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load average ")
                .append(loadBefore).append(" before and ").append(load()).append(" after the run. **Measured under "
                + "load**: other people's builds and tests shared the 2 cores, so the tails (p99, max) are "
                + "inflated by scheduling; p50 is the figure to compare.\n\n");
        md.append("The OPA stand-in answers `{\"result\": true}` at once, so the asked row is s3d's own cost "
                + "(input document, JSON, the JDK HTTP client, loopback) without OPA's policy evaluation; a real OPA "
                + "sidecar adds its evaluation time. s3d caches OPA decisions (`S3D_FILTER_OPA_CACHE_TTL`), so a "
                + "repeated decision costs the cached row.\n\n");
        md.append(table);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.print(md);
    }

    private static void expect(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException("not so: " + what);
        }
    }

    /** Times {@code n} decisions one by one, after a warm-up; returns the sorted nanoseconds. */
    private static long[] time(int n, IntPredicate decision) {
        boolean sink = false;
        for (int i = 0; i < Math.min(WARM_UP, n); i++) {
            sink ^= decision.test(-1 - i);
        }
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            sink ^= decision.test(i);
            nanos[i] = System.nanoTime() - start;
        }
        if (sink && n < 0) {
            throw new AssertionError();
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void row(StringBuilder table, String name, long[] sorted) {
        table.append("| ").append(name).append(" | ").append(micros(percentile(sorted, 0.50))).append(" | ")
                .append(micros(percentile(sorted, 0.99))).append(" | ").append(micros(sorted[sorted.length - 1]))
                .append(" | ").append(sorted.length).append(" |\n");
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, nanos < 10_000 ? "%.2f" : "%.0f", nanos / 1000.0);
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Plays OPA's REST Data API: {@code POST /v1/data/s3d/allow} with an input, answered {@code {"result": true}}. */
    private static HttpServer opaStandIn() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/data/s3d/allow", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"result\": true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }
}
