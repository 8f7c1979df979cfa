package io.s3d.e2e;

import java.io.IOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * moto's S3 server ({@code moto_server} from the Python {@code moto} package) as a remote store: it
 * implements versioning, object lock, ACLs, policies, lifecycle, CORS, SSE headers (SSE-C included)
 * and tagging, which S3Proxy does not. Found at {@code /root/.pyenv/shims/moto_server} (the CI
 * image's pyenv Python) or on the PATH; tests skip, saying so, where it is not installed.
 */
public final class MotoS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "moto-access-key";
    public static final String SECRET_KEY = "moto-secret-key";

    private final Process process;
    private final URI endpoint;

    private MotoS3(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** The moto_server executable, if this machine has one. */
    public static Optional<Path> executable() {
        Path pyenv = Path.of("/root/.pyenv/shims/moto_server");
        if (Files.isExecutable(pyenv)) {
            return Optional.of(pyenv);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "moto_server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static MotoS3 start(Path executable) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto", ".log");
        Process p = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("moto_server did not start within 60 s");
                }
                Thread.sleep(200);
            }
        }
        return new MotoS3(p, endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client directClient() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(ApacheHttpClient.create()).forcePathStyle(true).build();
    }

    public Map<String, String> gatewayEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("S3_ENDPOINT", endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        env.put("S3D_WRITE_QUEUE_RETRY_INITIAL_DELAY", "200ms");
        env.put("S3D_WRITE_QUEUE_RETRY_MAX_DELAY", "2s");
        env.put("S3D_REMOTE_CONNECT_TIMEOUT", "2s");
        env.put("S3D_REMOTE_READ_TIMEOUT", "10s");
        return env;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
