package io.s3d.bench.suite;

import io.s3d.bench.load.LeanS3Client;
import io.s3d.bench.load.LoadGenerator;
import io.s3d.bench.load.Result;
import io.s3d.bench.load.S3Clients;
import io.s3d.bench.load.S3Ops;
import io.s3d.bench.load.SdkOps;
import io.s3d.bench.load.Workload;
import io.s3d.bench.peer.Credentials;
import io.s3d.bench.peer.ManagedProcess;
import io.s3d.bench.peer.S3ProxyPeer;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** What every scenario needs: settings, results, and helpers to start servers and measure. */
final class Context implements AutoCloseable {

    /** Pool size of every client: the largest concurrency used. */
    static final int POOL = 64;

    final Settings settings;
    final Results results;
    /** Version reported by s3d's status, once seen. */
    String s3dVersion;
    private final List<AutoCloseable> open = new ArrayList<>();
    private int dirCounter;

    Context(Settings settings, Results results) {
        this.settings = settings;
        this.results = results;
    }

    /** A fresh scratch directory. */
    Path dir(String name) {
        return settings.work().resolve(String.format("%02d-%s", ++dirCounter, name));
    }

    /** The client this run measures with (lean unless {@code --client sdk}), closed with the context. */
    S3Ops client(URI endpoint) {
        return settings.sdkClient() ? sdk(endpoint) : lean(endpoint);
    }

    /** An AWS SDK client, closed with the context. */
    S3Ops sdk(URI endpoint) {
        S3Ops c = new SdkOps(S3Clients.create(endpoint, Credentials.ACCESS_KEY, Credentials.SECRET_KEY, POOL));
        open.add(c);
        return c;
    }

    /** A lean client, closed with the context. */
    S3Ops lean(URI endpoint) {
        S3Ops c = new LeanS3Client(endpoint, Credentials.ACCESS_KEY, Credentials.SECRET_KEY);
        open.add(c);
        return c;
    }

    /** A load generator on a bucket (created) of an endpoint. */
    LoadGenerator generator(URI endpoint, String bucket, String prefix) {
        return generator(client(endpoint), bucket, prefix);
    }

    /** A load generator on a bucket (created) through a given client. */
    LoadGenerator generator(S3Ops ops, String bucket, String prefix) {
        LoadGenerator g = new LoadGenerator(ops, bucket, prefix);
        g.createBucket();
        return g;
    }

    Server s3proxyFilesystem(String name) throws IOException {
        return S3ProxyPeer.filesystem(name, settings.s3proxyJar(), dir(name));
    }

    /**
     * Starts s3d in a mode, or notes under {@code table} why it cannot and returns empty: the jar
     * is missing, it does not start, or a feature of the mode is not built yet.
     */
    Optional<Server> s3d(String table, String name, S3dPeer.Mode mode) {
        return s3d(table, name, mode, Map.of());
    }

    /** As above with more environment (e.g. {@code S3D_OTEL=true}). */
    Optional<Server> s3d(String table, String name, S3dPeer.Mode mode, Map<String, String> env) {
        Optional<String> why = S3dPeer.unavailable(settings.s3dJar());
        if (why.isPresent()) {
            results.note(table, "skipped " + name + ": " + why.get());
            return Optional.empty();
        }
        Server s;
        try {
            s = S3dPeer.start(name, settings.s3dJar(), dir(name), mode, env);
        } catch (IOException e) {
            results.note(table, "skipped " + name + ": s3d did not start: " + relative(firstLine(e.getMessage())));
            return Optional.empty();
        }
        Optional<String> missing = S3dPeer.missingFeatures(s.endpoint(), mode);
        if (missing.isPresent()) {
            s.close();
            results.note(table, "skipped " + name + ": " + missing.get());
            return Optional.empty();
        }
        if (s3dVersion == null) {
            try {
                String st = S3dPeer.status(s.endpoint());
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(st);
                s3dVersion = m.find() ? m.group(1) : "unknown";
            } catch (IOException e) {
                s3dVersion = "unknown";
            }
        }
        return Optional.of(s);
    }

    /** A message with the repository root cut from paths, for the page. */
    String relative(String s) {
        return s.replace(settings.root().toString() + "/", "");
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " (see its log under bench/target/work)";
    }

    /** A timed workload with this run's duration and warm-up. */
    Workload timed(io.s3d.bench.load.Op op, long size, int concurrency, int keyCount) {
        return Workload.timed(op, size, concurrency, settings.duration(), settings.warmup(), keyCount);
    }

    /**
     * Runs a workload {@code repeats} times (the warm-up only before the first) and records each
     * repeat; {@code extra} adds metrics computed from the result.
     */
    void measure(String table, String target, Role role, LoadGenerator gen, Workload w,
                 Function<Result, Map<Metric, Double>> extra) {
        measure(table, target, role, gen, w, extra, settings.repeats());
    }

    /** As above with an explicit repeat count. */
    void measure(String table, String target, Role role, LoadGenerator gen, Workload w,
                 Function<Result, Map<Metric, Double>> extra, int repeats) {
        for (int r = 1; r <= repeats; r++) {
            Workload run = r == 1 ? w : new Workload(w.op(), w.size(), w.concurrency(), w.duration(), w.opCount(),
                    Duration.ZERO, w.keyCount(), w.sequential(), w.rangeSize());
            Result res = gen.run(run);
            results.add(Sample.of(table, target, role, r, res, extra.apply(res)));
        }
    }

    void measure(String table, String target, Role role, LoadGenerator gen, Workload w) {
        measure(table, target, role, gen, w, r -> Map.of());
    }

    /** Records peak RSS and heap of a server process after a scenario. */
    void memory(String scenario, Server s) {
        ManagedProcess p = s.process();
        if (p != null) {
            results.memory(new Results.Memory(scenario, s.name(), p.idleRssMiB(), p.peakRssMiB(), p.peakHeapMiB(),
                    p.peakHeapAfterGcMiB()));
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        open.clear();
    }
}
