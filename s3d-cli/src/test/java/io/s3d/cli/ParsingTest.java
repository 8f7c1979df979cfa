package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ParsingTest {

    @Test
    void locations() {
        assertEquals(new S3Location("b", "k/x.txt"), S3Location.parse("b/k/x.txt"));
        assertEquals(new S3Location("b", "k"), S3Location.parse("s3://b/k"));
        assertEquals(new S3Location("b", ""), S3Location.parse("b"));
        assertEquals(new S3Location("b", "dir/"), S3Location.parse("b/dir/"));
        assertFalse(S3Location.parse("b/").hasKey());
        assertEquals("s3://b/k", S3Location.parse("b/k").toString());
        CliException e = assertThrows(CliException.class, () -> S3Location.parseObject("b"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals(ExitCodes.USAGE, assertThrows(CliException.class, () -> S3Location.parse("/k")).exitCode());
    }

    @Test
    void sizes() {
        assertEquals(8L << 20, Sizes.parse("8M"));
        assertEquals(8L << 20, Sizes.parse("8MiB"));
        assertEquals(1L << 30, Sizes.parse("1g"));
        assertEquals(512L << 10, Sizes.parse("512K"));
        assertEquals(123, Sizes.parse("123"));
        assertEquals(ExitCodes.USAGE, assertThrows(CliException.class, () -> Sizes.parse("lots")).exitCode());
        assertEquals("999 B", Sizes.human(999));
        assertEquals("1.5 KiB", Sizes.human(1536));
        assertEquals("50.0 MiB", Sizes.human(50L << 20));
        assertEquals("256 GiB", Sizes.human(256L << 30));
    }

    @Test
    void durations() {
        assertEquals(java.time.Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(java.time.Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(java.time.Duration.ofMinutes(5), Durations.parse("5M"));
        assertEquals(java.time.Duration.ofHours(1), Durations.parse("1h"));
        for (String bad : List.of("", "s", "1.5m", "-1s", "soon", "5d")) {
            assertEquals(ExitCodes.USAGE, assertThrows(CliException.class, () -> Durations.parse(bad)).exitCode(), bad);
        }
        assertEquals("12 ms", Durations.millis(12));
        assertEquals("3.2 s", Durations.millis(3240));
        assertEquals("2m 5s", Durations.millis(125_000));
    }

    @Test
    void queueScopes() {
        QueueScope all = QueueScope.parse(null);
        assertTrue(all.everything());
        assertEquals(Map.of(), all.query());
        assertEquals("", all.suffix("for"));
        assertEquals("s3d queue retry", all.command("s3d queue retry"));
        QueueScope p = QueueScope.parse("s3://photos/2026/");
        assertEquals(Map.of("bucket", "photos", "prefix", "2026/"), p.query());
        assertEquals(" under photos/2026/", p.suffix("under"));
        assertEquals("s3d queue ls photos/2026/ --parked", p.command("s3d queue ls", "--parked"));
        assertEquals("s3://photos/2026/", p.target());
        assertEquals(Map.of("bucket", "photos"), QueueScope.parse("photos/").query());
    }

    @Test
    void ranges() {
        assertEquals("bytes=0-1023", GetCommand.parseRange("0-1023"));
        assertEquals("bytes=0-1023", GetCommand.parseRange("bytes=0-1023"));
        assertEquals("bytes=100-", GetCommand.parseRange("100-"));
        assertEquals("bytes=-100", GetCommand.parseRange("-100"));
        for (String bad : List.of("-", "abc", "5-1", "1-2-3", "")) {
            assertEquals(ExitCodes.USAGE, assertThrows(CliException.class, () -> GetCommand.parseRange(bad)).exitCode(), bad);
        }
    }

    @Test
    void tagging() {
        assertEquals("a=1&s3d.cache=pin&with%20space=x%26y",
                PutCommand.tagging(new java.util.LinkedHashMap<>(Map.of("a", "1")) {
                    {
                        put("s3d.cache", "pin");
                        put("with space", "x&y");
                    }
                }));
    }

    @Test
    void jsonRoundTripAgreesWithJackson() throws Exception {
        String text = "{\"a\":1,\"b\":[true,false,null,\"x\\\"y\\n\\u00e9\"],\"c\":{\"d\":-2.5e3},\"e\":\"\"}";
        Object parsed = Json.parse(text);
        ObjectMapper jackson = new ObjectMapper();
        assertEquals(jackson.readTree(text), jackson.readTree(Json.write(parsed)));
        Map<?, ?> m = (Map<?, ?>) parsed;
        assertEquals(1L, m.get("a"));
        assertEquals("x\"y\né", ((List<?>) m.get("b")).get(3));
        assertTrue(jackson.readTree(Json.write(Map.of("k", "tab\tctl\u0001"))).get("k").asText().contains("\u0001"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("<Error/>"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    }

    @Test
    void progressLine() {
        assertEquals("0:05", Progress.clock(5));
        assertEquals("1:01:01", Progress.clock(3661));
        assertEquals("59s", StatusCommand.uptime(59));
        assertEquals("2h 5m", StatusCommand.uptime(2 * 3600 + 300));
        assertEquals("3d 1h", StatusCommand.uptime(3 * 86400 + 3600));
    }
}
