package io.s3d.bench.suite;

import static io.s3d.bench.load.Op.PUT;

import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Result;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import io.s3d.bench.wan.WanProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PUT acknowledgement latency over an emulated WAN link (40 ms RTT, 50 Mbit/s each way): direct to
 * the remote, through s3d pass-through, and into s3d's write queue (with the time the queue then
 * needs to drain to the remote).
 */
final class WanPutScenario {

    static final String TABLE = "wan-put";
    static final Duration RTT = Duration.ofMillis(40);
    static final double MBIT = 50;
    static final long K64 = 64 << 10;
    static final long M8 = 8 << 20;

    private WanPutScenario() {
    }

    static List<Workload> workloads(Context ctx) {
        return List.of(ctx.timed(PUT, K64, 1, 1), ctx.timed(PUT, K64, 16, 1),
                Workload.counted(PUT, M8, 1, ctx.settings.quick() ? 2 : 3, 1, false));
    }

    /** The link dominates these rows and their spread is small: two repeats keep the full run in budget. */
    static int repeats(Context ctx) {
        return Math.min(2, ctx.settings.repeats());
    }

    static void run(Context ctx) throws Exception {
        ctx.results.table(new TableSpec(TABLE, "PUT acknowledgement over a WAN link (40 ms RTT, 50 Mbit/s)",
                "The remote is S3Proxy (filesystem) behind the WAN emulator (20 ms added each way, 50 Mbit/s each"
                        + " way, shared by all connections). Latency is until the client has the PUT's answer. 8 MiB"
                        + " rows are a fixed count of PUTs. \"queue drain\" is the time from the end of a run until"
                        + " s3d's status shows an empty queue.",
                true, List.of(Metric.P50, Metric.P99, Metric.OPS, Metric.MBPS, Metric.DRAIN, Metric.ERRORS),
                List.of()));
        System.out.println("== PUT over WAN");
        List<Workload> workloads = workloads(ctx);
        try (Server remote = ctx.s3proxyFilesystem("wan-remote");
             WanProxy wan = WanProxy.start(new InetSocketAddress("127.0.0.1", remote.endpoint().getPort()))) {
            wan.rtt(RTT).bandwidthMbit(MBIT);
            LoadGenerator direct = ctx.generator(wan.uri(), "wanput", "direct/");
            for (Workload w : workloads) {
                ctx.measure(TABLE, "direct over WAN", Role.PEER, direct, w, r -> Map.of(), repeats(ctx));
            }
            ctx.close();

            Optional<Server> pass = ctx.s3d(TABLE, "s3d pass-through over WAN",
                    S3dPeer.Mode.gateway(wan.uri(), false, false));
            if (pass.isPresent()) {
                try (Server s = pass.get()) {
                    LoadGenerator g = ctx.generator(s.endpoint(), "wanput", "s3d-pass/");
                    for (Workload w : workloads) {
                        ctx.measure(TABLE, "s3d pass-through over WAN", Role.S3D, g, w, r -> Map.of(), repeats(ctx));
                    }
                    ctx.memory("wan-put", s);
                }
            }
            ctx.close();

            Optional<Server> queue = ctx.s3d(TABLE, "s3d write queue over WAN",
                    S3dPeer.Mode.gateway(wan.uri(), true, false));
            if (queue.isPresent()) {
                try (Server s = queue.get()) {
                    LoadGenerator g = ctx.generator(s.endpoint(), "wanput", "s3d-queue/");
                    for (Workload w : workloads) {
                        ctx.measure(TABLE, "s3d write queue over WAN", Role.S3D, g, w,
                                r -> Map.of(Metric.DRAIN, drainSeconds(s, r)), repeats(ctx));
                    }
                    ctx.memory("wan-put", s);
                }
            }
            ctx.close();

            Optional<Server> standalone = ctx.s3d(TABLE, "s3d standalone, no WAN", S3dPeer.Mode.STANDALONE);
            if (standalone.isPresent()) {
                try (Server s = standalone.get()) {
                    LoadGenerator g = ctx.generator(s.endpoint(), "wanput", "s3d-local/");
                    for (Workload w : workloads) {
                        ctx.measure(TABLE, "s3d standalone, no WAN (reference)", Role.REFERENCE, g, w, r -> Map.of(),
                                repeats(ctx));
                    }
                }
            }
            ctx.close();
        }
    }

    /** Polls the queue until it is empty (at most 3 minutes); NaN if the status cannot tell or it never empties. */
    private static double drainSeconds(Server s, Result r) {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long items;
            try {
                items = S3dPeer.number(S3dPeer.status(s.endpoint()), "writeQueue", "items");
            } catch (IOException e) {
                return Double.NaN;
            }
            if (items < 0) {
                return Double.NaN;
            }
            if (items == 0) {
                return (System.nanoTime() - t0) / 1e9;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
