package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

@ExtendWith(S3ProxyServer.class)
class PutGetCommandTest {
    static String bucket;

    @TempDir
    Path tmp;

    @BeforeAll
    static void bucket() {
        bucket = TestS3.bucket("putget");
    }

    @Test
    void putFileThenGetToStdoutWithMetadataOnStderr() throws Exception {
        Path file = tmp.resolve("notes.json");
        Files.writeString(file, "{\"hello\":1}");
        Cli.Result put = Cli.s3proxy().run("put", bucket + "/docs/notes.json", file.toString(), "--meta", "owner=ann");
        assertEquals(0, put.exit(), put.toString());
        assertEquals(0, put.stdout().length, "put prints nothing on stdout without --json");
        assertTrue(put.err().startsWith("s3://" + bucket + "/docs/notes.json  11 bytes  etag \""), put.toString());

        HeadObjectResponse head = TestS3.client().headObject(b -> b.bucket(bucket).key("docs/notes.json"));
        assertEquals("application/json", head.contentType(), "guessed from the name");
        assertEquals("ann", head.metadata().get("owner"));

        Cli.Result get = Cli.s3proxy().run("get", bucket + "/docs/notes.json");
        assertEquals(0, get.exit(), get.toString());
        assertEquals("{\"hello\":1}", get.out(), "stdout holds only the data");
        assertTrue(get.err().contains("size:           11\n"), get.err());
        assertTrue(get.err().contains("etag:           " + head.eTag()), get.err());
        assertTrue(get.err().contains("content-type:   application/json"), get.err());
        assertTrue(get.err().contains("meta.owner:     ann"), get.err());

        Cli.Result quiet = Cli.s3proxy().run("get", bucket + "/docs/notes.json", "-q");
        assertEquals("", quiet.err());
    }

    @Test
    void putFromStdinWithContentTypeAndKeyFromFileName() throws Exception {
        Cli.Result r = Cli.s3proxy().stdin("piped".getBytes(StandardCharsets.UTF_8))
                .run("put", bucket + "/in/piped.txt", "-", "--content-type", "text/x-test", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("in/piped.txt", json.get("key").asText());
        assertEquals(5, json.get("size").asLong());
        assertEquals(0, json.get("parts").asInt());
        assertEquals("text/x-test", TestS3.client().headObject(b -> b.bucket(bucket).key("in/piped.txt")).contentType());

        Path file = tmp.resolve("named.bin");
        Files.write(file, new byte[] {1, 2, 3});
        r = Cli.s3proxy().run("put", bucket + "/dir/", file.toString());
        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(new byte[] {1, 2, 3}, TestS3.get(bucket, "dir/named.bin"));
        r = Cli.s3proxy().run("put", bucket, file.toString());
        assertArrayEquals(new byte[] {1, 2, 3}, TestS3.get(bucket, "named.bin"));

        r = Cli.s3proxy().stdin(new byte[1]).run("put", bucket + "/");
        assertEquals(ExitCodes.USAGE, r.exit(), r.toString());
        r = Cli.s3proxy().terminal(true, true, true).run("put", bucket + "/from-tty");
        assertEquals(ExitCodes.USAGE, r.exit(), "does not wait for typing: " + r);
        assertTrue(r.err().contains("standard input is a terminal"), r.toString());
        r = Cli.s3proxy().run("put", bucket + "/x", tmp.resolve("missing").toString());
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
        assertTrue(r.err().contains("no such file"), r.toString());
    }

    @Test
    void multipartFromStdinOfUnknownLength() throws Exception {
        byte[] data = TestS3.random(12 * 1024 * 1024 + 123, 7);
        Cli.Result r = Cli.s3proxy().stdin(new java.io.ByteArrayInputStream(data) {
            @Override
            public synchronized int available() {
                return 0; // like a pipe: no length known up front
            }
        }).run("put", bucket + "/big/stdin.bin", "--part-size", "5M", "--json", "--meta", "k=v");
        assertEquals(0, r.exit(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(3, json.get("parts").asInt(), r.toString());
        assertTrue(json.get("etag").asText().endsWith("-3\""), "a multipart ETag: " + r);
        assertArrayEquals(data, TestS3.get(bucket, "big/stdin.bin"));
        assertEquals("v", TestS3.client().headObject(b -> b.bucket(bucket).key("big/stdin.bin")).metadata().get("k"));
    }

    @Test
    void multipartFromFileOfExactlyTwoParts() throws Exception {
        byte[] data = TestS3.random(10 * 1024 * 1024, 8);
        Path file = tmp.resolve("two.bin");
        Files.write(file, data);
        Cli.Result r = Cli.s3proxy().run("put", bucket + "/big/two.bin", file.toString(), "--part-size", "5M", "--json", "--parallel", "1");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, new ObjectMapper().readTree(r.out()).get("parts").asInt(), r.toString());
        assertArrayEquals(data, TestS3.get(bucket, "big/two.bin"));
        // and a part size below S3's minimum is a usage error
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run("put", bucket + "/x", file.toString(), "--part-size", "1M").exit());
    }

    @Test
    void ranges() {
        byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
        TestS3.put(bucket, "range.txt", data);
        assertEquals("234", Cli.s3proxy().run("get", bucket + "/range.txt", "--range", "2-4").out());
        assertEquals("789", Cli.s3proxy().run("get", bucket + "/range.txt", "--range", "-3").out());
        assertEquals("89", Cli.s3proxy().run("get", bucket + "/range.txt", "--range", "bytes=8-").out());
        Cli.Result r = Cli.s3proxy().run("get", bucket + "/range.txt", "--range", "2-4");
        assertTrue(r.err().contains("content-range:  bytes 2-4/10"), r.toString());
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run("get", bucket + "/range.txt", "--range", "x").exit());
    }

    @Test
    void getToFileAndJsonMetadata() throws Exception {
        byte[] data = TestS3.random(100_000, 3);
        TestS3.put(bucket, "file.bin", data);
        Path out = tmp.resolve("out.bin");
        Cli.Result r = Cli.s3proxy().run("get", bucket + "/file.bin", out.toString(), "--json");
        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(data, Files.readAllBytes(out));
        assertEquals(0, r.stdout().length);
        JsonNode meta = new ObjectMapper().readTree(r.err());
        assertEquals(100_000, meta.get("size").asLong());
        assertEquals("file.bin", meta.get("key").asText());
        assertFalse(Files.exists(tmp.resolve("out.bin" + GetCommand.SIDECAR_SUFFIX)), "no state left after success");

        Path dir = Files.createDirectories(tmp.resolve("into"));
        r = Cli.s3proxy().run("get", bucket + "/file.bin", dir.toString(), "-q");
        assertEquals(0, r.exit(), r.toString());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("file.bin")), "into a directory, under the key's name");
    }

    @Test
    void resumesAnInterruptedDownload() throws Exception {
        byte[] data = TestS3.random(300_000, 4);
        TestS3.put(bucket, "resume.bin", data);
        String etag = TestS3.client().headObject(b -> b.bucket(bucket).key("resume.bin")).eTag();
        Path out = tmp.resolve("resume.bin");
        // what an interrupted 's3d get' leaves: the first bytes and the sidecar
        Files.write(out, Arrays.copyOf(data, 120_000));
        Files.writeString(tmp.resolve("resume.bin" + GetCommand.SIDECAR_SUFFIX), Json.write(
                new java.util.LinkedHashMap<>(java.util.Map.of("bucket", bucket, "key", "resume.bin", "etag", etag, "size", 300_000L))));
        Cli.Result r = Cli.s3proxy().run("get", bucket + "/resume.bin", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("resuming s3://" + bucket + "/resume.bin at byte 120000 of 300000"), r.toString());
        assertTrue(r.err().contains("content-range:  bytes 120000-299999/300000"), "a range request: " + r);
        assertArrayEquals(data, Files.readAllBytes(out));
        assertFalse(Files.exists(tmp.resolve("resume.bin" + GetCommand.SIDECAR_SUFFIX)));
    }

    @Test
    void startsOverWhenTheObjectChanged() throws Exception {
        byte[] data = TestS3.random(50_000, 5);
        TestS3.put(bucket, "changed.bin", data);
        Path out = tmp.resolve("changed.bin");
        Files.write(out, new byte[20_000]); // bytes of an older version
        Files.writeString(tmp.resolve("changed.bin" + GetCommand.SIDECAR_SUFFIX), Json.write(new java.util.LinkedHashMap<>(
                java.util.Map.of("bucket", bucket, "key", "changed.bin", "etag", "\"0123456789abcdef0123456789abcdef\"", "size", 50_000L))));
        Cli.Result r = Cli.s3proxy().run("get", bucket + "/changed.bin", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("changed since the interrupted download; starting over"), r.toString());
        assertArrayEquals(data, Files.readAllBytes(out));
    }

    @Test
    void missingObject() {
        Cli.Result r = Cli.s3proxy().run("get", bucket + "/no/such.key");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertEquals(0, r.stdout().length);
        assertEquals("s3d get: s3://" + bucket + "/no/such.key: NoSuchKey: The specified key does not exist. "
                + "(hint: list the bucket with 's3d ls " + bucket + "/no/')", r.err().strip());
        assertEquals(ExitCodes.USAGE, Cli.s3proxy().run("get", bucket).exit(), "a bucket is not an object");
    }

    @Test
    void progressBarOnlyOnATerminal() throws Exception {
        byte[] data = TestS3.random(6 * 1024 * 1024, 6);
        Path file = tmp.resolve("progress.bin");
        Files.write(file, data);
        Cli.Result tty = Cli.s3proxy().terminal(false, true).run("put", bucket + "/progress.bin", file.toString());
        assertEquals(0, tty.exit(), tty.toString());
        assertTrue(tty.err().contains("\r") && tty.err().contains("100%") && tty.err().contains("/s"), tty.err());
        Cli.Result get = Cli.s3proxy().terminal(false, true).run("get", bucket + "/progress.bin", "-q");
        assertArrayEquals(data, get.stdout());
        Cli.Result getTty = Cli.s3proxy().terminal(false, true).run("get", bucket + "/progress.bin");
        assertTrue(getTty.err().contains("6.0 MiB / 6.0 MiB 100%"), getTty.err());
        Cli.Result piped = Cli.s3proxy().stdin(data).run("put", bucket + "/progress.bin");
        assertFalse(piped.err().contains("\r"), piped.err());
        Cli.Result off = Cli.s3proxy().terminal(false, true).run("get", bucket + "/progress.bin", "--no-progress");
        assertFalse(off.err().contains("\r"), off.err());
    }
}
