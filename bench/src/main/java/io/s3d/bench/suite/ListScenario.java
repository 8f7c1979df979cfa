package io.s3d.bench.suite;

import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Op;
import io.s3d.bench.load.Result;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * LIST of a large bucket: the time to page through every key, 1000 keys a page. Filling and
 * listing are time-boxed so a slow server cannot blow the run's budget; a row that hit a box says
 * so.
 */
final class ListScenario {

    static final String TABLE = "list";
    static final int FILL_CONCURRENCY = 16;

    private ListScenario() {
    }

    static void run(Context ctx) throws Exception {
        Settings st = ctx.settings;
        int keys = st.listKeys();
        ctx.results.table(new TableSpec(TABLE, "LIST of a " + String.format(Locale.ROOT, "%,d", keys) + "-key bucket",
                "The bucket is filled with 1-byte objects by PUTs at concurrency " + FILL_CONCURRENCY + " (at most "
                        + st.fillBudget().toSeconds() + " s per server; the fill rate is shown too), then listed from"
                        + " start to end with ListObjectsV2, 1000 keys a page, one client. A listing that takes longer"
                        + " than " + st.listBudget().toSeconds() + " s is cut short and its full time extrapolated"
                        + " from the keys listed so far (a note under the table says so).",
                true, List.of(Metric.LIST_SECONDS, Metric.KEYS_PER_SECOND, Metric.KEYS, Metric.P50, Metric.P99,
                        Metric.FILL_OPS),
                List.of()));
        if (st.quick()) {
            ctx.results.note(TABLE, "the quick run lists " + String.format(Locale.ROOT, "%,d", keys)
                    + " keys; the full run lists 100,000.");
        }
        ctx.results.note(TABLE, "objects are 1 byte, not empty: S3Proxy 4.1 broke the connection (\"Broken pipe\")"
                + " on about 20% of empty PUTs sent with the SDK's default aws-chunked checksums.");
        System.out.println("== LIST " + keys + " keys");
        try (Server s3proxy = ctx.s3proxyFilesystem("s3proxy-list")) {
            run(ctx, s3proxy, "S3Proxy 4.1 filesystem", Role.PEER, keys);
            ctx.memory("list", s3proxy);
        }
        ctx.close();
        Optional<Server> s3d = ctx.s3d(TABLE, "s3d-list", S3dPeer.Mode.STANDALONE);
        if (s3d.isPresent()) {
            try (Server s = s3d.get()) {
                run(ctx, s, "s3d standalone", Role.S3D, keys);
                ctx.memory("list", s);
            }
        }
        ctx.close();
    }

    private static void run(Context ctx, Server server, String target, Role role, int keys) throws IOException {
        Settings st = ctx.settings;
        LoadGenerator gen = ctx.generator(server.endpoint(), "listing", "k/");
        Result fill = gen.run(new Workload(Op.PUT, 1, FILL_CONCURRENCY, st.fillBudget(), keys, Duration.ZERO, 1,
                false, 0));
        if (fill.errors() > 0) {
            ctx.results.note(TABLE, target + ": " + fill.errors() + " PUTs failed while filling: " + fill.firstError());
        }
        if (fill.ops() < keys) {
            ctx.results.note(TABLE, String.format(Locale.ROOT, "%s: filling stopped after %d s at %,d keys (%.0f PUT/s)",
                    target, st.fillBudget().toSeconds(), fill.ops(), fill.opsPerSecond()));
        }
        String label = "LIST " + String.format(Locale.ROOT, "%,d", keys) + " keys";
        for (int r = 1; r <= Math.min(2, st.repeats()); r++) {
            Histogram pages = new Histogram(3_600_000_000L, 3);
            long t0 = System.nanoTime();
            long listed;
            try {
                listed = gen.listAll("k/", pages, st.listBudget());
            } catch (IOException e) {
                ctx.results.note(TABLE, target + ": listing #" + r + " failed: " + e);
                return;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<Metric, Double> m = new LinkedHashMap<>();
            boolean cut = listed < 0;
            long n = Math.abs(listed);
            m.put(Metric.LIST_SECONDS, cut ? secs * fill.ops() / Math.max(1, n) : secs);
            m.put(Metric.KEYS_PER_SECOND, n / secs);
            m.put(Metric.KEYS, (double) fill.ops());
            m.put(Metric.P50, pages.getValueAtPercentile(50) / 1000.0);
            m.put(Metric.P99, pages.getValueAtPercentile(99) / 1000.0);
            m.put(Metric.FILL_OPS, fill.opsPerSecond());
            if (cut) {
                ctx.results.note(TABLE, String.format(Locale.ROOT,
                        "%s listing #%d cut short after %.0f s at %,d of %,d keys; full time extrapolated", target, r,
                        secs, n, fill.ops()));
            }
            String err = !cut && n != fill.ops() ? "listed " + n + " keys, " + fill.ops() + " were written" : null;
            ctx.results.add(new Sample(TABLE, target, role, label, r, m, err));
        }
    }
}
