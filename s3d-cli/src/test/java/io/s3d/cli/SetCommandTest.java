package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * S3Proxy does not implement tagging, so against it {@code set} must fail cleanly with the
 * S3 code and a hint; the merge itself is checked in {@link SetCommandTest#merge()}.
 */
@ExtendWith(S3ProxyServer.class)
class SetCommandTest {

    @Test
    void unsupportedTaggingIsOneClearLine() {
        String bucket = TestS3.bucket("set");
        TestS3.put(bucket, "k", new byte[1]);
        Cli.Result r = Cli.s3proxy().run("set", bucket + "/k", "--tag", "s3d.cache=pin");
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertTrue(r.err().startsWith("s3d set: s3://" + bucket + "/k: NotImplemented: "), r.toString());
        assertTrue(r.err().contains("hint: this S3 endpoint does not support the operation"), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
    }

    @Test
    void merge() {
        Map<String, String> existing = new LinkedHashMap<>();
        existing.put("owner", "ann");
        existing.put("s3d.cache", "pin");
        existing.put("keep", "1");
        Map<String, String> add = new LinkedHashMap<>();
        add.put("owner", "bob");
        add.put("s3d.upload", "true");
        assertEquals(Map.of("owner", "bob", "keep", "1", "s3d.upload", "true"),
                SetCommand.merge(existing, add, List.of("s3d.cache", "absent")));
        assertEquals("ann", existing.get("owner"), "the input is not changed");
    }

    @Test
    void needsSomethingToSet() {
        Cli.Result r = Cli.s3proxy().run("set", "bucket/key");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("nothing to set"), r.toString());
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run("set", "bucket/key", "--tag", "novalue").exit());
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run("set", "bucket/key", "--tag", "=v").exit());
    }
}
