package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code s3d cache status} against {@link FakeAdmin}, and against S3Proxy (not a daemon). */
class CacheCommandTest {
    static final String PATH = "/_s3d/cache";
    static FakeAdmin admin;

    @BeforeAll
    static void start() {
        admin = FakeAdmin.start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    static Cli.Result status(int status, String body, String... options) {
        admin.answer("GET", PATH, status, body);
        String[] argv = new String[options.length + 2];
        argv[0] = "cache";
        argv[1] = "status";
        System.arraycopy(options, 0, argv, 2, options.length);
        return admin.cli().run(argv);
    }

    @Test
    void table() {
        Cli.Result r = status(200, FakeAdmin.CACHE);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("""
                dir           /root/.s3d/.cache
                entries       10, at most 100 unpinned
                size          5.0 MiB of 1.0 GiB
                pinned        2 entries, 512 KiB
                hit ratio     75% (30 hits, 10 misses)
                bytes         12.0 MiB from the cache, 4.0 MiB fetched from the remote
                evictions     3
                revalidations 5 unchanged, 1 changed, 0 failed
                stale served  2
                max age       1h 0m, then revalidated
                block size    4.0 MiB
                local pins    photos/raw/, models/
                """, r.out());
        assertEquals("", r.err());
        assertEquals("GET", admin.last().method());
        assertEquals(PATH, admin.last().path());
        assertEquals(Map.of(), admin.last().query());
        assertTrue(admin.last().header("Authorization").startsWith("AWS4-HMAC-SHA256 "), admin.last().headers().toString());
    }

    @Test
    void freshCacheAndRareTroubles() {
        Cli.Result r = status(200, FakeAdmin.CACHE.replace("\"hits\":30,\"misses\":10,\n \"hitRatio\":0.75", "\"hits\":0,\"misses\":0,\n \"hitRatio\":0.0")
                .replace("\"localPins\":[\"photos/raw/\",\"models/\"]", "\"localPins\":[]")
                .replace("\"pinnedEntries\":2", "\"pinnedEntries\":1"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("\nhit ratio     - (0 hits, 0 misses)\n"), r.out());
        assertTrue(r.out().contains("\npinned        1 entry, 512 KiB\n"), r.out());
        assertTrue(r.out().endsWith("\nlocal pins    none\n"), r.out());
        assertTrue(!r.out().contains("bypassed") && !r.out().contains("corrupt"), "only when there are any: " + r.out());
        r = status(200, FakeAdmin.CACHE.replace("\"bypassed\":0,\"corruptBlocks\":0", "\"bypassed\":4,\"corruptBlocks\":1"));
        assertTrue(r.out().contains("""
                stale served  2
                bypassed      4 reads not cached: the disk was at s3d's free-space floor
                corrupt       1 block failed verification, fetched again
                max age"""), r.out());
    }

    @Test
    void jsonIsTheDaemonsAnswer() throws Exception {
        Cli.Result r = status(200, FakeAdmin.CACHE, "--json");
        assertEquals(0, r.exit(), r.toString());
        ObjectMapper jackson = new ObjectMapper();
        assertEquals(jackson.readTree(FakeAdmin.CACHE), jackson.readTree(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void readCacheOff() {
        Cli.Result r = status(409, FakeAdmin.CACHE_DISABLED);
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d cache status: the read cache is off on this s3d (hint: start it with S3D_READ_CACHE=true and "
                + "S3_ENDPOINT=..., e.g. ./s3d run --remote URL --read-cache)\n", r.err());
        assertEquals("", status(409, FakeAdmin.CACHE_DISABLED, "--json").out());
    }

    @Test
    void olderDaemonOrNoDaemon() {
        Cli.Result r = status(404, "{\"error\":\"NotFound\",\"message\":\"no admin endpoint /_s3d/cache\"}");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertEquals("s3d cache status: NotFound: no admin endpoint /_s3d/cache"
                + " (hint: this s3d has no read-cache endpoints; it is older than this s3d command)\n", r.err());
        r = Cli.s3proxy().run("cache", "status");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertTrue(r.err().contains(" is not an s3d daemon: /_s3d/cache answered HTTP 404 (hint: status, flush, queue, "
                + "cache, prefetch and unpin work only against s3d; 's3d ls' works against any S3 endpoint)"), r.toString());
    }

    @Test
    void cacheAloneShowsUsage() {
        Cli.Result r = admin.cli().run("cache");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("Usage: s3d cache") && r.err().contains("status"), r.err());
        assertEquals(ExitCodes.USAGE, admin.cli().run("cache", "stats").exit());
    }
}
