package io.s3d.bench.peer;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The s3d service under test, started from {@code s3d-service/target/quarkus-app/quarkus-run.jar}
 * with the environment of docs/contract.md. Whether a feature is really on is read back from
 * {@code GET /_s3d/status} (signed like S3), so rows for features not built yet are skipped.
 */
public final class S3dPeer {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private S3dPeer() {
    }

    /** How to run s3d. */
    public record Mode(URI remote, boolean writeQueue, boolean readCache) {
        /** The local store only. */
        public static final Mode STANDALONE = new Mode(null, false, false);

        /** Pass-through gateway to {@code remote}, with or without queue and cache. */
        public static Mode gateway(URI remote, boolean writeQueue, boolean readCache) {
            return new Mode(remote, writeQueue, readCache);
        }
    }

    /** Why s3d cannot run here, or empty when the jar exists. */
    public static Optional<String> unavailable(Path jar) {
        return Files.isRegularFile(jar) ? Optional.empty()
                : Optional.of("s3d is not built (" + jar + " is missing; build it with ./mvnw -pl s3d-service package)");
    }

    /** Starts s3d in {@code dir}; fails when it does not become ready. */
    public static Server start(String name, Path jar, Path dir, Mode mode) throws IOException {
        return start(name, jar, dir, mode, Map.of());
    }

    /** As above with more environment (e.g. {@code S3D_FUSE=true}), applied last. */
    public static Server start(String name, Path jar, Path dir, Mode mode, Map<String, String> extraEnv)
            throws IOException {
        Files.createDirectories(dir);
        int port = ManagedProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("S3D_ENDPOINT", "http://127.0.0.1:" + port);
        env.put("S3D_LOCAL_DIR", dir.resolve("data").toAbsolutePath().toString());
        env.put("S3D_REGION", "us-east-1");
        env.put("S3D_ACCESS_KEY_ID", Credentials.ACCESS_KEY);
        env.put("S3D_SECRET_ACCESS_KEY", Credentials.SECRET_KEY);
        env.put("S3D_WRITE_QUEUE", Boolean.toString(mode.writeQueue()));
        env.put("S3D_READ_CACHE", Boolean.toString(mode.readCache()));
        if (mode.readCache()) {
            // The default 1G / 100 files would evict the 64 MiB working set of the repeat-GET scenario.
            env.put("S3D_READ_CACHE_MAX_SIZE", "8G");
            env.put("S3D_READ_CACHE_MAX_FILES", "100000");
        }
        if (mode.writeQueue()) {
            env.put("S3D_WRITE_QUEUE_MAX_SIZE", "8G");
            env.put("S3D_WRITE_QUEUE_MAX_FILES", "1000000");
        }
        if (mode.remote() != null) {
            env.put("S3_ENDPOINT", mode.remote().toString());
            env.put("S3D_REMOTE_PATH_STYLE", "true");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", Credentials.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", Credentials.SECRET_KEY);
        }
        env.putAll(extraEnv);
        Path gc = dir.resolve(name + "-gc.log");
        ManagedProcess p = ManagedProcess.start(name, List.of(Jvm.java(), "-Xmx" + (maxHeap() >> 20) + "m",
                "-XX:+UseSerialGC", "-Xms16m", ManagedProcess.gcLogOption(gc), "-jar", jar.toAbsolutePath().toString()),
                dir, env, gc);
        URI uri = URI.create("http://127.0.0.1:" + port);
        try {
            // A minute: on a loaded 2-core machine a JVM start alone can take half of it.
            p.awaitHttp(uri.resolve("/q/health/live"), Duration.ofSeconds(60));
        } catch (IOException e) {
            p.close();
            throw e;
        }
        p.recordIdle(IDLE_SETTLE);
        return new Server(name, p, uri);
    }

    /** How long s3d sits unused after start-up before its idle resident set is read. */
    public static final Duration IDLE_SETTLE = Duration.ofSeconds(5);

    /**
     * The heap `s3d run` gives the daemon (io.s3d.cli.RunCommand#defaultMaxHeap): a quarter of the
     * machine's memory, between 64 MiB and 256 MiB; measured as users run it, with the serial
     * collector and the 16 MiB initial heap it also gives (RunCommand#defaultJvmOptions).
     */
    static long maxHeap() {
        long total = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : 1L << 30;
        return Math.max(64L << 20, Math.min(256L << 20, total / 4));
    }

    /** {@code GET /_s3d/status}, signed with the bench credentials; the JSON text. */
    public static String status(URI endpoint) throws IOException {
        return get(endpoint.resolve("/_s3d/status"));
    }

    /**
     * Checks that the features of {@code mode} are on; returns why not, or empty when they are.
     * A feature that is off in the status although asked for is one not built yet.
     */
    public static Optional<String> missingFeatures(URI endpoint, Mode mode) {
        String json;
        try {
            json = status(endpoint);
        } catch (IOException e) {
            return Optional.of("GET /_s3d/status failed: " + e.getMessage());
        }
        String m = field(json, "mode").orElse("?");
        if (mode.remote() != null && !"gateway".equals(m)) {
            return Optional.of("s3d reports mode " + m + ", not gateway");
        }
        if (mode.writeQueue() && isNull(json, "writeQueue")) {
            return Optional.of("the s3d write queue is not built yet (status has \"writeQueue\":null)");
        }
        if (mode.readCache() && isNull(json, "readCache")) {
            return Optional.of("the s3d read cache is not built yet (status has \"readCache\":null)");
        }
        return Optional.empty();
    }

    /** A numeric field of an object inside the status, e.g. {@code ("writeQueue", "items")}; -1 if absent. */
    public static long number(String json, String object, String field) {
        int at = json.indexOf("\"" + object + "\"");
        if (at < 0) {
            return -1;
        }
        int end = json.indexOf('}', at);
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json.substring(at, end < 0 ? json.length() : end));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static boolean isNull(String json, String field) {
        return !json.contains("\"" + field + "\"") || Pattern.compile("\"" + field + "\"\\s*:\\s*null").matcher(json).find();
    }

    private static Optional<String> field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String get(URI uri) throws IOException {
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri)
                .putHeader("x-amz-content-sha256", EMPTY_SHA256).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(Credentials.ACCESS_KEY, Credentials.SECRET_KEY))
                .request(req)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        signed.request().forEachHeader((k, v) -> {
            if (!k.equalsIgnoreCase("Host")) {
                c.setRequestProperty(k, v.get(0));
            }
        });
        int code = c.getResponseCode();
        byte[] body = (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
        if (code != 200) {
            throw new IOException("HTTP " + code + ": " + new String(body, StandardCharsets.UTF_8));
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
