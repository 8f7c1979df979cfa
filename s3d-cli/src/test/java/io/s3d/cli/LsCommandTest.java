package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

@ExtendWith(S3ProxyServer.class)
class LsCommandTest {
    static String bucket;

    @BeforeAll
    static void objects() {
        bucket = TestS3.bucket("ls");
        TestS3.put(bucket, "top.txt", "hello".getBytes(StandardCharsets.UTF_8));
        TestS3.put(bucket, "dir/a.bin", new byte[3 * 1024 * 1024 / 2]);
        TestS3.put(bucket, "dir/sub/b.bin", new byte[10]);
        TestS3.put(bucket, "other/c.txt", new byte[1]);
    }

    @Test
    void listsBuckets() {
        Cli.Result r = Cli.s3proxy().run("ls");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith("  " + bucket)), r.toString());
        assertEquals("", r.err());
    }

    @Test
    void listsOneLevelWithPrefixesAndExactBytesWhenPiped() {
        Cli.Result r = Cli.s3proxy().run("ls", bucket);
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +5  top\\.txt")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +DIR  dir/")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(" +DIR  other/")), r.toString());
        assertFalse(r.out().contains("a.bin"), "not recursive: " + r);
    }

    @Test
    void prefixAndRecursive() {
        Cli.Result r = Cli.s3proxy().run("ls", "s3://" + bucket + "/dir/", "--recursive");
        assertEquals(0, r.exit(), r.toString());
        List<String> keys = new ArrayList<>();
        r.out().lines().forEach(l -> keys.add(l.substring(l.lastIndexOf("  ") + 2)));
        assertEquals(List.of("dir/a.bin", "dir/sub/b.bin"), keys);
        assertTrue(r.out().contains(" 1572864  dir/a.bin"), r.toString());
    }

    @Test
    void humanSizesOnATerminalUnlessBytes() {
        Cli.Result r = Cli.s3proxy().terminal(true, true).run("ls", bucket + "/dir/");
        assertTrue(r.out().contains("1.5 MiB  dir/a.bin"), r.toString());
        r = Cli.s3proxy().terminal(true, true).run("ls", bucket + "/dir/", "--bytes");
        assertTrue(r.out().contains("1572864  dir/a.bin"), r.toString());
        r = Cli.s3proxy().run("ls", bucket + "/dir/", "-h");
        assertTrue(r.out().contains("1.5 MiB  dir/a.bin"), r.toString());
    }

    @Test
    void jsonParses() throws Exception {
        Cli.Result r = Cli.s3proxy().run("ls", bucket, "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(bucket, json.get("bucket").asText());
        assertEquals("top.txt", json.get("objects").get(0).get("key").asText());
        assertEquals(5, json.get("objects").get(0).get("size").asLong());
        assertEquals(List.of("dir/", "other/"), List.of(json.get("prefixes").get(0).asText(), json.get("prefixes").get(1).asText()));
        JsonNode buckets = new ObjectMapper().readTree(Cli.s3proxy().run("ls", "--json").out());
        assertTrue(buckets.get("buckets").findValuesAsText("name").contains(bucket));
    }

    @Test
    void missingBucketIsOneLineAndExit1() {
        Cli.Result r = Cli.s3proxy().run("ls", "no-such-bucket-here");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertEquals("s3d ls: s3://no-such-bucket-here: NoSuchBucket: The specified bucket does not exist "
                + "(hint: list the buckets with 's3d ls')", r.err().strip());
        assertEquals(0, r.stdout().length);
    }

    @Test
    void stackTraceOnlyWithVerbose() {
        Cli.Result quiet = Cli.s3proxy().run("ls", "no-such-bucket-here");
        assertFalse(quiet.err().contains("\tat "), quiet.toString());
        Cli.Result verbose = Cli.s3proxy().run("ls", "no-such-bucket-here", "--verbose");
        assertTrue(verbose.err().contains("NoSuchBucketException") && verbose.err().contains("\tat "), verbose.toString());
    }

    @Test
    void daemonNotRunning() {
        Cli.Result r = Cli.s3proxy().run("ls", "--endpoint", "http://127.0.0.1:1");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("cannot connect to http://127.0.0.1:1: connection refused"), r.toString());
        assertTrue(r.err().contains("is the daemon running? start it with ./s3d run"), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
    }

    @Test
    void endpointFromEnvironmentAndMalformedEndpoint() {
        Cli.Result r = Cli.s3proxy().env("S3D_ENDPOINT", "http://127.0.0.1:1").run("ls");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("127.0.0.1:1"), r.toString());
        r = Cli.s3proxy().run("ls", "--endpoint", "localhost-without-scheme");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("bad endpoint"), r.toString());
    }

    @Test
    void wrongCredentials() {
        Cli.Result r = Cli.s3proxy().env("S3D_SECRET_ACCESS_KEY", "wrong").run("ls", bucket);
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("SignatureDoesNotMatch") || r.err().contains("AccessDenied"), r.toString());
        assertTrue(r.err().contains("check S3D_ACCESS_KEY_ID/S3D_SECRET_ACCESS_KEY"), r.toString());
    }

    @Test
    void badUsageIsExit2() {
        Cli.Result r = Cli.s3proxy().run("ls", "--no-such-flag");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().startsWith("s3d ls: Unknown option: '--no-such-flag'"), r.toString());
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run("lss").exit());
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run().exit());
    }

    @Test
    void helpHasExamples() {
        for (String cmd : List.of("run", "status", "ls", "get", "put", "set", "completion")) {
            Cli.Result r = new Cli().run(cmd, "--help");
            assertEquals(0, r.exit(), cmd);
            assertTrue(r.out().contains("Examples:"), cmd + ": " + r.out());
            assertTrue(r.out().contains("s3d " + cmd), cmd + ": " + r.out());
        }
        Cli.Result top = new Cli().run("--help");
        assertTrue(top.out().contains("Examples:") && top.out().contains("Exit codes"), top.out());
        assertTrue(new Cli().run("--version").out().startsWith("s3d "), "version");
    }
}
