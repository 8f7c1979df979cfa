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
import java.time.Instant;
import java.util.Map;

/** The packaged s3d service run as a child process, as users run it, on a free port and its own directory. */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final String scheme;
    private final HttpClient probe;

    private ServiceProcess(Process process, int port, Path log, String scheme, HttpClient probe) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.scheme = scheme;
        this.probe = probe;
    }

    public static ServiceProcess start(Path localDir, Map<String, String> env) throws IOException, InterruptedException {
        return start(localDir, env, "http", HttpClient.newHttpClient());
    }

    /**
     * Starts s3d on {@code scheme}://127.0.0.1:port ({@code https} needs the S3D_TLS_* settings in
     * {@code env}); {@code probe} is the client readiness is polled with (one that trusts the certificate).
     */
    public static ServiceProcess start(Path localDir, Map<String, String> env, String scheme, HttpClient probe)
            throws IOException, InterruptedException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the service first: " + jar.toAbsolutePath() + " is missing");
        }
        int port = freePort();
        Path log = Files.createTempFile("s3d-service", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString());
        // CI machines may be short of disk; the tests write little, so a low floor keeps readiness honest.
        builder.environment().put("S3D_MIN_FREE_DISK", "16M");
        builder.environment().putAll(env);
        builder.environment().put("S3D_LOCAL_DIR", localDir.toString());
        builder.environment().put("S3D_ENDPOINT", scheme + "://127.0.0.1:" + port);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        ServiceProcess service = new ServiceProcess(builder.start(), port, log, scheme, probe);
        service.awaitReady(Duration.ofSeconds(60));
        return service;
    }

    public String endpoint() {
        return scheme + "://127.0.0.1:" + port;
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        HttpClient http = probe;
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3d exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(URI.create(endpoint() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("s3d not ready within " + timeout + ":\n" + log());
    }

    public int port() {
        return port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Kills the process without warning (SIGKILL), as a power cut or the OOM killer would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
