package io.s3d.e2e;

import io.s3d.bench.wan.WanProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The remote S3 store of the gateway tests: a real S3 server (S3Proxy, run as its own process from
 * the jar Maven copies to target/s3proxy) on a free port with SigV4 authentication, reached by s3d
 * through the WAN emulator ({@link WanProxy}) so tests can cut and restore the link.
 */
public final class RemoteS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "remote-access-key";
    public static final String SECRET_KEY = "remote-secret-key";

    private final Process process;
    private final URI endpoint;
    private final WanProxy link;
    private final Path dir;

    private RemoteS3(Process process, URI endpoint, WanProxy link, Path dir) {
        this.process = process;
        this.endpoint = endpoint;
        this.link = link;
        this.dir = dir;
    }

    public static RemoteS3 start() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Proxy jar at " + jar.toAbsolutePath() + "; run the tests through Maven");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory(Path.of("target"), "remote-s3-").toAbsolutePath();
        Path data = Files.createDirectories(dir.resolve("data"));
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n", "s3proxy.endpoint=" + endpoint, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data, ""));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toAbsolutePath().toString(), "--properties",
                conf.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try {
                http.send(HttpRequest.newBuilder(endpoint).build(), HttpResponse.BodyHandlers.discarding());
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("S3Proxy did not start within 60 s");
                }
                Thread.sleep(200);
            }
        }
        WanProxy link = WanProxy.start(new InetSocketAddress("127.0.0.1", port));
        return new RemoteS3(p, endpoint, link, dir);
    }

    /** The address s3d is given: the far end of the emulated link. */
    public URI linkEndpoint() {
        return link.uri();
    }

    /** The link between s3d and the remote, to cut, restore or slow down. */
    public WanProxy link() {
        return link;
    }

    /**
     * A client straight to the remote (not through the link), to check what really arrived. The
     * Apache client: the URL-connection one reuses keep-alive connections S3Proxy's Jetty already
     * closed ("Unexpected end of file from server").
     */
    public S3Client directClient() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(ApacheHttpClient.create()).forcePathStyle(true).build();
    }

    /** What s3d needs in its environment to use this remote (plus the features a test turns on). */
    public Map<String, String> gatewayEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("S3_ENDPOINT", linkEndpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        // Tests cut the link on purpose: retry soon after it comes back.
        env.put("S3D_WRITE_QUEUE_RETRY_INITIAL_DELAY", "200ms");
        env.put("S3D_WRITE_QUEUE_RETRY_MAX_DELAY", "2s");
        env.put("S3D_REMOTE_CONNECT_TIMEOUT", "2s");
        env.put("S3D_REMOTE_READ_TIMEOUT", "10s");
        return env;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        link.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
