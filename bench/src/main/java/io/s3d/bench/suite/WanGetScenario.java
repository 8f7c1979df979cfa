package io.s3d.bench.suite;

import static io.s3d.bench.load.Op.GET;
import static io.s3d.bench.load.Op.RANGE;

import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Result;
import io.s3d.bench.load.S3Ops;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.NginxCache;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import io.s3d.bench.wan.WanProxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Repeat GETs over the emulated WAN link: direct to the remote, through nginx proxy_cache and
 * through s3d's read cache, each cache measured on its first reads (misses) and on repeat reads
 * (hits), with the bytes the remote sent per byte served.
 */
final class WanGetScenario {

    static final String TABLE = "wan-get";

    private WanGetScenario() {
    }

    /** Object sizes with the number of distinct keys per repeat. */
    private record Set(long size, int keys) {
    }

    static void run(Context ctx) throws Exception {
        ctx.results.table(new TableSpec(TABLE, "Repeat GETs over a WAN link (40 ms RTT, 50 Mbit/s)",
                "Objects are written to the remote (S3Proxy, filesystem) beforehand, not over the link. \"miss\" rows"
                        + " read each of a fresh set of keys once, through a cold cache; \"hit\" rows then read the same"
                        + " keys at random. Direct rows read from the remote every time. \"remote bytes / byte served\""
                        + " counts what crossed the emulated link towards the client side (headers included). Miss rows have no"
                        + " warm-up (it would turn misses into hits); hit rows read their cached keys for 3 s (1 s in the"
                        + " quick run) before the clock starts, for nginx and s3d alike. 64 MiB rows run once (a miss costs ~11 s of link time).",
                false, List.of(Metric.MBPS, Metric.OPS, Metric.P50, Metric.P99, Metric.EGRESS, Metric.ERRORS),
                List.of("GET 1 MiB c1")));
        System.out.println("== repeat GETs over WAN");
        List<Set> sets = new ArrayList<>(List.of(new Set(StandaloneScenario.M1, ctx.settings.quick() ? 6 : 12)));
        if (ctx.settings.wanLarge()) {
            sets.add(new Set(StandaloneScenario.M64, 1));
            ctx.results.note(TABLE, "range reads (1 MiB at random offsets of a 64 MiB object) run direct and through"
                    + " s3d only: nginx caches ranges only with its slice module and an unsigned Range header, and"
                    + " SigV4 clients sign the Range header.");
        } else {
            ctx.results.note(TABLE, "64 MiB rows run in the full run only (one 64 MiB miss takes ~11 s at 50 Mbit/s).");
        }
        int repeats = WanPutScenario.repeats(ctx);
        try (Server remote = ctx.s3proxyFilesystem("wanget-remote");
             WanProxy wan = WanProxy.start(new InetSocketAddress("127.0.0.1", remote.endpoint().getPort()))) {
            S3Ops local = ctx.client(remote.endpoint());
            new LoadGenerator(local, "wanget", "").createBucket();
            for (int r = 1; r <= 2 * repeats + 1; r++) {
                for (Set s : sets) {
                    new LoadGenerator(local, "wanget", "set" + r + "/").prepare(s.size(), s.keys(), 8);
                }
            }
            wan.rtt(WanPutScenario.RTT).bandwidthMbit(WanPutScenario.MBIT);

            // Direct: every read crosses the link.
            for (Set s : sets) {
                Workload w = s.size() >= StandaloneScenario.M64
                        ? Workload.counted(GET, s.size(), 1, 1, s.keys(), true)
                        : Workload.timed(GET, s.size(), 1, ctx.settings.duration(), Duration.ZERO, s.keys());
                measure(ctx, wan, wan.uri(), "set1/", "direct over WAN", Role.PEER, w, 1);
            }
            measure(ctx, wan, wan.uri(), "set1/", "direct over WAN", Role.PEER,
                    Workload.timed(GET, StandaloneScenario.M1, 16, ctx.settings.duration(), Duration.ZERO,
                            sets.get(0).keys()), 1);
            if (ctx.settings.wanLarge()) {
                measure(ctx, wan, wan.uri(), "set1/", "direct over WAN", Role.PEER,
                        Workload.timed(RANGE, StandaloneScenario.M64, 4, ctx.settings.duration(), Duration.ZERO, 1)
                                .withRangeSize(StandaloneScenario.M1), 1);
            }
            ctx.close();

            if (NginxCache.available()) {
                try (Server nginx = NginxCache.start("nginx-cache", ctx.dir("nginx"), wan.uri())) {
                    caches(ctx, wan, nginx, "nginx proxy_cache", Role.PEER, sets, repeats, 2, false);
                    ctx.memory("wan-get", nginx);
                }
            } else {
                ctx.results.note(TABLE, "skipped nginx: " + NginxCache.NGINX + " is not installed");
            }
            ctx.close();

            Optional<Server> s3d = ctx.s3d(TABLE, "s3d read cache over WAN",
                    S3dPeer.Mode.gateway(wan.uri(), false, true));
            if (s3d.isPresent()) {
                try (Server s = s3d.get()) {
                    caches(ctx, wan, s, "s3d read cache", Role.S3D, sets, repeats, repeats + 2, ctx.settings.wanLarge());
                    ctx.memory("wan-get", s);
                }
            }
            ctx.close();
        }
    }

    /**
     * A miss pass then hit passes for each set. Each repeat of each cache reads its own key set
     * (set {@code firstSet + repeat - 1}), so a miss is never warm from an earlier row.
     */
    private static void caches(Context ctx, WanProxy wan, Server cache, String name, Role role, List<Set> sets,
                               int repeats, int firstSet, boolean ranges) {
        for (Set s : sets) {
            // A 64 MiB miss costs ~11 s of link time: one repeat of those rows.
            int times = s.size() >= StandaloneScenario.M64 ? 1 : repeats;
            for (int r = 1; r <= times; r++) {
                String prefix = "set" + (firstSet + r - 1) + "/";
                measure(ctx, wan, cache.endpoint(), prefix, name + ", miss", role,
                        Workload.counted(GET, s.size(), 1, s.keys(), s.keys(), true), r);
                // Hit rows warm up on the same (already cached) keys first: a daemon serving repeat
                // reads is warm; the miss rows above had none, so misses stay misses.
                Duration warm = hitWarmup(ctx);
                Workload hit = s.size() >= StandaloneScenario.M64
                        ? Workload.counted(GET, s.size(), 1, 4, s.keys(), false)
                        : Workload.timed(GET, s.size(), 1, ctx.settings.duration(), warm, s.keys());
                measure(ctx, wan, cache.endpoint(), prefix, name + ", hit", role, hit, r);
                if (s.size() < StandaloneScenario.M64) {
                    measure(ctx, wan, cache.endpoint(), prefix, name + ", hit", role,
                            Workload.timed(GET, s.size(), 16, ctx.settings.duration(), warm, s.keys()), r);
                }
                if (ranges && s.size() >= StandaloneScenario.M64) {
                    measure(ctx, wan, cache.endpoint(), prefix, name + ", hit", role,
                            Workload.timed(RANGE, s.size(), 4, ctx.settings.duration(), warm, s.keys())
                                    .withRangeSize(StandaloneScenario.M1), r);
                }
            }
        }
    }

    private static Duration hitWarmup(Context ctx) {
        return ctx.settings.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(3);
    }

    private static void measure(Context ctx, WanProxy wan, URI endpoint, String prefix, String target, Role role,
                                Workload w, int repeat) {
        LoadGenerator gen = new LoadGenerator(ctx.client(endpoint), "wanget", prefix);
        int times = repeat == 1 && role == Role.PEER && target.startsWith("direct") && w.size() < StandaloneScenario.M64
                ? WanPutScenario.repeats(ctx) : 1;
        for (int i = 0; i < times; i++) {
            wan.resetCounters();
            Result r = gen.run(w);
            double egress = r.bytes() > 0 ? (double) wan.bytesDown() / r.bytes() : Double.NaN;
            ctx.results.add(Sample.of(TABLE, target, role, times > 1 ? i + 1 : repeat, r,
                    Map.of(Metric.EGRESS, egress)));
        }
    }
}
