package io.s3d.bench.suite;

import static io.s3d.bench.load.Op.GET;
import static io.s3d.bench.load.Op.PUT;

import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Result;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.OtlpSink;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What tracing costs a request: s3d standalone three ways, side by side — tracing off (the default),
 * on with every request traced and exported over OTLP/HTTP to a receiver on loopback that discards
 * what it gets ({@link OtlpSink}), and on with 10% of the traces sampled. The three servers run at
 * once and the workloads alternate between them, so a change in the machine's load falls on all three.
 */
final class TracingScenario {

    static final String TABLE = "tracing";
    static final String OFF = "s3d, tracing off";
    static final String ALL = "s3d, every request traced";
    static final String TENTH = "s3d, 10% of traces sampled";

    private TracingScenario() {
    }

    /** One way of running s3d, and the OTLP receiver its spans go to (none when off). */
    private record Variant(String target, Role role, Map<String, String> env, OtlpSink sink) {
    }

    static void run(Context ctx) throws Exception {
        ctx.results.table(new TableSpec(TABLE, "Tracing overhead (s3d standalone)",
                "s3d standalone with tracing off (the default), with `S3D_OTEL=true` exporting every request's"
                        + " spans over OTLP/HTTP (protobuf) to a receiver on loopback that reads and discards them,"
                        + " and the same with `OTEL_TRACES_SAMPLER=parentbased_traceidratio`,"
                        + " `OTEL_TRACES_SAMPLER_ARG=0.1`. The load generator sends no `traceparent`, so every"
                        + " request starts a trace. The three servers run at once and each workload runs on each in"
                        + " turn. The overhead table below the main one compares each traced server with tracing"
                        + " off.",
                true, List.of(Metric.P50, Metric.P90, Metric.P99, Metric.OPS, Metric.CLIENT_CPU, Metric.ERRORS),
                List.of()));
        int keys = StandaloneScenario.keys4k(ctx);
        List<Workload> workloads = List.of(
                ctx.timed(PUT, StandaloneScenario.K4, 1, keys),
                ctx.timed(GET, StandaloneScenario.K4, 1, keys),
                ctx.timed(PUT, StandaloneScenario.K4, 16, keys),
                ctx.timed(GET, StandaloneScenario.K4, 16, keys));
        System.out.println("== tracing overhead");
        try (OtlpSink allSink = OtlpSink.start(); OtlpSink tenthSink = OtlpSink.start()) {
            List<Variant> variants = List.of(
                    new Variant(OFF, Role.REFERENCE, Map.of(), null),
                    new Variant(ALL, Role.S3D, traced(allSink, Map.of()), allSink),
                    new Variant(TENTH, Role.S3D, traced(tenthSink, Map.of("OTEL_TRACES_SAMPLER",
                            "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.1")), tenthSink));
            Map<Variant, Server> servers = new LinkedHashMap<>();
            Map<Variant, LoadGenerator> generators = new LinkedHashMap<>();
            Map<Variant, Long> served = new LinkedHashMap<>();
            try {
                int n = 0;
                for (Variant v : variants) {
                    Optional<Server> s = ctx.s3d(TABLE, "s3d-tracing-" + ++n, S3dPeer.Mode.STANDALONE, v.env());
                    if (s.isEmpty()) {
                        return;
                    }
                    servers.put(v, s.get());
                    LoadGenerator gen = ctx.generator(s.get().endpoint(), "tracing", "");
                    gen.prepare(StandaloneScenario.K4, keys, 16);
                    generators.put(v, gen);
                    served.put(v, (long) keys);
                }
                for (int r = 1; r <= ctx.settings.repeats(); r++) {
                    for (Workload w : workloads) {
                        Workload run = r == 1 ? w : new Workload(w.op(), w.size(), w.concurrency(), w.duration(),
                                w.opCount(), Duration.ZERO, w.keyCount(), w.sequential(), w.rangeSize());
                        for (Variant v : variants) {
                            Result res = generators.get(v).run(run);
                            ctx.results.add(Sample.of(TABLE, v.target(), v.role(), r, res, Map.of()));
                            served.merge(v, res.ops(), Long::sum);
                        }
                    }
                }
            } finally {
                // Closing a traced server flushes its last batch of spans to the receiver.
                servers.forEach((v, s) -> {
                    ctx.memory(TABLE, s);
                    s.close();
                });
                ctx.close();
            }
            for (Variant v : variants) {
                if (v.sink() != null) {
                    ctx.results.note(TABLE, String.format(Locale.ROOT,
                            "%s: the OTLP receiver got %d export requests, %.1f KiB of spans, about %.0f bytes per"
                                    + " measured request (warm-ups add requests not counted)",
                            v.target(), v.sink().posts(), v.sink().bytes() / 1024.0,
                            (double) v.sink().bytes() / Math.max(1, served.get(v))));
                    if (v.sink().posts() == 0) {
                        ctx.results.note(TABLE, v.target() + ": **no spans reached the receiver**, so this row"
                                + " measured no export");
                    }
                }
            }
        }
    }

    /** The environment of a traced s3d exporting to {@code sink}, plus {@code more}. */
    private static Map<String, String> traced(OtlpSink sink, Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("S3D_OTEL", "true");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", sink.endpoint().toString());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.putAll(more);
        return env;
    }

    /**
     * The overhead of each traced server against tracing off: p50 and p99 added at c1, ops/s lost at
     * c16 (negative: faster, within the noise). Empty when the table has no reference row.
     */
    static List<String> overhead(Results results) {
        Map<String, Map<String, List<Sample>>> g = results.grouped(TABLE);
        List<String> cells = List.of("PUT 4 KiB c1", "GET 4 KiB c1");
        List<String> rates = List.of("PUT 4 KiB c16", "GET 4 KiB c16");
        List<String> lines = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("overhead vs tracing off"));
        cells.forEach(w -> {
            head.add(w + " p50");
            head.add(w + " p99");
        });
        rates.forEach(w -> head.add(w + " ops/s"));
        lines.add("| " + String.join(" | ", head) + " |");
        lines.add("|" + "---|".repeat(head.size()));
        boolean any = false;
        for (String target : List.of(ALL, TENTH)) {
            List<String> row = new ArrayList<>(List.of("**" + target + "**"));
            for (String w : cells) {
                for (Metric m : List.of(Metric.P50, Metric.P99)) {
                    row.add(added(g, w, target, m));
                }
            }
            for (String w : rates) {
                row.add(added(g, w, target, Metric.OPS));
            }
            any |= row.stream().skip(1).anyMatch(c -> !c.equals("–"));
            lines.add("| " + String.join(" | ", row) + " |");
        }
        if (!any) {
            return List.of();
        }
        lines.add("");
        lines.add("Latency cells: milliseconds added to tracing off's median, and that as a percentage; ops/s"
                + " cells: the change in throughput. Differences within the spread of the rows above are noise.");
        return lines;
    }

    private static String added(Map<String, Map<String, List<Sample>>> g, String workload, String target, Metric m) {
        Map<String, List<Sample>> byTarget = g.get(workload);
        if (byTarget == null || !byTarget.containsKey(OFF) || !byTarget.containsKey(target)) {
            return "–";
        }
        double off = Results.median(byTarget.get(OFF), m);
        double on = Results.median(byTarget.get(target), m);
        if (Double.isNaN(off) || Double.isNaN(on) || off == 0) {
            return "–";
        }
        double pct = (on - off) / off * 100;
        return m == Metric.OPS ? String.format(Locale.ROOT, "%+.0f%%", pct)
                : String.format(Locale.ROOT, "%+.3f ms (%+.0f%%)", on - off, pct);
    }
}
