package io.s3d.bench.suite;

import static io.s3d.bench.load.Op.GET;
import static io.s3d.bench.load.Op.HEAD;
import static io.s3d.bench.load.Op.PUT;

import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.S3ProxyPeer;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gateway pass-through overhead on loopback: the same remote (S3Proxy on the filesystem) reached
 * directly, through S3Proxy's own S3 provider, and through s3d in gateway mode.
 */
final class GatewayScenario {

    static final String TABLE = "gateway";

    private GatewayScenario() {
    }

    static void run(Context ctx) throws Exception {
        ctx.results.table(new TableSpec(TABLE, "Gateway pass-through overhead on loopback",
                "One remote (S3Proxy, filesystem) on loopback with no emulated WAN. \"direct\" is the client talking"
                        + " to the remote itself; the gateways forward every request to it. The figure that matters is"
                        + " the p50 added over direct access.",
                true, List.of(Metric.P50, Metric.P90, Metric.P99, Metric.OPS, Metric.MBPS, Metric.ERRORS),
                List.of()));
        List<Workload> workloads = new ArrayList<>(List.of(
                ctx.timed(GET, StandaloneScenario.K4, 1, keys(ctx, 100)),
                ctx.timed(PUT, StandaloneScenario.K4, 1, keys(ctx, 100)),
                ctx.timed(HEAD, StandaloneScenario.K4, 1, keys(ctx, 100)),
                ctx.timed(GET, StandaloneScenario.K4, 16, keys(ctx, 100)),
                ctx.timed(GET, StandaloneScenario.M1, 1, keys(ctx, 16))));
        System.out.println("== gateway pass-through on loopback");
        try (Server remote = ctx.s3proxyFilesystem("remote-s3proxy")) {
            runAll(ctx, remote, "direct to the remote", Role.REFERENCE, "direct/", workloads);
            ctx.close();
            try (Server gw = S3ProxyPeer.gateway("s3proxy-gateway", ctx.settings.s3proxyJar(), ctx.dir("s3proxy-gw"),
                    remote.endpoint())) {
                runAll(ctx, gw, "S3Proxy 4.1 aws-s3-sdk gateway", Role.PEER, "s3proxy-gw/", workloads);
                ctx.memory("gateway", gw);
            } catch (IOException | RuntimeException e) {
                ctx.results.note(TABLE, "skipped S3Proxy gateway: " + Context.firstLine(e.getMessage()));
            }
            ctx.close();
            Optional<Server> s3d = ctx.s3d(TABLE, "s3d-gateway",
                    S3dPeer.Mode.gateway(remote.endpoint(), false, false));
            if (s3d.isPresent()) {
                try (Server s = s3d.get()) {
                    runAll(ctx, s, "s3d gateway", Role.S3D, "s3d-gw/", workloads);
                    ctx.memory("gateway", s);
                }
            }
            ctx.close();
        }
    }

    /** Fewer prepared keys in the quick run: the S3Proxy gateway writes them at tens per second. */
    private static int keys(Context ctx, int full) {
        return ctx.settings.quick() ? Math.max(4, full / 5) : full;
    }

    private static void runAll(Context ctx, Server server, String target, Role role, String prefix,
                               List<Workload> workloads) {
        LoadGenerator gen = ctx.generator(server.endpoint(), "gateway", prefix);
        gen.prepare(StandaloneScenario.K4, keys(ctx, 100), 16);
        gen.prepare(StandaloneScenario.M1, keys(ctx, 16), 8);
        for (Workload w : workloads) {
            ctx.measure(TABLE, target, role, gen, w);
        }
    }
}
