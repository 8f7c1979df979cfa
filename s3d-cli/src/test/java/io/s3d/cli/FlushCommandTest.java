package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code s3d flush} against {@link FakeAdmin}: what it sends, what it prints, how it exits. */
class FlushCommandTest {
    static final String PATH = "/_s3d/queue/flush";
    static FakeAdmin admin;

    @BeforeAll
    static void start() {
        admin = FakeAdmin.start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    static Cli.Result flush(int status, String body, String... args) {
        admin.answer("POST", PATH, status, body);
        String[] argv = new String[args.length + 1];
        argv[0] = "flush";
        System.arraycopy(args, 0, argv, 1, args.length);
        return admin.cli().run(argv);
    }

    @Test
    void everything() {
        Cli.Result r = flush(200, FakeAdmin.FLUSHED);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("flushed: everything queued is on the remote (12 ms)\n", r.err());
        FakeAdmin.Request request = admin.last();
        assertEquals("POST", request.method());
        assertEquals(PATH, request.path());
        assertEquals(Map.of("timeout", "60s"), request.query(), "no bucket, no prefix, the default timeout");
        assertEquals("0", request.header("Content-Length"));
        assertEquals(0, request.body().length);
        assertTrue(request.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKID/"), request.headers().toString());
    }

    @Test
    void bucketPrefixAndTimeout() {
        Cli.Result r = flush(200, FakeAdmin.FLUSHED, "photos/2026/", "--timeout", "5m");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("flushed: everything queued for photos/2026/ is on the remote (12 ms)\n", r.err());
        assertEquals(Map.of("bucket", "photos", "prefix", "2026/", "timeout", "300s"), admin.last().query());
        assertEquals("bucket=photos&prefix=2026%2F&timeout=300s", admin.last().rawQuery(), "encoded as SigV4 signs it");

        flush(200, FakeAdmin.FLUSHED, "s3://photos", "--timeout", "90");
        assertEquals(Map.of("bucket", "photos", "timeout", "90s"), admin.last().query());
        flush(200, FakeAdmin.FLUSHED, "photos/", "--timeout=1h");
        assertEquals(Map.of("bucket", "photos", "timeout", "3600s"), admin.last().query());
        flush(200, FakeAdmin.FLUSHED, "photos/a b+c~/");
        assertEquals("bucket=photos&prefix=a%20b%2Bc~%2F&timeout=60s", admin.last().rawQuery());
    }

    @Test
    void quietAndJson() throws Exception {
        Cli.Result r = flush(200, FakeAdmin.FLUSHED, "photos", "-q");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out() + r.err());
        r = flush(200, FakeAdmin.FLUSHED, "photos", "--json");
        assertEquals(0, r.exit(), r.toString());
        ObjectMapper jackson = new ObjectMapper();
        assertEquals(jackson.readTree(FakeAdmin.FLUSHED), jackson.readTree(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void parkedItemsFailWithRetryHint() throws Exception {
        Cli.Result r = flush(409, FakeAdmin.FLUSH_PARKED, "photos/2026/");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("s3d flush: not flushed: 2 items parked under photos/2026/ after failed uploads, 1 more still queued"
                + " (hint: see why with 's3d queue ls photos/2026/ --parked', push them again with 's3d queue retry photos/2026/')\n",
                r.err());
        // an error code and message next to "flushed" (beyond the contract) change nothing
        Cli.Result withCode = flush(409, FakeAdmin.FLUSH_PARKED.replace("}", ",\"error\":\"Parked\",\"message\":\"m\"}"), "photos/2026/");
        assertEquals(r.err(), withCode.err());
        r = flush(409, "{\"flushed\":false,\"waitedMillis\":1,\"remaining\":1,\"parked\":1}");
        assertTrue(r.err().startsWith("s3d flush: not flushed: 1 item parked after failed uploads (hint: "
                + "see why with 's3d queue ls --parked', push them again with 's3d queue retry')"), r.err());
        // --json: the daemon's answer on standard output, the error line as well, still exit 1
        r = flush(409, FakeAdmin.FLUSH_PARKED, "--json");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals(new ObjectMapper().readTree(FakeAdmin.FLUSH_PARKED), new ObjectMapper().readTree(r.out()));
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void timeoutFailsWithRemainingCount() {
        Cli.Result r = flush(504, FakeAdmin.FLUSH_TIMED_OUT, "photos");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d flush: not flushed: timed out after 1m with 7 items still queued for photos"
                + " (hint: wait longer with --timeout, or watch the queue with 's3d queue ls photos')\n", r.err());
        Cli.Result withCode = flush(504, FakeAdmin.FLUSH_TIMED_OUT.replace("}", ",\"error\":\"Timeout\",\"message\":\"m\"}"), "photos");
        assertEquals(r.err(), withCode.err());
        r = flush(504, "{\"flushed\":false,\"waitedMillis\":30000,\"remaining\":7,\"parked\":2}", "--timeout", "30s");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d flush: not flushed: timed out after 30s with 7 items still queued, 2 of them parked"
                + " (hint: push the parked ones again with 's3d queue retry', then flush again)\n", r.err());
    }

    @Test
    void writeQueueOff() {
        Cli.Result r = flush(409, FakeAdmin.QUEUE_DISABLED, "photos");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d flush: the write queue is off on this s3d (hint: start it with S3D_WRITE_QUEUE=true and "
                + "S3_ENDPOINT=..., e.g. ./s3d run --remote URL --write-queue)\n", r.err());
        r = flush(409, FakeAdmin.QUEUE_DISABLED, "--json");
        assertEquals("", r.out(), "an error, not a flush result");
    }

    @Test
    void badTimeoutIsAUsageError() {
        int before = admin.requests.size();
        for (String bad : new String[] {"2h", "0", "soon", "-5s", "1.5m"}) {
            Cli.Result r = admin.cli().run("flush", "--timeout", bad);
            assertEquals(ExitCodes.USAGE, r.exit(), bad + ": " + r);
            assertTrue(r.err().startsWith("s3d flush: "), r.err());
        }
        assertEquals(before, admin.requests.size(), "nothing sent");
    }

    @Test
    void olderDaemonOrOtherFailures() {
        // the daemon before the write queue: 405 to any POST under /_s3d/
        Cli.Result r = flush(405, "{\"error\":\"MethodNotAllowed\",\"message\":\"admin endpoints answer GET only\"}");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d flush: MethodNotAllowed: admin endpoints answer GET only"
                + " (hint: this s3d has no write-queue endpoints; it is older than this s3d command)\n", r.err());
        r = flush(404, "{\"error\":\"NoSuchBucket\",\"message\":\"The specified bucket does not exist\"}", "nope/x");
        assertEquals("s3d flush: s3://nope/x: NoSuchBucket: The specified bucket does not exist"
                + " (hint: list the buckets with 's3d ls')\n", r.err());
        r = flush(502, "<html>Bad Gateway</html>");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains(PATH + " answered HTTP 502 (hint: is the daemon healthy? see its log)"), r.err());
    }

    @Test
    void signatureWithQueryIsAcceptedBySigV4Server() {
        // S3Proxy checks SigV4 itself before it finds no such endpoint: no 403 proves the query was signed right
        Cli.Result r = Cli.s3proxy().run("flush", "photos/a b+c~/", "--timeout", "5s");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertTrue(r.err().contains(" is not an s3d daemon: " + PATH + " answered HTTP 404"), r.toString());
        r = Cli.s3proxy().env("S3D_SECRET_ACCESS_KEY", "wrong").run("flush", "photos/a b+c~/");
        assertTrue(r.err().contains("denied (HTTP 403)") || r.err().contains("SignatureDoesNotMatch"), r.toString());
    }
}
