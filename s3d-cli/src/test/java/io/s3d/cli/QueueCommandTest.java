package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code s3d queue ls} and {@code s3d queue retry} against {@link FakeAdmin}. */
class QueueCommandTest {
    static FakeAdmin admin;

    @BeforeAll
    static void start() {
        admin = FakeAdmin.start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    static String date(String iso) {
        return LsCommand.DATE.format(Instant.parse(iso));
    }

    @Test
    void lsTable() {
        admin.answer("GET", "/_s3d/queue", 200, FakeAdmin.QUEUE);
        Cli.Result r = admin.cli().run("queue", "ls");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("""
                STATE    OP         SIZE  QUEUED               ATTEMPTS  KEY                      ERROR
                pending  PUT     5347737  %s         0  photos/2026/cat.jpg
                parked   DELETE        0  %s        12  photos/2026/old one.jpg  AccessDenied: Access Denied
                """.formatted(date("2026-11-27T00:00:00Z"), date("2026-11-27T00:00:05Z")), r.out());
        assertEquals("", r.err());
        assertEquals("GET", admin.last().method());
        assertEquals(Map.of(), admin.last().query());
        assertTrue(admin.last().header("Authorization").startsWith("AWS4-HMAC-SHA256 "), admin.last().headers().toString());
    }

    @Test
    void lsHumanSizesOnATerminal() {
        admin.answer("GET", "/_s3d/queue", 200, FakeAdmin.QUEUE);
        Cli.Result r = admin.cli().terminal(true, true).run("queue", "ls");
        assertTrue(r.out().contains("pending  PUT     5.1 MiB  "), r.out());
    }

    @Test
    void lsScopeParkedAndMax() {
        admin.answer("GET", "/_s3d/queue", 200, FakeAdmin.QUEUE);
        admin.cli().run("queue", "ls", "photos/2026/", "--parked", "--max", "10");
        assertEquals(Map.of("bucket", "photos", "prefix", "2026/", "state", "parked", "max-items", "10"), admin.last().query());
        admin.cli().run("queue", "ls", "s3://photos", "--max-items=5");
        assertEquals(Map.of("bucket", "photos", "max-items", "5"), admin.last().query());
        Cli.Result r = admin.cli().run("queue", "ls", "--max", "0");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
    }

    @Test
    void lsJsonIsTheDaemonsAnswer() throws Exception {
        admin.answer("GET", "/_s3d/queue", 200, FakeAdmin.QUEUE);
        Cli.Result r = admin.cli().run("queue", "ls", "--json");
        assertEquals(0, r.exit(), r.toString());
        ObjectMapper jackson = new ObjectMapper();
        assertEquals(jackson.readTree(FakeAdmin.QUEUE), jackson.readTree(r.out()));
    }

    @Test
    void lsEmptyAndTruncated() {
        admin.answer("GET", "/_s3d/queue", 200, FakeAdmin.QUEUE_EMPTY);
        Cli.Result r = admin.cli().run("queue", "ls", "photos/2026/", "--parked");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("nothing parked under photos/2026/\n", r.err());
        assertEquals("", admin.cli().run("queue", "ls", "-q").err());
        admin.answer("GET", "/_s3d/queue", 200, FakeAdmin.QUEUE.replace("\"truncated\":false", "\"truncated\":true"));
        r = admin.cli().run("queue", "ls", "--max", "2");
        assertEquals(3, r.out().lines().count(), r.out());
        assertEquals("more items are queued than listed here; raise --max or narrow bucket/prefix\n", r.err());
    }

    @Test
    void retry() throws Exception {
        admin.answer("POST", "/_s3d/queue/retry", 200, FakeAdmin.RETRIED);
        Cli.Result r = admin.cli().run("queue", "retry", "photos/2026/");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals("retried 3 parked items under photos/2026/\n", r.err());
        assertEquals("POST", admin.last().method());
        assertEquals("/_s3d/queue/retry", admin.last().path());
        assertEquals(Map.of("bucket", "photos", "prefix", "2026/"), admin.last().query());

        admin.answer("POST", "/_s3d/queue/retry", 200, "{\"retried\":1}");
        r = admin.cli().run("queue", "retry");
        assertEquals("retried 1 parked item\n", r.err());
        assertEquals(Map.of(), admin.last().query());

        r = admin.cli().run("queue", "retry", "--json");
        assertEquals(new ObjectMapper().readTree("{\"retried\":1}"), new ObjectMapper().readTree(r.out()));
        assertEquals("", r.err());
    }

    @Test
    void writeQueueOff() {
        admin.answer("GET", "/_s3d/queue", 409, FakeAdmin.QUEUE_DISABLED);
        admin.answer("POST", "/_s3d/queue/retry", 409, FakeAdmin.QUEUE_DISABLED);
        for (String command : new String[] {"ls", "retry"}) {
            Cli.Result r = admin.cli().run("queue", command, "photos");
            assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
            assertEquals("s3d queue " + command + ": the write queue is off on this s3d (hint: start it with "
                    + "S3D_WRITE_QUEUE=true and S3_ENDPOINT=..., e.g. ./s3d run --remote URL --write-queue)\n", r.err());
        }
    }

    @Test
    void olderDaemon() {
        admin.answer("GET", "/_s3d/queue", 404, "{\"error\":\"NotFound\",\"message\":\"no admin endpoint /_s3d/queue\"}");
        Cli.Result r = admin.cli().run("queue", "ls");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertTrue(r.err().endsWith("(hint: this s3d has no write-queue endpoints; it is older than this s3d command)\n"), r.err());
    }

    @Test
    void queueAloneShowsUsage() {
        Cli.Result r = admin.cli().run("queue");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertTrue(r.err().contains("Usage: s3d queue") && r.err().contains("retry"), r.err());
        r = admin.cli().run("queue", "lsx");
        assertEquals(ExitCodes.USAGE, r.exit());
    }
}
