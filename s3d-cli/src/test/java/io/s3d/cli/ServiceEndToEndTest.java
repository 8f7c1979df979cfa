package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole path against the real daemon: {@code s3d run} starts the built service
 * (s3d-service/target/quarkus-app/quarkus-run.jar, skipped when it is not built), then status,
 * put, get, set and status of an object, then SIGTERM stops it. {@code -Ds3d.e2e.service=false}
 * skips it (e.g. while the service is being rebuilt next to this run).
 */
class ServiceEndToEndTest {
    static RunningDaemon daemon;
    static String endpoint;
    static Path log;

    @BeforeAll
    static void startDaemon(@TempDir Path dir) throws Exception {
        assumeTrue(RunningDaemon.available(), "the s3d service is not built (or switched off)");
        daemon = RunningDaemon.start(dir, List.of("--access-key-id", "AKIDE2E"),
                Map.of("S3D_SECRET_ACCESS_KEY", "e2e-secret"));
        endpoint = daemon.endpoint();
        log = daemon.log();
    }

    /** SIGTERM to 's3d run' stops the daemon gracefully and frees the port. */
    @AfterAll
    static void stopDaemon() throws Exception {
        if (daemon == null) {
            return;
        }
        daemon.process().destroy();
        assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "s3d run exits on SIGTERM");
        String out = Files.readString(log);
        assertTrue(out.contains("stopped"), "the daemon shut down gracefully:\n" + out);
        try (ServerSocket s = new ServerSocket(URI.create(endpoint).getPort(), 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertTrue(s.isBound(), "the port is free again");
        }
    }

    static Cli cli() {
        return new Cli().env("S3D_ENDPOINT", endpoint).env("S3D_ACCESS_KEY_ID", "AKIDE2E")
                .env("S3D_SECRET_ACCESS_KEY", "e2e-secret");
    }

    @Test
    void statusPutGetSetAgainstTheDaemon() throws Exception {
        Cli.Result status = cli().run("status");
        assertEquals(0, status.exit(), status + "\n" + Files.readString(log));
        assertTrue(status.out().contains("mode          standalone"), status.out());
        JsonNode json = new ObjectMapper().readTree(cli().run("status", "--json").out());
        assertEquals("standalone", json.get("mode").asText());

        Cli.Result denied = cli().env("S3D_SECRET_ACCESS_KEY", "wrong").run("status");
        assertEquals(ExitCodes.ERROR, denied.exit(), "the admin endpoint checks signatures: " + denied);

        String bucket = "e2e-" + ProcessHandle.current().pid();
        try (var s3 = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(URI.create(endpoint))
                .forcePathStyle(true).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDE2E", "e2e-secret"))
                .build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        byte[] data = TestS3.random(100_000, 11);
        Cli.Result put = cli().stdin(data).run("put", bucket + "/dir/obj.bin", "--meta", "owner=ann");
        assertEquals(0, put.exit(), put.toString());
        Cli.Result get = cli().run("get", bucket + "/dir/obj.bin");
        assertEquals(0, get.exit(), get.toString());
        assertArrayEquals(data, get.stdout());
        assertTrue(get.err().contains("meta.owner:     ann"), get.err());

        Cli.Result set = cli().run("set", bucket + "/dir/obj.bin", "--tag", "s3d.cache=pin", "--tag", "x=1", "--json");
        assertEquals(0, set.exit(), set.toString());
        set = cli().run("set", bucket + "/dir/obj.bin", "--tag", "y=2", "--remove-tag", "x", "--json");
        assertEquals(0, set.exit(), set.toString());
        JsonNode tags = new ObjectMapper().readTree(set.out()).get("tags");
        assertEquals("pin", tags.get("s3d.cache").asText(), "merged with the tags already there: " + set);
        assertEquals("2", tags.get("y").asText());
        assertTrue(tags.get("x") == null, set.out());

        Cli.Result object = cli().run("status", bucket + "/dir/obj.bin", "--json");
        assertEquals(0, object.exit(), object.toString());
        JsonNode o = new ObjectMapper().readTree(object.out());
        assertEquals(100_000, o.get("size").asLong());
        assertTrue(o.get("state").asText().matches("local|pinned|cached|pending|pushed"), object.out());

        Cli.Result missing = cli().run("get", bucket + "/nope");
        assertEquals(ExitCodes.ERROR, missing.exit());
        assertTrue(missing.err().contains("NoSuchKey"), missing.toString());
    }
}
