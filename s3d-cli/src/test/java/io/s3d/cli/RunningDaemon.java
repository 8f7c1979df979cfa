package io.s3d.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon, started the way users start it: {@code s3d run} with the built service jar
 * (s3d-service/target/quarkus-app/quarkus-run.jar), on a free port, its output in a log file.
 */
record RunningDaemon(Process process, String endpoint, Path log) {
    static final Path SERVICE_JAR = Path.of("..", "s3d-service", "target", "quarkus-app", "quarkus-run.jar");

    /** Whether the daemon can run here: the service is built and not switched off with -Ds3d.e2e.service=false. */
    static boolean available() {
        return !"false".equals(System.getProperty("s3d.e2e.service")) && Files.isRegularFile(SERVICE_JAR);
    }

    /** Runs {@code s3d run <args>} with {@code env}, and waits until it answers. */
    static RunningDaemon start(Path dir, List<String> args, Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        Path log = dir.resolve("daemon.log");
        List<String> run = new ArrayList<>(List.of("run", "--endpoint", endpoint, "--local-dir",
                dir.resolve("store").toString(), "--service-jar", SERVICE_JAR.toAbsolutePath().toString()));
        run.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(ProcessRunner.javaCommand(run.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process daemon = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/q/health/live").toURL()
                        .openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return new RunningDaemon(daemon, endpoint, log);
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        daemon.destroyForcibly();
        throw new IllegalStateException("the daemon did not start:\n" + Files.readString(log));
    }

    String logText() throws IOException {
        return Files.readString(log);
    }
}
