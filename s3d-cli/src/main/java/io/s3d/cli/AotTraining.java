package io.s3d.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import picocli.CommandLine;

/**
 * The training run for the JVM's AOT cache (JDK 25, see the {@code ./s3d} launcher): runs the
 * common commands against a throw-away local HTTP server that answers like S3, so that the classes
 * of the whole request and response path, XML parsing included, land in the cache.
 */
public final class AotTraining {
    private static final String OBJECT = "0123456789abcdef".repeat(64);

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Logger.getLogger("").setLevel(Level.SEVERE);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", AotTraining::answer);
        server.start();
        try {
            String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
            run(endpoint, "--help");
            run(endpoint, "ls");
            run(endpoint, "ls", "training");
            run(endpoint, "get", "training/object.bin");
            run(endpoint, "status");
            run(endpoint, "queue", "ls", "training");
            run(endpoint, "flush", "training");
            run(endpoint, "put", "training/object.bin");
            run(endpoint, "ls", "training", "--endpoint", "http://127.0.0.1:9");
        } finally {
            server.stop(0);
        }
    }

    private static void run(String endpoint, String... args) {
        S3dCommand root = new S3dCommand();
        Map<String, String> env = new HashMap<>();
        env.put("S3D_ENDPOINT", endpoint);
        env.put("S3D_ACCESS_KEY_ID", "training");
        env.put("S3D_SECRET_ACCESS_KEY", "training");
        root.env = env;
        root.stdin = new ByteArrayInputStream(OBJECT.getBytes(StandardCharsets.UTF_8));
        root.stdout = OutputStream.nullOutputStream();
        root.terminal(new Terminal(false, false, 80));
        CommandLine cl = S3dCommand.configure(new CommandLine(root));
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.execute(args);
    }

    private static void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String body;
        int status = 200;
        x.getRequestBody().readAllBytes();
        if (path.equals("/_s3d/queue")) {
            x.getResponseHeaders().add("Content-Type", "application/json");
            body = "{\"items\":[{\"bucket\":\"training\",\"key\":\"object.bin\",\"op\":\"PUT\",\"size\":1024,"
                    + "\"queuedAt\":\"2026-01-01T00:00:00Z\",\"attempts\":0,\"state\":\"pending\",\"error\":null}],"
                    + "\"truncated\":false}";
        } else if (path.equals("/_s3d/queue/flush")) {
            x.getResponseHeaders().add("Content-Type", "application/json");
            body = "{\"flushed\":true,\"waitedMillis\":1,\"remaining\":0,\"parked\":0}";
        } else if (path.startsWith("/_s3d/status")) {
            x.getResponseHeaders().add("Content-Type", "application/json");
            body = "{\"version\":\"0\",\"uptimeSeconds\":1,\"mode\":\"standalone\",\"localDir\":\"/tmp\","
                    + "\"disk\":{\"totalBytes\":1,\"freeBytes\":1,\"usedBytes\":0},\"buckets\":1,"
                    + "\"remote\":null,\"writeQueue\":null,\"readCache\":null}";
        } else if (path.equals("/")) {
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets>"
                    + "<Bucket><Name>training</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>"
                    + "</Buckets></ListAllMyBucketsResult>";
        } else if (path.equals("/training") || path.equals("/training/")) {
            body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>training</Name><Prefix></Prefix>"
                    + "<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>false</IsTruncated>"
                    + "<Contents><Key>object.bin</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>"
                    + "<ETag>&quot;0&quot;</ETag><Size>1024</Size><StorageClass>STANDARD</StorageClass></Contents>"
                    + "<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes></ListBucketResult>";
        } else if (x.getRequestMethod().equals("PUT")) {
            x.getResponseHeaders().add("ETag", "\"0\"");
            body = "";
        } else {
            x.getResponseHeaders().add("ETag", "\"0\"");
            x.getResponseHeaders().add("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
            x.getResponseHeaders().add("Content-Type", "application/octet-stream");
            body = OBJECT;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }
}
