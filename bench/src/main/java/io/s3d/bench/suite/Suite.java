package io.s3d.bench.suite;

import io.s3d.bench.fuse.FuseBench;
import io.s3d.bench.fuse.FuseSizes;
import io.s3d.bench.peer.NginxCache;
import io.s3d.bench.limits.MachineLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The benchmark suite: runs every scenario, writes the raw CSV under bench/results/ and regenerates
 * docs/benchmarks.md with its charts under docs/benchmarks/. Started by bench/run.sh.
 *
 * <p>Flags: {@code --quick}, {@code --root DIR} (repository root, default the working directory),
 * {@code --only standalone,gateway,wan-put,wan-get,list,tracing,fuse} (for development; the page then lists only
 * those), {@code --client sdk} (measure through the AWS SDK instead of the lean client).
 */
public final class Suite {

    private Suite() {
    }

    /** Runs the suite; exit code 0 when it completed, whatever the numbers. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        Path root = Path.of(value(a, "--root", ".")).toAbsolutePath().normalize();
        Set<String> only = Arrays.stream(value(a, "--only", "standalone,gateway,wan-put,wan-get,list,tracing,encryption,fuse").split(","))
                .map(String::trim).collect(Collectors.toSet());
        Path work = root.resolve("bench/target/work");
        StandaloneScenario.deleteTree(work);
        Files.createDirectories(work);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));

        Settings settings = Settings.of(quick, root, work);
        if ("sdk".equals(value(a, "--client", "lean"))) {
            settings = settings.withSdkClient();
        }
        Results results = new Results();
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("loadBefore", MachineLoad.loadAverage());
        long t0 = System.nanoTime();
        try (Context ctx = new Context(settings, results)) {
            if (!Files.exists(settings.s3proxyJar())) {
                throw new IOException(settings.s3proxyJar() + " is missing: build the bench module first"
                        + " (./mvnw -pl bench package)");
            }
            run(ctx, only, "standalone", () -> StandaloneScenario.run(ctx), StandaloneScenario.TABLE);
            run(ctx, only, "gateway", () -> GatewayScenario.run(ctx), GatewayScenario.TABLE);
            run(ctx, only, "wan-put", () -> WanPutScenario.run(ctx), WanPutScenario.TABLE);
            run(ctx, only, "wan-get", () -> WanGetScenario.run(ctx), WanGetScenario.TABLE);
            run(ctx, only, "list", () -> ListScenario.run(ctx), ListScenario.TABLE);
            run(ctx, only, "tracing", () -> TracingScenario.run(ctx), TracingScenario.TABLE);
            run(ctx, only, "encryption", () -> EncryptionScenario.run(ctx), EncryptionScenario.TABLE);
            if (only.contains("fuse")) {
                fuse(settings);
            }
            machine.put("s3d", ctx.s3dVersion != null ? ctx.s3dVersion + " (" + settings.s3dJar().getFileName() + ")"
                    : "not measured (" + root.relativize(settings.s3dJar()) + " missing or not started)");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        machine.put("loadAfter", MachineLoad.loadAverage());
        machine.putAll(machineInfo(work));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        String csvName = stamp + (quick ? "-quick" : "-full") + ".csv";
        results.writeCsv(root.resolve("bench/results").resolve(csvName));
        Path charts = root.resolve("docs/benchmarks");
        if (Files.isDirectory(charts)) {
            try (var old = Files.list(charts)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                    Files.delete(p);
                }
            }
        }
        new Report(results, settings, machine).write(root.resolve("docs/benchmarks.md"), charts, csvName, seconds);
        keepOnlyLogs(work);
        System.out.printf(Locale.ROOT, "done in %.0f s: docs/benchmarks.md, bench/results/%s%n", seconds, csvName);
    }

    /**
     * The FUSE rows: their own section (bench/results/fuse.md, included in the page), full sizes unless
     * {@code --quick}; a machine without FUSE gets a section saying so.
     */
    private static void fuse(Settings settings) {
        try {
            FuseBench.run(settings.quick() ? FuseSizes.QUICK : FuseSizes.FULL, settings.root(),
                    settings.work().resolve("fuse"), settings.root().resolve("bench/results/fuse.md"), "bench/run.sh");
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("!! the FUSE rows stopped early: " + e);
        }
    }

    /** Deletes the servers' data but keeps their logs, for a look after a skipped or failed row. */
    private static void keepOnlyLogs(Path work) throws IOException {
        try (var walk = Files.walk(work)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p)) {
                    try (var entries = Files.list(p)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                } else if (!p.getFileName().toString().endsWith(".log")) {
                    Files.delete(p);
                }
            }
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void run(Context ctx, Set<String> only, String name, Body body, String table) {
        if (!only.contains(name)) {
            return;
        }
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            ctx.results.note(table, "the scenario stopped early: " + Context.firstLine(String.valueOf(e)));
        } finally {
            ctx.close();
        }
    }

    private static String value(List<String> args, String flag, String def) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : def;
    }


    private static Map<String, String> machineInfo(Path work) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("date", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        m.put("cpu", grep("/proc/cpuinfo", "model name").orElse("?"));
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("memory", grep("/proc/meminfo", "MemTotal").map(s -> {
            long kb = Long.parseLong(s.replaceAll("\\D", ""));
            return String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0);
        }).orElse("?"));
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("filesystem", command("stat", "-f", "-c", "%T", work.toString()) + " ("
                + command("df", "-h", "--output=size,avail", work.toString()).replace('\n', ' ') + ")");
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("s3proxy", "4.1.0 (org.gaul:s3proxy jar-with-dependencies, separate process)");
        m.put("nginx", NginxCache.available() ? NginxCache.version() + " (Debian)" : "not installed");
        m.put("awssdk", software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION + " (Apache HTTP client)");
        return m;
    }

    private static java.util.Optional<String> grep(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
