package io.s3d.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command line for the load generator alone:
 * <pre>
 * java -cp 'bench/target/s3d-bench.jar:bench/target/lib/*' io.s3d.bench.load.LoadMain \
 *   --endpoint http://127.0.0.1:33333 --access-key AK --secret-key SK --bucket bench \
 *   --op GET --size 4k --concurrency 16 --duration 10s [--ops N] [--keys 100] [--warmup 1s] [--client lean|sdk]
 * </pre>
 * {@code --endpoint trivial} measures against the in-process trivial endpoint (the ceiling).
 */
public final class LoadMain {
    private LoadMain() {
    }

    /** Parses the flags, prepares the keys a read workload needs, runs once and prints the result. */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!a.containsKey("endpoint")) {
            System.err.println("usage: LoadMain --endpoint URL|trivial [--access-key AK --secret-key SK] [--bucket B]"
                    + " --op PUT|GET|RANGE|HEAD|LIST|MIXED --size 4k --concurrency 16 --duration 10s [--ops N]"
                    + " [--keys 100] [--warmup 0s] [--client lean|sdk]");
            System.exit(2);
        }
        Op op = Op.valueOf(a.getOrDefault("op", "GET").toUpperCase(Locale.ROOT));
        long size = Sizes.parse(a.getOrDefault("size", "4k"));
        int conc = Integer.parseInt(a.getOrDefault("concurrency", "16"));
        Duration dur = parseDuration(a.getOrDefault("duration", a.containsKey("ops") ? "0s" : "10s"));
        long ops = Long.parseLong(a.getOrDefault("ops", "0"));
        int keys = Integer.parseInt(a.getOrDefault("keys", "100"));
        Duration warm = parseDuration(a.getOrDefault("warmup", "0s"));
        TrivialEndpoint trivial = "trivial".equals(a.get("endpoint")) ? TrivialEndpoint.start() : null;
        URI uri = trivial != null ? trivial.uri() : URI.create(a.get("endpoint"));
        String ak = a.getOrDefault("access-key", "bench");
        String sk = a.getOrDefault("secret-key", "bench-secret");
        try (S3Ops s3 = "sdk".equals(a.getOrDefault("client", "lean")) ? new SdkOps(S3Clients.create(uri, ak, sk, conc))
                : new LeanS3Client(uri, ak, sk)) {
            LoadGenerator gen = new LoadGenerator(s3, a.getOrDefault("bucket", "bench"), a.getOrDefault("prefix", ""));
            gen.createBucket();
            if (trivial == null && op != Op.PUT) {
                gen.prepare(size, keys, Math.min(conc, 16));
            }
            Result r = gen.run(new Workload(op, size, conc, dur, ops, warm, keys, false, Sizes.parse(
                    a.getOrDefault("range", "1m"))));
            System.out.println(r);
        } finally {
            if (trivial != null) {
                trivial.close();
            }
        }
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}. */
    public static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
