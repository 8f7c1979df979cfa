package io.s3d.bench.suite;

import io.s3d.bench.load.S3Clients;
import io.s3d.bench.peer.Credentials;
import io.s3d.bench.peer.S3dPeer;
import io.s3d.bench.peer.Server;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * What encryption at rest costs on the standalone store: one 64 MiB PUT and GET at a time, in the
 * clear, with SSE-S3 and with SSE-C, through the AWS SDK (every GET checked byte for byte).
 */
final class EncryptionScenario {
    static final String TABLE = "encryption";
    private static final int SIZE = 64 << 20;

    private EncryptionScenario() {
    }

    /** How a request of one mode is dressed: its PUT and GET headers. */
    private record Mode(String name, UnaryOperator<PutObjectRequest.Builder> put,
            UnaryOperator<GetObjectRequest.Builder> get) {
    }

    static void run(Context ctx) throws Exception {
        ctx.results.table(new TableSpec(TABLE, "Encryption cost",
                "Standalone s3d, one client, one 64 MiB object at a time through the AWS SDK: PUT and GET in the"
                        + " clear (GET by sendfile), with SSE-S3 (AES-256-GCM under a data key wrapped by s3d's master key) and with"
                        + " SSE-C (the same, the data key wrapped by the client's key); every GET is checked.",
                false, List.of(Metric.MBPS), List.of()));
        Optional<Server> started = ctx.s3d(TABLE, "s3d-encryption", S3dPeer.Mode.STANDALONE);
        if (started.isEmpty()) {
            return;
        }
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        String keyB64 = Base64.getEncoder().encodeToString(key);
        String keyMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(key));
        List<Mode> modes = List.of(
                new Mode("s3d, plaintext", b -> b, b -> b),
                new Mode("s3d, SSE-S3", b -> b.serverSideEncryption("AES256"), b -> b),
                new Mode("s3d, SSE-C", b -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64)
                        .sseCustomerKeyMD5(keyMd5), b -> b.sseCustomerAlgorithm("AES256").sseCustomerKey(keyB64)
                        .sseCustomerKeyMD5(keyMd5)));
        byte[] content = new byte[SIZE];
        new Random(2).nextBytes(content);
        try (Server server = started.get();
                S3Client s3 = S3Clients.create(server.endpoint(), Credentials.ACCESS_KEY, Credentials.SECRET_KEY, 2)) {
            s3.createBucket(b -> b.bucket("sse-bench"));
            for (Mode mode : modes) { // warm-up, not measured: the JIT compiles each mode's path first
                s3.putObject(mode.put().apply(PutObjectRequest.builder().bucket("sse-bench").key("warm-up")).build(),
                        RequestBody.fromBytes(content));
                try (InputStream in = s3.getObject(mode.get().apply(GetObjectRequest.builder()
                        .bucket("sse-bench").key("warm-up")).build())) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            for (int repeat = 1; repeat <= ctx.settings.repeats(); repeat++) {
                for (Mode mode : modes) {
                    String key64 = "o-" + repeat;
                    long t0 = System.nanoTime();
                    s3.putObject(mode.put().apply(PutObjectRequest.builder().bucket("sse-bench").key(key64)).build(),
                            RequestBody.fromBytes(content));
                    double put = SIZE / 1e6 / ((System.nanoTime() - t0) / 1e9);
                    long t1 = System.nanoTime();
                    byte[] got;
                    try (InputStream in = s3.getObject(mode.get().apply(GetObjectRequest.builder()
                            .bucket("sse-bench").key(key64)).build())) {
                        got = in.readAllBytes();
                    }
                    double get = SIZE / 1e6 / ((System.nanoTime() - t1) / 1e9);
                    if (!java.util.Arrays.equals(got, content)) {
                        throw new IllegalStateException(mode.name() + ": GET did not give back what was PUT");
                    }
                    ctx.results.add(new Sample(TABLE, mode.name(), Role.S3D, "PUT 64 MiB c1", repeat,
                            Map.of(Metric.MBPS, put), null));
                    ctx.results.add(new Sample(TABLE, mode.name(), Role.S3D, "GET 64 MiB c1", repeat,
                            Map.of(Metric.MBPS, get), null));
                    System.out.printf(java.util.Locale.ROOT, "%s #%d: PUT %.1f MB/s, GET %.1f MB/s%n", mode.name(),
                            repeat, put, get);
                }
            }
        }
    }
}
