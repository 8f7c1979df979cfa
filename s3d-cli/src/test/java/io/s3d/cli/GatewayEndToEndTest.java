package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write queue from the command line, against the real daemon in gateway mode: {@code s3d run
 * --remote <S3Proxy> --write-queue}, then {@code put}, {@code flush}, {@code status bucket/key},
 * {@code queue ls}, and a parked write that {@code queue retry} sends again. Skipped when the
 * service is not built.
 */
class GatewayEndToEndTest {
    static RunningDaemon daemon;
    static String endpoint;
    static Path log;

    @BeforeAll
    static void startDaemon(@TempDir Path dir) throws Exception {
        assumeTrue(RunningDaemon.available(), "the s3d service is not built (or switched off)");
        daemon = RunningDaemon.start(dir, List.of("--remote", S3ProxyServer.endpoint(), "--write-queue"),
                Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY",
                        S3ProxyServer.SECRET_KEY, "S3D_WRITE_QUEUE_RETRY_MAX_DELAY", "1s"));
        endpoint = daemon.endpoint();
        log = daemon.log();
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.process().destroy();
            assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "s3d run exits on SIGTERM");
        }
    }

    static Cli cli() {
        return new Cli().env("S3D_ENDPOINT", endpoint);
    }

    @Test
    void putFlushAndStatusThroughTheQueue() throws Exception {
        Cli.Result status = cli().run("status", "--json");
        assertEquals(0, status.exit(), status + "\n" + Files.readString(log));
        JsonNode s = new ObjectMapper().readTree(status.out());
        assertEquals("gateway", s.get("mode").asText());
        assertTrue(s.get("writeQueue").isObject(), status.out());
        assertTrue(s.get("remote").get("reachable").asBoolean(), status.out());

        String bucket = TestS3.bucket("gw");
        byte[] data = TestS3.random(300_000, 5);
        Cli.Result put = cli().stdin(data).run("put", bucket + "/in/obj.bin");
        assertEquals(0, put.exit(), put.toString());
        Cli.Result flush = cli().run("flush", bucket + "/in/", "--timeout", "60s");
        assertEquals(0, flush.exit(), flush + "\n" + Files.readString(log));
        assertTrue(flush.err().contains("flushed"), flush.toString());
        assertArrayEquals(data, TestS3.get(bucket, "in/obj.bin"), "on the remote after the flush");

        Cli.Result object = cli().run("status", bucket + "/in/obj.bin", "--json");
        assertEquals(0, object.exit(), object.toString());
        assertEquals("pushed", new ObjectMapper().readTree(object.out()).get("state").asText(), object.out());
        Cli.Result ls = cli().run("queue", "ls", bucket, "--json");
        assertEquals(0, ls.exit(), ls.toString());
        assertEquals(0, new ObjectMapper().readTree(ls.out()).get("items").size(), ls.out());
    }

    @Test
    void aWriteToABucketDeletedOnTheRemoteIsParkedUntilRetried() throws Exception {
        String bucket = "gw-missing-" + ProcessHandle.current().pid();
        // s3d learns that the bucket exists (and remembers it for minutes; a bucket missing on a
        // reachable remote is refused at once with NoSuchBucket) ...
        TestS3.client().createBucket(b -> b.bucket(bucket));
        Cli.Result seed = cli().stdin("seed".getBytes()).run("put", bucket + "/seed");
        assertEquals(0, seed.exit(), "seed: " + seed);
        assertEquals(0, cli().run("flush", bucket, "--timeout", "60s").exit());
        // ... then another client deletes it on the remote: the write is acknowledged, its push parked.
        TestS3.client().deleteObject(b -> b.bucket(bucket).key("seed"));
        TestS3.client().deleteBucket(b -> b.bucket(bucket));
        Cli.Result put = cli().stdin("hello".getBytes()).run("put", bucket + "/k");
        assertEquals(0, put.exit(), "queued: " + put);

        Cli.Result flush = cli().run("flush", bucket, "--timeout", "60s");
        assertEquals(ExitCodes.ERROR, flush.exit(), flush.toString());
        assertTrue(flush.err().contains("parked"), flush.toString());
        Cli.Result parked = cli().run("queue", "ls", bucket, "--parked", "--json");
        JsonNode item = new ObjectMapper().readTree(parked.out()).get("items").get(0);
        assertEquals("k", item.get("key").asText(), parked.out());
        assertTrue(item.get("error").asText().contains("NoSuchBucket"), parked.out());
        assertEquals("parked", new ObjectMapper().readTree(cli().run("status", bucket + "/k", "--json").out())
                .get("state").asText());

        TestS3.client().createBucket(b -> b.bucket(bucket));
        Cli.Result retry = cli().run("queue", "retry", bucket);
        assertEquals(0, retry.exit(), retry.toString());
        flush = cli().run("flush", bucket, "--timeout", "60s");
        assertEquals(0, flush.exit(), flush + "\n" + Files.readString(log));
        assertArrayEquals("hello".getBytes(), TestS3.get(bucket, "k"));
    }
}
