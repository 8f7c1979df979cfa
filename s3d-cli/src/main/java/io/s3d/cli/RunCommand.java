package io.s3d.cli;

import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code s3d run}: starts the daemon (the s3d-service Quarkus app) in the foreground. Flags
 * become {@code -Ds3d.*} system properties of the child, which Quarkus ranks above environment
 * variables, which rank above configuration files. Ctrl-C or SIGTERM stops the child gracefully;
 * the exit code is the child's.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the s3d daemon in the foreground until Ctrl-C.",
                "",
                "Every flag has an environment variable (in brackets) and a configuration key "
                        + "(s3d.*, settable in a file given with --config or with -D). Flags override "
                        + "the environment, which overrides files."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./s3d run                                          standalone on http://localhost:33333, data in ~/.s3d",
                "  ./s3d run --local-dir /data/s3d --endpoint http://0.0.0.0:9000",
                "  AWS_PROFILE=edge ./s3d run --remote aws --remote-region eu-west-1 --write-queue",
                "  ./s3d run --remote https://minio:9000 --write-queue --write-queue-max-age 10m",
                "  ./s3d run --dry-run --write-queue                 print the java command only"})
public class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Print the java command before running it; stack traces of errors.")
    boolean verbose;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Address to listen on [S3D_ENDPOINT]; default http://localhost:33333; host 0.0.0.0 for all interfaces.")
    String endpoint;

    @Option(names = "--local-dir", paramLabel = "DIR", description = "The local store [S3D_LOCAL_DIR]; default ~/.s3d.")
    String localDir;

    @Option(names = "--region", paramLabel = "REGION", description = "Region s3d answers for [S3D_REGION]; default us-east-1.")
    String region;

    @Option(names = "--base-domain", paramLabel = "DOMAIN", description = "Enable virtual-hosted-style bucket.DOMAIN [S3D_BASE_DOMAIN].")
    String baseDomain;

    @Option(names = "--access-key-id", paramLabel = "ID", description = "Client credential [S3D_ACCESS_KEY_ID]; its secret from S3D_SECRET_ACCESS_KEY or --secret-access-key-file.")
    String accessKeyId;

    @Option(names = "--secret-access-key-file", paramLabel = "FILE", description = "Read the client secret from FILE (kept off the command line).")
    Path secretFile;

    @Option(names = "--credentials-file", paramLabel = "FILE", description = "More client credentials, AWS credentials ini format [S3D_CREDENTIALS_FILE].")
    String credentialsFile;

    @Option(names = "--remote", paramLabel = "URL", description = "The remote S3 store, 'aws' for AWS itself [S3_ENDPOINT]; standalone when unset.")
    String remote;

    @Option(names = "--remote-region", paramLabel = "REGION", description = "Region of the remote [S3D_REMOTE_REGION, AWS_REGION].")
    String remoteRegion;

    @Option(names = "--remote-path-style", arity = "0..1", paramLabel = "BOOL", description = "Path-style addressing to the remote [S3D_REMOTE_PATH_STYLE].")
    Boolean remotePathStyle;

    @Option(names = "--write-queue", arity = "0..1", paramLabel = "BOOL", description = "Queue writes, upload in the background [S3D_WRITE_QUEUE].")
    Boolean writeQueue;

    @Option(names = "--write-queue-dir", paramLabel = "DIR", description = "[S3D_WRITE_QUEUE_DIR]; default <local-dir>/.queue.")
    String writeQueueDir;

    @Option(names = "--write-queue-filter", paramLabel = "FILTER", description = "Which objects are queued [S3D_WRITE_QUEUE_FILTER].")
    String writeQueueFilter;

    @Option(names = "--write-queue-max-size", paramLabel = "SIZE", description = "[S3D_WRITE_QUEUE_MAX_SIZE]; default 1G.")
    String writeQueueMaxSize;

    @Option(names = "--write-queue-max-files", paramLabel = "N", description = "[S3D_WRITE_QUEUE_MAX_FILES]; default 100.")
    String writeQueueMaxFiles;

    @Option(names = "--write-queue-max-age", paramLabel = "AGE", description = "[S3D_WRITE_QUEUE_MAX_AGE]; default 3600s.")
    String writeQueueMaxAge;

    @Option(names = "--read-cache", arity = "0..1", paramLabel = "BOOL", description = "Cache remote reads locally [S3D_READ_CACHE].")
    Boolean readCache;

    @Option(names = "--read-cache-dir", paramLabel = "DIR", description = "[S3D_READ_CACHE_DIR]; default <local-dir>/.cache.")
    String readCacheDir;

    @Option(names = "--read-cache-max-size", paramLabel = "SIZE", description = "[S3D_READ_CACHE_MAX_SIZE]; default 1G.")
    String readCacheMaxSize;

    @Option(names = "--read-cache-max-files", paramLabel = "N", description = "[S3D_READ_CACHE_MAX_FILES]; default 100.")
    String readCacheMaxFiles;

    @Option(names = "--read-cache-max-age", paramLabel = "AGE", description = "[S3D_READ_CACHE_MAX_AGE]; default 3600s.")
    String readCacheMaxAge;

    @Option(names = "--read-cache-block-size", paramLabel = "SIZE", description = "[S3D_READ_CACHE_BLOCK_SIZE]; default 4M.")
    String readCacheBlockSize;

    @Option(names = "--read-cache-read-ahead", paramLabel = "N", description = "[S3D_READ_CACHE_READ_AHEAD]; default 4 blocks.")
    String readCacheReadAhead;

    @Option(names = "--fuse", arity = "0..1", paramLabel = "BOOL", description = "Mount the buckets as directories [S3D_FUSE].")
    Boolean fuse;

    @Option(names = "--fuse-mount-point", paramLabel = "DIR", description = "[S3D_FUSE_MOUNT_POINT]; default /mnt/s3d.")
    String fuseMountPoint;

    @Option(names = "--sync", paramLabel = "DIR=BUCKET[/PREFIX]",
            description = "Keep DIR in two-way sync with a bucket or a key prefix in it (repeatable); the folder is named after "
                    + "DIR's last segment, its other settings are s3d.sync.folders.<name>.* (-D or --config).")
    List<String> syncFolders = new ArrayList<>();

    @Option(names = "--filter-file", paramLabel = "FILE", description = "Filter policy file [S3D_FILTER_FILE].")
    String filterFile;

    @Option(names = "--opa-url", paramLabel = "URL", description = "Open Policy Agent decision URL [S3D_OPA_URL].")
    String opaUrl;

    @Option(names = "--otel-endpoint", paramLabel = "URL", description = "OTLP tracing export [OTEL_EXPORTER_OTLP_ENDPOINT].")
    String otelEndpoint;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file of s3d.* keys (below environment and flags).")
    List<String> configFiles = new ArrayList<>();

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. -D quarkus.log.level=DEBUG.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "Pass to the daemon's JVM, e.g. --jvm-option=-Xmx2g.")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--service-jar", paramLabel = "JAR", description = "The daemon's quarkus-run.jar; default: found next to this command.")
    Path serviceJar;

    @Option(names = "--dry-run", description = "Print the command that would run the daemon, and exit.")
    boolean dryRun;

    /**
     * Used by the ./s3d launcher: write the daemon's command line (and the environment it adds)
     * to FILE instead of starting it, so that the launcher replaces itself with the daemon (exec)
     * and no second JVM stays resident only to wait for it.
     */
    @Option(names = "--exec-plan", paramLabel = "FILE", hidden = true)
    Path execPlan;

    /** The most heap the daemon gets by default: it streams bodies, the heap holds metadata and buffers. */
    static final long DEFAULT_MAX_HEAP = 256L << 20;
    static final long MIN_HEAP = 64L << 20;
    /** The heap the daemon starts with: it grows on demand up to the cap. */
    static final long INITIAL_HEAP = 16L << 20;

    /** The configuration keys the flags set, in order. */
    Map<String, String> systemProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        put(p, "s3d.endpoint", endpoint);
        put(p, "s3d.local-dir", localDir == null ? null : expandHome(localDir));
        put(p, "s3d.region", region);
        put(p, "s3d.base-domain", baseDomain);
        put(p, "s3d.access-key-id", accessKeyId);
        put(p, "s3d.credentials-file", credentialsFile);
        put(p, "s3d.remote.endpoint", remote);
        put(p, "s3d.remote.region", remoteRegion);
        put(p, "s3d.remote.path-style", remotePathStyle);
        put(p, "s3d.write-queue.enabled", writeQueue);
        put(p, "s3d.write-queue.dir", writeQueueDir);
        put(p, "s3d.write-queue.filter", writeQueueFilter);
        put(p, "s3d.write-queue.max-size", writeQueueMaxSize);
        put(p, "s3d.write-queue.max-files", writeQueueMaxFiles);
        put(p, "s3d.write-queue.max-age", writeQueueMaxAge);
        put(p, "s3d.read-cache.enabled", readCache);
        put(p, "s3d.read-cache.dir", readCacheDir);
        put(p, "s3d.read-cache.max-size", readCacheMaxSize);
        put(p, "s3d.read-cache.max-files", readCacheMaxFiles);
        put(p, "s3d.read-cache.max-age", readCacheMaxAge);
        put(p, "s3d.read-cache.block-size", readCacheBlockSize);
        put(p, "s3d.read-cache.read-ahead", readCacheReadAhead);
        put(p, "s3d.fuse.enabled", fuse);
        put(p, "s3d.fuse.mount-point", fuseMountPoint);
        SyncFlag.toProperties(syncFolders, RunCommand::expandHome).forEach(p::put);
        put(p, "s3d.filter.file", filterFile);
        put(p, "s3d.filter.opa-url", opaUrl);
        put(p, "quarkus.otel.exporter.otlp.endpoint", otelEndpoint);
        if (!configFiles.isEmpty()) {
            List<String> abs = new ArrayList<>();
            for (String f : configFiles) {
                Path path = Path.of(expandHome(f));
                if (!Files.isRegularFile(path)) {
                    throw new CliException("no such configuration file: " + f);
                }
                abs.add(path.toAbsolutePath().toUri().toString());
            }
            p.put("quarkus.config.locations", String.join(",", abs));
        }
        p.putAll(properties);
        return p;
    }

    private static void put(Map<String, String> p, String key, Object value) {
        if (value != null) {
            p.put(key, value.toString());
        }
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    /** The command line of the child JVM. */
    List<String> command(Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(defaultJvmOptions(jvmOptions, totalMemory()));
        cmd.addAll(aotCacheOptions(jar, Runtime.version().feature()));
        cmd.addAll(jvmOptions);
        systemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    /**
     * The JVM options s3d run adds before the user's: each unless a --jvm-option already decides
     * the same thing. The heap cap (see {@link #defaultMaxHeap}); the serial collector, because
     * the daemon keeps little alive and a concurrent collector's threads and remembered sets cost
     * resident memory the heap does not need (idle RSS 130 MiB instead of 155 MiB, measured
     * in docs/benchmarks.md); and a 16 MiB initial heap, because on a large machine the JVM would
     * otherwise commit 1/64 of its memory up front and the serial collector keeps what it commits.
     */
    static List<String> defaultJvmOptions(List<String> userOptions, long totalMemory) {
        List<String> options = new ArrayList<>();
        if (userOptions.stream().noneMatch(RunCommand::sizesHeap)) {
            options.add("-Xmx" + (defaultMaxHeap(totalMemory) >> 20) + "m");
        }
        if (userOptions.stream().noneMatch(RunCommand::choosesCollector)) {
            options.add("-XX:+UseSerialGC");
        }
        if (userOptions.stream().noneMatch(RunCommand::sizesInitialHeap)) {
            options.add("-Xms" + (INITIAL_HEAP >> 20) + "m");
        }
        return options;
    }

    /**
     * The JDK AOT cache of the daemon (JDK 25+), app.aot beside its jar, which the ./s3d launcher
     * trains once per build: classes loaded and linked ahead shorten the start-up by a quarter to
     * a half. A cache that no longer matches the jars is ignored by the JVM (and its warning
     * silenced: nothing is wrong).
     */
    static List<String> aotCacheOptions(Path jar, int javaFeature) {
        Path cache = jar.resolveSibling("app.aot");
        if (javaFeature < 25 || !Files.isRegularFile(cache)) {
            return List.of();
        }
        return List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off,cds*=off");
    }

    private static boolean sizesHeap(String option) {
        return option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize") || option.startsWith("-XX:MaxRAM");
    }

    private static boolean sizesInitialHeap(String option) {
        return option.startsWith("-Xms") || option.startsWith("-XX:InitialHeapSize") || option.startsWith("-XX:InitialRAM")
                || option.startsWith("-XX:MinHeapSize");
    }

    private static boolean choosesCollector(String option) {
        return option.matches("-XX:[+-]Use\\w*GC");
    }

    /**
     * The daemon's heap limit unless --jvm-option sets one: a quarter of the memory this machine
     * (or container: the JVM reads its cgroup limit) has, between 64 MiB and 256 MiB. The JVM's own
     * default, a quarter of the memory with no cap, let the heap grow to 336 MiB in the bench
     * although s3d never holds a body in memory.
     */
    static long defaultMaxHeap(long totalMemory) {
        return Math.max(MIN_HEAP, Math.min(DEFAULT_MAX_HEAP, totalMemory / 4));
    }

    private static long totalMemory() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return DEFAULT_MAX_HEAP * 4;
    }

    /**
     * The plan the launcher executes: NUL-separated entries, {@code env:NAME=VALUE} for variables
     * to add, then {@code arg:...} for each word of the command line. Written to a new file only
     * its owner can read (it may hold the client secret).
     */
    private static void writeExecPlan(Path file, List<String> cmd, String secret) throws java.io.IOException {
        StringBuilder plan = new StringBuilder();
        if (secret != null) {
            plan.append("env:S3D_SECRET_ACCESS_KEY=").append(secret).append('\0');
        }
        for (String word : cmd) {
            plan.append("arg:").append(word).append('\0');
        }
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, plan, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The service jar: --service-jar, else $S3D_SERVICE_JAR, else the system property the
     * launcher sets, else s3d-service/target/quarkus-app/quarkus-run.jar (or service/quarkus-run.jar
     * in a distribution) in a directory above this command's jar.
     */
    Path locateServiceJar() {
        S3dCommand root = (S3dCommand) spec.root().userObject();
        List<Path> candidates = new ArrayList<>();
        if (serviceJar != null) {
            candidates.add(serviceJar);
        } else if (root.env.get("S3D_SERVICE_JAR") != null) {
            candidates.add(Path.of(root.env.get("S3D_SERVICE_JAR")));
        } else if (System.getProperty("s3d.service.jar") != null) {
            candidates.add(Path.of(System.getProperty("s3d.service.jar")));
        } else {
            try {
                Path self = Path.of(RunCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                for (Path dir = self.getParent(); dir != null; dir = dir.getParent()) {
                    candidates.add(dir.resolve("s3d-service/target/quarkus-app/quarkus-run.jar"));
                    candidates.add(dir.resolve("service/quarkus-run.jar"));
                }
            } catch (URISyntaxException | RuntimeException e) {
                // no code source: fall through to the error below
            }
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c.toAbsolutePath();
            }
        }
        String tried = candidates.isEmpty() ? "" : " (looked for " + candidates.get(0) + ")";
        throw new CliException("cannot find the s3d service jar" + tried,
                "build it with ./mvnw -pl s3d-service -am package, or point --service-jar or S3D_SERVICE_JAR at quarkus-run.jar");
    }

    @Override
    public Integer call() throws Exception {
        S3dCommand root = (S3dCommand) spec.root().userObject();
        Path jar = locateServiceJar();
        List<String> cmd = command(jar);
        String secret = null;
        if (secretFile != null) {
            secret = Files.readString(secretFile).trim();
        }
        PrintWriter err = spec.commandLine().getErr();
        if (dryRun) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(String.join(" ", cmd.stream().map(RunCommand::shellQuote).toList()));
            out.flush();
            return ExitCodes.OK;
        }
        if (verbose) {
            err.println("s3d run: " + String.join(" ", cmd));
            err.flush();
        }
        if (execPlan != null) {
            writeExecPlan(execPlan, cmd, secret);
            return ExitCodes.OK;
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().clear();
        pb.environment().putAll(root.env);
        if (secret != null) {
            // through the environment, so the secret does not show in ps
            pb.environment().put("S3D_SECRET_ACCESS_KEY", secret);
        }
        // the hook is in place before the child exists: a signal can never leave an orphan daemon
        AtomicReference<Process> started = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            // Ctrl-C or SIGTERM reached us: stop the daemon gracefully, then leave with its code
            stopping.set(true);
            Process child;
            synchronized (started) {
                child = started.get();
            }
            if (child == null || !child.isAlive()) {
                return;
            }
            child.destroy();
            try {
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    child.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(child.isAlive() ? ExitCodes.ERROR : child.exitValue());
        }, "s3d-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Process child;
        synchronized (started) {
            if (stopping.get()) {
                return ExitCodes.ERROR;
            }
            child = pb.start();
            started.set(child);
        }
        int code = child.waitFor();
        if (!stopping.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping; the hook leaves with the child's code
            }
        }
        return code;
    }

    static String shellQuote(String s) {
        if (s.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
