package io.s3d.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3 server for the tests: S3Proxy run as a separate process (the fat jar Maven copies to
 * target/s3proxy/s3proxy.jar), on a free port, with SigV2/V4 authentication and a filesystem
 * store under target/. Started once per test JVM and stopped when the JVM's tests end.
 */
public class S3ProxyServer implements BeforeAllCallback {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private static String endpoint;

    public static synchronized String endpoint() {
        if (endpoint == null) {
            try {
                endpoint = start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot start S3Proxy: " + e, e);
            }
        }
        return endpoint;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoint();
    }

    private static String start() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Proxy jar at " + jar + "; run the tests through Maven");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory(Path.of("target"), "s3proxy-").toAbsolutePath();
        Path data = Files.createDirectories(dir.resolve("data"));
        String url = "http://127.0.0.1:" + port;
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=" + url,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--properties", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroy();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode(); // 403 without credentials is fine: it answers
                c.disconnect();
                return url;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not answer on " + url);
    }
}
