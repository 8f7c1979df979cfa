package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code s3d status} against {@link FakeAdmin}, answering the admin JSON of docs/contract.md (the
 * seam between the CLI and the daemon), and against S3Proxy (not a daemon).
 */
class StatusCommandTest {
    static FakeAdmin admin;

    static final String DAEMON = """
            {"version":"0.1.0","uptimeSeconds":3725,"mode":"gateway","localDir":"/root/.s3d",
             "disk":{"totalBytes":107374182400,"freeBytes":53687091200,"usedBytes":1610612736},
             "buckets":3,
             "remote":{"endpoint":"https://s3.amazonaws.com","reachable":true},
             "writeQueue":{"items":4,"bytes":2097152,"oldestAgeSeconds":12,"parked":1,"lastError":null},
             "readCache":{"entries":10,"bytes":1048576,"hits":30,"misses":10},
             "fuse":{"mountPoint":"/mnt/s3d","mounted":true,"openFiles":2},
             "sync":{"folders":[{"name":"docs","localDir":"/data/docs","bucket":"team-docs","prefix":"shared/",
              "direction":"both","conflictPolicy":"keep-both","state":"error","lastSyncTime":"2026-11-27T09:54:28.480Z",
              "uploaded":8,"downloaded":4,"deletedLocal":1,"deletedRemote":1,"conflicts":1,"skipped":2,"errors":2,
              "lastError":"ServiceUnavailable: The remote S3 store is unreachable"}]}}""";

    @BeforeAll
    static void start() {
        admin = FakeAdmin.start()
                .answer("GET", "/_s3d/status", 200, DAEMON)
                .answer("GET", "/_s3d/status/photos", 200, "{\"bucket\":\"photos\",\"exists\":true,\"objects\":12,\"bytes\":2048}")
                .answer("GET", "/_s3d/status/photos/2024/cat%20one.jpg", 200, object("2024/cat one.jpg", "pending"))
                .answer("GET", "/_s3d/status/nope", 404, "{\"error\":\"NoSuchBucket\",\"message\":\"The specified bucket does not exist\"}")
                .answer("GET", "/_s3d/status/photos/a/b", 404, "{\"error\":\"NoSuchKey\",\"message\":\"The specified key does not exist.\"}");
    }

    static String object(String key, String state) {
        return "{\"bucket\":\"photos\",\"key\":" + Json.quote(key) + ",\"exists\":true,"
                + "\"size\":5,\"etag\":\"\\\"abc\\\"\",\"lastModified\":\"2026-11-27T00:00:00Z\",\"state\":\"" + state + "\"}";
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    static Cli cli() {
        return admin.cli();
    }

    @Test
    void daemon() {
        Cli.Result r = cli().run("status");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("""
                daemon        s3d 0.1.0 at %s, up 1h 2m
                mode          gateway
                local store   /root/.s3d  used 1.5 GiB, free 50.0 GiB of 100 GiB
                buckets       3
                remote        https://s3.amazonaws.com  reachable
                write queue   4 items, 2.0 MiB, oldest 12s, parked 1 (see 's3d queue ls --parked')
                read cache    10 entries, 1.0 MiB, 30 hits, 10 misses (75%% hits)
                fuse mount    /mnt/s3d  mounted, 2 open files
                sync docs     /data/docs <-> s3://team-docs/shared/  both, FAILING, last pass 2026-11-27T09:54:28.480Z
                  transfers   8 up, 4 down, 1 deleted here, 1 deleted there, 1 conflict, 2 skipped
                  last error  ServiceUnavailable: The remote S3 store is unreachable
                """.formatted(admin.url()), r.out());
        assertEquals("", r.err());
    }

    @Test
    void requestsAreSigned() {
        cli().env("S3D_REGION", "eu-west-1").run("status");
        FakeAdmin.Request request = admin.last();
        assertEquals("GET", request.method());
        String auth = request.header("Authorization");
        assertTrue(auth.startsWith("AWS4-HMAC-SHA256 Credential=AKID/"), auth);
        assertTrue(auth.contains("/eu-west-1/s3/aws4_request"), auth);
        assertTrue(request.header("X-Amz-Date") != null, request.headers().toString());
        new Cli().env("S3D_ENDPOINT", admin.url()).run("status");
        assertNull(admin.last().header("Authorization"), "no credentials, no signature");
    }

    @Test
    void standaloneDaemonShowsFeaturesOff() {
        admin.answer("GET", "/_s3d/status", 200, "{\"version\":\"0.1.0\",\"uptimeSeconds\":12,\"mode\":\"standalone\",\"localDir\":\"/d\","
                + "\"disk\":{\"totalBytes\":1024,\"freeBytes\":512,\"usedBytes\":512},\"buckets\":0,"
                + "\"remote\":null,\"writeQueue\":null,\"readCache\":null}");
        try {
            Cli.Result r = cli().run("status");
            assertTrue(r.out().contains("remote        none (standalone)\n"), r.out());
            assertTrue(r.out().contains("write queue   off\n"), r.out());
            assertTrue(r.out().contains("read cache    off\n"), r.out());
        } finally {
            admin.answer("GET", "/_s3d/status", 200, DAEMON);
        }
    }

    @Test
    void json() throws Exception {
        Cli.Result r = cli().run("status", "--json");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(new ObjectMapper().readTree(DAEMON), json);
    }

    @Test
    void bucketAndObject() throws Exception {
        Cli.Result r = cli().run("status", "photos");
        assertEquals("bucket        s3://photos\nexists        yes\nobjects       12\nsize          2.0 KiB (2048 bytes)\n", r.out());
        r = cli().run("status", "photos/2024/cat one.jpg");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("state         pending (queued, not yet on the remote)\n"), r.out());
        assertTrue(r.out().contains("etag          \"abc\"\n"), r.out());
        r = cli().run("status", "photos/2024/cat one.jpg", "--json");
        assertEquals("pending", new ObjectMapper().readTree(r.out()).get("state").asText());
    }

    @Test
    void unknownBucketAndKey() {
        Cli.Result r = cli().run("status", "nope");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertEquals("s3d status: s3://nope: NoSuchBucket: The specified bucket does not exist (hint: list the buckets with 's3d ls')",
                r.err().strip());
        r = cli().run("status", "photos/a/b");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("NoSuchKey"), r.toString());
    }

    @Test
    void gatewayWithEveryQueueFigure() {
        admin.answer("GET", "/_s3d/status", 200, FakeAdmin.STATUS_GATEWAY);
        try {
            Cli.Result r = cli().run("status");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("""
                    remote        https://minio:9000  UNREACHABLE (last error: connection refused)
                    write queue   4 of 100 items, 2.0 MiB of 1.0 GiB, oldest 1m 15s, parked 0
                      pushed      120 items, 50.0 MiB, 1.5 items/s, 2 failures, 1 retry
                      last error  SlowDown: Please reduce your request rate.
                    read cache    off
                    """), r.out());
            assertTrue(!r.out().contains("photos"), "per bucket only with -v");
            r = cli().run("status", "-v");
            assertTrue(r.out().contains("""
                      last error  SlowDown: Please reduce your request rate.
                      photos      3 items, 1.0 MiB, parked 0
                      logs        1 item, 1.0 MiB, parked 0
                    read cache    off
                    """), r.out());
        } finally {
            admin.answer("GET", "/_s3d/status", 200, DAEMON);
        }
    }

    @Test
    void gatewayWithEveryCacheFigure() throws Exception {
        admin.answer("GET", "/_s3d/status", 200, FakeAdmin.STATUS_GATEWAY_CACHE);
        try {
            Cli.Result r = cli().run("status");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().endsWith("""
                      last error  SlowDown: Please reduce your request rate.
                    read cache    10 entries (2 pinned), 5.0 MiB of 1.0 GiB, 30 hits, 10 misses (75% hits)
                      bytes       12.0 MiB from the cache, 4.0 MiB fetched, 3 evictions, 2 served stale
                      local pins  photos/raw/, models/
                    """), r.out());
            r = cli().run("status", "--json");
            assertEquals(new ObjectMapper().readTree(FakeAdmin.CACHE), new ObjectMapper().readTree(r.out()).get("readCache"));
            admin.answer("GET", "/_s3d/status", 200, FakeAdmin.STATUS_GATEWAY_CACHE.replace("\"staleServed\":2", "\"staleServed\":0")
                    .replace("\"localPins\":[\"photos/raw/\",\"models/\"]", "\"localPins\":[]").replace("\"evictions\":3", "\"evictions\":1")
                    .replace("\"pinnedEntries\":2", "\"pinnedEntries\":0"));
            r = cli().run("status");
            assertTrue(r.out().endsWith("""
                    read cache    10 entries, 5.0 MiB of 1.0 GiB, 30 hits, 10 misses (75% hits)
                      bytes       12.0 MiB from the cache, 4.0 MiB fetched, 1 eviction
                    """), r.out());
        } finally {
            admin.answer("GET", "/_s3d/status", 200, DAEMON);
        }
    }

    @Test
    void objectStatesReadWell() {
        Map<String, String> states = Map.of(
                "pending", "pending (queued, not yet on the remote)",
                "pushed", "pushed (on the remote, uploaded through the write queue)",
                "parked", "parked (its upload failed; push it again with 's3d queue retry photos/k.jpg')",
                "remote", "remote (on the remote, not cached)",
                "cached", "cached (on the remote, with a copy in the read cache)",
                "pinned", "pinned (on the remote, in the read cache and never evicted: an s3d.cache=pin tag or 's3d prefetch --pin' pins it)",
                "local", "local (in the local store; there is no remote)",
                "somethingNew", "somethingNew");
        states.forEach((state, line) -> {
            admin.answer("GET", "/_s3d/status/photos/k.jpg", 200, object("k.jpg", state));
            Cli.Result r = cli().run("status", "photos/k.jpg");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("\nstate         " + line + "\n"), r.out());
        });
    }

    @Test
    void notADaemon() {
        // S3Proxy checks the signature first: a 404 here (not 403) also proves the signing is right
        Cli.Result r = Cli.s3proxy().run("status");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains(" is not an s3d daemon: /_s3d/status answered HTTP 404"), r.toString());
        r = Cli.s3proxy().env("S3D_SECRET_ACCESS_KEY", "wrong").run("status");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("denied (HTTP 403)"), r.toString());
        r = cli().run("status", "--endpoint", "http://127.0.0.1:1");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("is the daemon running? start it with ./s3d run"), r.toString());
    }
}
