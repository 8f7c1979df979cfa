package io.s3d.bench.suite;

import static io.s3d.bench.load.Op.GET;
import static io.s3d.bench.load.Op.HEAD;
import static io.s3d.bench.load.Op.LIST;
import static io.s3d.bench.load.Op.MIXED;
import static io.s3d.bench.load.Op.PUT;

import io.s3d.bench.limits.DiskLimit;
import io.s3d.bench.limits.LoopbackLimit;
import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Op;
import io.s3d.bench.load.TrivialEndpoint;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Standalone store: s3d against S3Proxy on the filesystem provider, next to the load generator's
 * ceiling and the disk's raw limits, on the same filesystem.
 */
final class StandaloneScenario {

    static final String TABLE = "standalone";
    static final String LIMITS = "limits";
    static final long K4 = 4 << 10;
    static final long M1 = 1 << 20;
    static final long M64 = 64L << 20;

    private StandaloneScenario() {
    }

    /** Prepared 4 KiB keys GET and HEAD pick from. */
    static int keys4k(Context ctx) {
        return ctx.settings.quick() ? 200 : 1000;
    }

    static List<Workload> workloads(Context ctx) {
        List<Workload> w = new ArrayList<>();
        for (Op op : List.of(PUT, GET)) {
            for (int c : List.of(1, 16, 64)) {
                w.add(ctx.timed(op, K4, c, keys4k(ctx)));
            }
        }
        if (!ctx.settings.quick()) {
            w.add(ctx.timed(HEAD, K4, 16, keys4k(ctx)));
            w.add(ctx.timed(LIST, K4, 16, keys4k(ctx)));
            w.add(ctx.timed(MIXED, K4, 16, keys4k(ctx)));
            w.add(ctx.timed(PUT, M1, 16, 64));
            w.add(ctx.timed(GET, M1, 16, 64));
        }
        w.add(ctx.timed(PUT, M64, 1, 2));
        w.add(ctx.timed(GET, M64, 1, 2));
        return w;
    }

    static void run(Context ctx) throws Exception {
        Results res = ctx.results;
        res.table(new TableSpec(LIMITS, "Physical limits of this machine",
                "Plain Java file and socket I/O in the directory the servers store in: sequential write of a new"
                        + " 64 MiB file in 1 MiB writes with fsync before the clock stops, a read of the same file"
                        + " (from the page cache, as a GET right after a PUT), 4 KiB files written, fsynced and"
                        + " renamed into place, and one loopback TCP stream.",
                false, List.of(Metric.OPS, Metric.MBPS), List.of()));
        res.table(new TableSpec(TABLE, "Standalone store: s3d vs S3Proxy (filesystem)",
                "Each server stores on the same disk; every GET is checked byte for byte. The load generator's"
                        + " ceiling is the same workload against an in-process endpoint that stores nothing (its"
                        + " CPU figure includes that endpoint). \"client CPU\" is what the load generator's JVM spent"
                        + " per request: on 2 shared cores, that CPU is taken from the server under test, so a server"
                        + " can at best reach about 2 s / (client CPU + its own CPU per request).",
                false, List.of(Metric.OPS, Metric.MBPS, Metric.P50, Metric.P90, Metric.P99, Metric.MAX, Metric.CLIENT_CPU,
                        Metric.ERRORS),
                List.of("PUT 4 KiB c16", "GET 4 KiB c16", "PUT 64 MiB c1", "GET 64 MiB c1")));

        System.out.println("== physical limits");
        limits(ctx);

        List<Workload> workloads = workloads(ctx);
        System.out.println("== load generator ceiling");
        try (TrivialEndpoint t = TrivialEndpoint.start()) {
            // Both clients' ceilings: the rows below are measured with the one this run uses, the
            // other shows what it would cost.
            LoadGenerator lean = ctx.generator(ctx.lean(t.uri()), "bench", "");
            LoadGenerator sdk = ctx.generator(ctx.sdk(t.uri()), "bench", "");
            for (Workload w : workloads) {
                if (w.op() != MIXED) {
                    // Ceilings run once: they bound the rows, they are not compared with each other.
                    ctx.measure(TABLE, "ceiling, lean client", Role.CEILING, lean, w, r -> Map.of(), 1);
                    // The SDK's cost is shown on the 4 KiB rows (and 64 MiB in the full run).
                    if (w.size() == K4 && (w.op() == PUT || w.op() == GET) && (!ctx.settings.quick()
                            || w.concurrency() == 16) || w.size() == M64 && !ctx.settings.quick()) {
                        ctx.measure(TABLE, "ceiling, AWS SDK client", Role.CEILING, sdk, w, r -> Map.of(), 1);
                    }
                }
            }
        }
        ctx.close();

        System.out.println("== S3Proxy (filesystem)");
        try (Server s3proxy = ctx.s3proxyFilesystem("s3proxy-fs")) {
            runAll(ctx, s3proxy, "S3Proxy 4.1 filesystem", Role.PEER, workloads);
            ctx.memory("standalone", s3proxy);
        }
        ctx.close();

        System.out.println("== s3d standalone");
        Optional<Server> s3d = ctx.s3d(TABLE, "s3d-standalone", S3dPeer.Mode.STANDALONE);
        if (s3d.isPresent()) {
            try (Server s = s3d.get()) {
                runAll(ctx, s, "s3d standalone", Role.S3D, workloads);
                ctx.memory("standalone", s);
            }
        }
        ctx.close();
    }

    private static void runAll(Context ctx, Server server, String target, Role role, List<Workload> workloads) {
        LoadGenerator gen = ctx.generator(server.endpoint(), "bench", "");
        gen.prepare(K4, keys4k(ctx), 16);
        if (!ctx.settings.quick()) {
            gen.prepare(M1, 64, 16);
        }
        gen.prepare(M64, 2, 1);
        for (Workload w : workloads) {
            ctx.measure(TABLE, target, role, gen, w);
        }
    }

    private static void limits(Context ctx) throws Exception {
        Results res = ctx.results;
        Path dir = ctx.dir("raw-disk");
        Files.createDirectories(dir);
        String disk = "disk (raw FileChannel)";
        for (int r = 1; r <= ctx.settings.repeats(); r++) {
            Path f = dir.resolve("raw-" + r);
            double w = DiskLimit.writeFsync(f, M64);
            double rd = DiskLimit.read(f);
            Files.delete(f);
            for (String table : List.of(LIMITS, TABLE)) {
                res.add(new Sample(table, disk, Role.LIMIT, "PUT 64 MiB c1", r, Map.of(Metric.MBPS, w), null));
                res.add(new Sample(table, disk, Role.LIMIT, "GET 64 MiB c1", r, Map.of(Metric.MBPS, rd), null));
            }
            for (int c : List.of(1, 16)) {
                double ops = DiskLimit.smallFilesFsync(dir.resolve("small-" + r + "-" + c), (int) K4, c,
                        Duration.ofMillis(ctx.settings.quick() ? 500 : 2000));
                for (String table : List.of(LIMITS, TABLE)) {
                    res.add(new Sample(table, disk, Role.LIMIT, "PUT 4 KiB c" + c, r,
                            Map.of(Metric.OPS, ops, Metric.MBPS, ops * K4 / 1e6), null));
                }
            }
            double tcp = LoopbackLimit.throughput(Duration.ofMillis(ctx.settings.quick() ? 1000 : 2000));
            res.add(new Sample(LIMITS, "loopback TCP, one stream", Role.LIMIT, "stream 256 KiB writes", r,
                    Map.of(Metric.MBPS, tcp), null));
        }
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
