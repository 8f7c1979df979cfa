package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code s3d prefetch} and {@code s3d unpin} against {@link FakeAdmin}: what they send, print and exit with. */
class PrefetchCommandTest {
    static final String PATH = "/_s3d/cache/prefetch";
    static final String UNPIN = "/_s3d/cache/unpin";
    static final String DISABLED_LINE = "the read cache is off on this s3d (hint: start it with S3D_READ_CACHE=true and "
            + "S3_ENDPOINT=..., e.g. ./s3d run --remote URL --read-cache)\n";
    static FakeAdmin admin;

    @BeforeAll
    static void start() {
        admin = FakeAdmin.start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    static Cli.Result prefetch(int status, String body, String... args) {
        return run(PATH, status, body, "prefetch", args);
    }

    static Cli.Result unpin(int status, String body, String... args) {
        return run(UNPIN, status, body, "unpin", args);
    }

    private static Cli.Result run(String path, int status, String body, String command, String... args) {
        admin.answer("POST", path, status, body);
        String[] argv = new String[args.length + 1];
        argv[0] = command;
        System.arraycopy(args, 0, argv, 1, args.length);
        return admin.cli().run(argv);
    }

    @Test
    void prefix() {
        Cli.Result r = prefetch(200, FakeAdmin.PREFETCHED, "photos/raw/");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("prefetched 3 objects (12.0 MiB, 4.0 MiB fetched) from photos/raw/\n", r.err());
        FakeAdmin.Request request = admin.last();
        assertEquals("POST", request.method());
        assertEquals(PATH, request.path());
        assertEquals(Map.of("bucket", "photos", "prefix", "raw/", "timeout", "600s"), request.query(), "no pin, the default timeout");
        assertEquals("bucket=photos&prefix=raw%2F&timeout=600s", request.rawQuery(), "encoded as SigV4 signs it");
        assertEquals("0", request.header("Content-Length"));
        assertTrue(request.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKID/"), request.headers().toString());
    }

    @Test
    void pinBucketAndTimeout() {
        Cli.Result r = prefetch(200, FakeAdmin.PREFETCHED.replace("\"pinned\":false", "\"pinned\":true")
                .replace("\"prefix\":\"raw/\"", "\"prefix\":\"\""), "s3://photos", "--pin", "--timeout", "1h");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("prefetched 3 objects (12.0 MiB, 4.0 MiB fetched) from photos, pinned\n", r.err());
        assertEquals(Map.of("bucket", "photos", "timeout", "3600s", "pin", "true"), admin.last().query());

        prefetch(200, FakeAdmin.PREFETCHED, "photos/raw/", "--timeout=90");
        assertEquals(Map.of("bucket", "photos", "prefix", "raw/", "timeout", "90s"), admin.last().query());
        prefetch(200, FakeAdmin.PREFETCHED, "photos/", "--timeout", "6h");
        assertEquals(Map.of("bucket", "photos", "timeout", "21600s"), admin.last().query());
        prefetch(200, FakeAdmin.PREFETCHED, "photos/a b+c~/");
        assertEquals("bucket=photos&prefix=a%20b%2Bc~%2F&timeout=600s", admin.last().rawQuery());
    }

    @Test
    void oneObjectAndNone() {
        Cli.Result r = prefetch(200, "{\"bucket\":\"photos\",\"prefix\":\"cat.jpg\",\"pinned\":false,\"objects\":1,\"bytes\":5,"
                + "\"fetchedBytes\":0,\"failed\":0,\"errors\":[],\"complete\":true}", "photos/cat.jpg");
        assertEquals("prefetched 1 object (5 B, 0 B fetched) from photos/cat.jpg\n", r.err());
        r = prefetch(200, "{\"bucket\":\"photos\",\"prefix\":\"nope/\",\"pinned\":true,\"objects\":0,\"bytes\":0,"
                + "\"fetchedBytes\":0,\"failed\":0,\"errors\":[],\"complete\":true}", "photos/nope/", "--pin");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("nothing to prefetch: no objects under photos/nope/; pinned all the same\n", r.err());
    }

    @Test
    void quietAndJson() throws Exception {
        Cli.Result r = prefetch(200, FakeAdmin.PREFETCHED, "photos/raw/", "-q");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out() + r.err());
        r = prefetch(200, FakeAdmin.PREFETCHED, "photos/raw/", "--json");
        assertEquals(0, r.exit(), r.toString());
        ObjectMapper jackson = new ObjectMapper();
        assertEquals(jackson.readTree(FakeAdmin.PREFETCHED), jackson.readTree(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void failedObjectsAreListedAndFail() throws Exception {
        Cli.Result r = prefetch(502, FakeAdmin.PREFETCH_FAILED, "photos/raw/");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("""
                failed: photos/raw/a.jpg: AccessDenied: Access Denied
                failed: photos/raw/b c.jpg: InternalError: We encountered an internal error.
                s3d prefetch: not all prefetched: 2 of 5 objects under photos/raw/ failed, 3 objects cached \
                (12.0 MiB, 4.0 MiB fetched) (hint: run it again to retry the failed ones; cached objects are not fetched again)
                """, r.err());
        // the daemon names at most 10 failures
        r = prefetch(502, FakeAdmin.PREFETCH_FAILED.replace("\"failed\":2", "\"failed\":12"), "photos/raw/", "-q");
        assertTrue(r.err().contains("\n... and 10 more\ns3d prefetch: not all prefetched: 12 of 15 objects"), r.err());
        // --json: the daemon's answer (with the errors) on standard output, the error line alone on standard error
        r = prefetch(502, FakeAdmin.PREFETCH_FAILED, "photos/raw/", "--json");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals(new ObjectMapper().readTree(FakeAdmin.PREFETCH_FAILED), new ObjectMapper().readTree(r.out()));
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void timeoutFailsWithWhatIsCachedSoFar() throws Exception {
        Cli.Result r = prefetch(504, FakeAdmin.PREFETCH_TIMED_OUT, "photos/raw/", "--pin");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d prefetch: not all prefetched: timed out after 10m with 3 objects cached and pinned "
                + "(12.0 MiB, 4.0 MiB fetched) from photos/raw/ (hint: run it again to go on (cached objects are "
                + "not fetched again), or raise --timeout)\n", r.err());
        r = prefetch(504, FakeAdmin.PREFETCH_TIMED_OUT.replace("\"failed\":0,\"errors\":[]",
                "\"failed\":1,\"errors\":[\"raw/x: SlowDown: Please reduce your request rate.\"]"), "photos/raw/", "--timeout", "30");
        assertEquals("failed: photos/raw/x: SlowDown: Please reduce your request rate.\n"
                + "s3d prefetch: not all prefetched: timed out after 30s with 3 objects cached and pinned "
                + "(12.0 MiB, 4.0 MiB fetched) from photos/raw/, 1 failed (hint: run it again to go on (cached objects are "
                + "not fetched again), or raise --timeout)\n", r.err());
        r = prefetch(504, FakeAdmin.PREFETCH_TIMED_OUT, "photos/raw/", "--json");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals(new ObjectMapper().readTree(FakeAdmin.PREFETCH_TIMED_OUT), new ObjectMapper().readTree(r.out()));
    }

    @Test
    void readCacheOff() {
        Cli.Result r = prefetch(409, FakeAdmin.CACHE_DISABLED, "photos/raw/");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d prefetch: " + DISABLED_LINE, r.err());
        r = prefetch(409, FakeAdmin.CACHE_DISABLED, "photos/raw/", "--json");
        assertEquals("", r.out(), "an error, not a prefetch result");
        r = unpin(409, FakeAdmin.CACHE_DISABLED, "photos/raw/");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d unpin: " + DISABLED_LINE, r.err());
    }

    @Test
    void usageErrorsSendNothing() {
        int before = admin.requests.size();
        for (String bad : new String[] {"7h", "0", "soon", "-5s", "1.5m"}) {
            Cli.Result r = admin.cli().run("prefetch", "photos", "--timeout", bad);
            assertEquals(ExitCodes.USAGE, r.exit(), bad + ": " + r);
            assertTrue(r.err().startsWith("s3d prefetch: "), r.err());
        }
        for (String command : new String[] {"prefetch", "unpin"}) {
            Cli.Result r = admin.cli().run(command);
            assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
            assertTrue(r.err().startsWith("s3d " + command + ": Missing required parameter: 'bucket[/prefix]'"), r.err());
            r = admin.cli().run(command, "s3:///raw/");
            assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        }
        assertEquals(before, admin.requests.size(), "nothing sent");
    }

    @Test
    void olderDaemonOrOtherFailures() {
        Cli.Result r = prefetch(404, "{\"error\":\"NotFound\",\"message\":\"no admin endpoint /_s3d/cache/prefetch\"}", "photos");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d prefetch: s3://photos: NotFound: no admin endpoint /_s3d/cache/prefetch"
                + " (hint: this s3d has no read-cache endpoints; it is older than this s3d command)\n", r.err());
        r = unpin(405, "{\"error\":\"MethodNotAllowed\",\"message\":\"admin endpoints answer GET only\"}", "photos");
        assertTrue(r.err().endsWith("(hint: this s3d has no read-cache endpoints; it is older than this s3d command)\n"), r.err());
        r = prefetch(404, "{\"error\":\"NoSuchBucket\",\"message\":\"The specified bucket does not exist\"}", "nope/x/");
        assertEquals("s3d prefetch: s3://nope/x/: NoSuchBucket: The specified bucket does not exist"
                + " (hint: list the buckets with 's3d ls')\n", r.err());
        r = prefetch(400, "{\"error\":\"InvalidArgument\",\"message\":\"bucket is required\"}", "photos");
        assertEquals("s3d prefetch: s3://photos: InvalidArgument: bucket is required\n", r.err());
        r = prefetch(502, "<html>Bad Gateway</html>", "photos");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains(PATH + " answered HTTP 502 (hint: is the daemon healthy? see its log)"), r.err());
    }

    @Test
    void unpinAPrefix() throws Exception {
        Cli.Result r = unpin(200, FakeAdmin.UNPINNED, "photos/raw/");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("unpinned photos/raw/: its objects stay cached, evictable again\n", r.err());
        assertEquals("POST", admin.last().method());
        assertEquals(UNPIN, admin.last().path());
        assertEquals(Map.of("bucket", "photos", "prefix", "raw/"), admin.last().query());

        r = unpin(200, "{\"bucket\":\"models\",\"prefix\":\"\",\"unpinned\":true}", "s3://models");
        assertEquals("unpinned models: its objects stay cached, evictable again\n", r.err());
        assertEquals(Map.of("bucket", "models"), admin.last().query());

        r = unpin(200, FakeAdmin.UNPINNED, "photos/raw/", "-q");
        assertEquals("", r.out() + r.err());
        r = unpin(200, FakeAdmin.UNPINNED, "photos/raw/", "--json");
        assertEquals(new ObjectMapper().readTree(FakeAdmin.UNPINNED), new ObjectMapper().readTree(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void unpinWithoutSuchPinFails() throws Exception {
        String none = FakeAdmin.UNPINNED.replace("true", "false");
        Cli.Result r = unpin(200, none, "photos/raw");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d unpin: photos/raw is not pinned on this s3d (hint: 's3d cache status' lists the pins, "
                + "named as given to 's3d prefetch --pin')\n", r.err());
        r = unpin(200, none, "photos/raw", "--json");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals(new ObjectMapper().readTree(none), new ObjectMapper().readTree(r.out()));
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
