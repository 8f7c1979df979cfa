package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The s3d command as its own process with real pipes, against S3Proxy: a 50 MiB random file
 * goes in through standard input and comes back byte-exact on standard output.
 */
@ExtendWith(S3ProxyServer.class)
class EndToEndProcessTest {
    static final int SIZE = 50 * 1024 * 1024;
    static String bucket;

    @BeforeAll
    static void bucket() {
        bucket = TestS3.bucket("e2e");
    }

    record Run(int exit, byte[] out, String err) {
    }

    /** Runs s3d with the test S3Proxy in its environment, feeding {@code stdin} through a pipe. */
    static Run s3d(Map<String, String> extraEnv, InputStreamSource stdin, String... args) throws Exception {
        return s3d(List.of(), extraEnv, stdin, args);
    }

    static Run s3d(List<String> jvm, Map<String, String> extraEnv, InputStreamSource stdin, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ProcessRunner.javaCommand(jvm, args));
        pb.environment().put("S3D_ENDPOINT", S3ProxyServer.endpoint());
        pb.environment().put("S3D_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        pb.environment().put("S3D_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                stdin.writeTo(in);
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "s3d finished");
        return new Run(p.exitValue(), out.get(), new String(err.get(), StandardCharsets.UTF_8));
    }

    interface InputStreamSource {
        void writeTo(OutputStream out) throws Exception;
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fiftyMibThroughStdinAndStdoutByteExact() throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        // a heap smaller than the object: the upload must stream, part by part
        Run put = s3d(List.of("-Xmx48m"), Map.of(), out -> {
            Random random = new Random(42);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < SIZE / chunk.length; i++) {
                random.nextBytes(chunk);
                sent.update(chunk);
                out.write(chunk);
            }
        }, "put", bucket + "/random-50m.bin", "--json");
        assertEquals(0, put.exit(), put.err());
        JsonNode json = new ObjectMapper().readTree(put.out());
        assertEquals(SIZE, json.get("size").asLong());
        assertEquals(7, json.get("parts").asInt(), "8 MiB parts streamed from a pipe");

        Run get = s3d(List.of("-Xmx48m"), Map.of(), null, "get", bucket + "/random-50m.bin");
        assertEquals(0, get.exit(), get.err());
        assertEquals(SIZE, get.out().length);
        assertEquals(HexFormat.of().formatHex(sent.digest()),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(get.out())), "byte-exact");
        assertTrue(get.err().contains("size:           " + SIZE + "\n"), "metadata on stderr: " + get.err());
        assertTrue(get.err().contains("etag:           " + json.get("etag").asText()), get.err());
        assertTrue(!get.err().contains("\r"), "no progress bar when stderr is a pipe");
    }

    @Test
    void exitCodes() throws Exception {
        Run missing = s3d(Map.of(), null, "get", bucket + "/does-not-exist");
        assertEquals(1, missing.exit());
        assertEquals(0, missing.out().length);
        assertTrue(missing.err().startsWith("s3d get: s3://" + bucket + "/does-not-exist: NoSuchKey: "), missing.err());

        Run badEndpoint = s3d(Map.of("S3D_ENDPOINT", "http://127.0.0.1:1"), null, "ls");
        assertEquals(1, badEndpoint.exit());
        assertTrue(badEndpoint.err().contains("is the daemon running? start it with ./s3d run"), badEndpoint.err());
        assertEquals(1, badEndpoint.err().strip().lines().count(), "one line: " + badEndpoint.err());

        Run usage = s3d(Map.of(), null, "get");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("Missing required parameter: 'bucket/key'"), usage.err());
    }

    @Test
    void jsonListingParses() throws Exception {
        TestS3.put(bucket, "listed/one.txt", "1".getBytes(StandardCharsets.UTF_8));
        Run ls = s3d(Map.of(), null, "ls", bucket + "/listed/", "--json");
        assertEquals(0, ls.exit(), ls.err());
        JsonNode json = new ObjectMapper().readTree(ls.out());
        assertEquals("listed/one.txt", json.get("objects").get(0).get("key").asText());
        assertEquals("", ls.err());
    }
}
