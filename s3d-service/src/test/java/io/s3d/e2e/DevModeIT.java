package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A new contributor's first command, on a fresh checkout: {@code ./mvnw quarkus:dev -pl s3d-service}
 * starts s3d, which answers, and reloads a changed file. The checkout is a {@code git clone} of this
 * repository's HEAD (commit first to check local changes); its Maven repository is this build's minus
 * {@code io/s3d}, so nothing this build or an earlier {@code mvn install} put there can hide a
 * dependency dev mode cannot resolve on a machine that never built s3d. The Dev UI's s3d card
 * ({@code ./mvnw quarkus:dev -pl s3d-service -am -Pdev-ui}) is checked the same way, through the Dev
 * UI's own JSON-RPC websocket, as its page calls it.
 */
class DevModeIT {
    private static final Duration START = Duration.ofMinutes(10); // compiling s3d in a fresh clone, on a busy machine
    private static final Duration RELOAD = Duration.ofMinutes(2);

    @Test
    void devModeStartsOnAFreshCloneAndReloadsAChange() throws Exception {
        Path work = Path.of("target/dev-mode-check").toAbsolutePath();
        Path clone = freshClone(work);
        int port = freePort();
        Process devMode = startDevMode(work, clone, port, "-pl", "s3d-service");
        Path log = work.resolve("dev-mode.log");
        try {
            String status = awaitStatus(devMode, port, log, START, body -> true);
            assertThat(status).contains("\"mode\":\"standalone\"");

            // Live reload: a changed configuration file takes effect on the next request, without a restart by hand.
            Files.writeString(clone.resolve("s3d-service/src/main/resources/application.properties"),
                    "\nquarkus.application.version=dev-mode-reloaded\n", StandardOpenOption.APPEND);
            String reloaded = awaitStatus(devMode, port, log, RELOAD, body -> body.contains("dev-mode-reloaded"));
            assertThat(reloaded).contains("\"version\":\"dev-mode-reloaded\"");
        } finally {
            stop(devMode);
        }
    }

    @Test
    void devUiCardShowsTheDaemonsLiveStatus() throws Exception {
        Path work = Path.of("target/dev-ui-check").toAbsolutePath();
        Path clone = freshClone(work);
        int port = freePort();
        Process devMode = startDevMode(work, clone, port, "-pl", "s3d-service", "-am", "-Pdev-ui");
        Path log = work.resolve("dev-mode.log");
        try {
            awaitStatus(devMode, port, log, START, body -> true);
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;

            // The card's page: its web component is served (an unknown path would get the Dev UI's index page).
            HttpResponse<String> component = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/q/dev-ui/s3d-devui/qwc-s3d-devui-status.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(component.statusCode()).as(component.body()).isEqualTo(200);
            assertThat(component.body()).contains("customElements.define('qwc-s3d-devui-status'");

            // Its data, as the page and the card's label ask for it (the Dev UI names methods namespace_method).
            try (DevUiJsonRpc rpc = DevUiJsonRpc.connect(http, port)) {
                String status = rpc.call("s3d-devui_getStatus");
                assertThat(status).containsPattern("\"mode\"\\s*:\\s*\"standalone\"")
                        .containsPattern("\"localDir\"\\s*:\\s*\"" + Pattern.quote(work.resolve("store").toString()) + "\"")
                        .containsPattern("\"buckets\"\\s*:\\s*0\\b")
                        .doesNotContain("writeQueue"); // the Dev UI leaves out null fields: no queue in standalone mode
                assertThat(rpc.call("s3d-devui_getSummary")).containsPattern("\"object\"\\s*:\\s*\"standalone\"");

                // Live values: a bucket created through S3 shows up on the next call.
                HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/devui-bucket"))
                        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                assertThat(rpc.call("s3d-devui_getStatus")).containsPattern("\"buckets\"\\s*:\\s*1\\b");
            }
        } finally {
            stop(devMode);
        }
    }

    /** A {@code git clone} of HEAD under {@code work}, its Maven repository beside it without {@code io/s3d}. */
    private static Path freshClone(Path work) throws IOException, InterruptedException {
        Path repo = Path.of(System.getProperty("s3d.repo", "..")).toAbsolutePath().normalize();
        assumeTrue(Files.exists(repo.resolve(".git")), "SKIPPED: " + repo + " is not a git checkout, no fresh clone to make");
        deleteTree(work);
        Path clone = work.resolve("clone");
        String head = run(repo, "git", "rev-parse", "HEAD").strip();
        run(work.getParent(), "git", "clone", "-q", "--no-checkout", repo.toString(), clone.toString());
        run(clone, "git", "checkout", "-q", head);
        repositoryWithoutS3d(Path.of(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository")), work.resolve("m2"));
        return clone;
    }

    /** {@code ./mvnw [goals and options] quarkus:dev} in the clone, serving on {@code port}, logging to dev-mode.log. */
    private static Process startDevMode(Path work, Path clone, int port, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(clone.resolve("mvnw").toString(), "-B",
                "-Dmaven.repo.local=" + work.resolve("m2")));
        command.addAll(List.of(options));
        command.addAll(List.of("quarkus:dev", "-Ddebug=false", "-Dquarkus.console.enabled=false",
                "-Dquarkus.analytics.disabled=true"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("dev-mode.log").toFile());
        builder.environment().put("S3D_ENDPOINT", "http://127.0.0.1:" + port);
        builder.environment().put("S3D_LOCAL_DIR", work.resolve("store").toString());
        builder.environment().put("S3D_MIN_FREE_DISK", "16M");
        return builder.start();
    }

    private static String awaitStatus(Process devMode, int port, Path log, Duration timeout, Predicate<String> wanted)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!devMode.isAlive()) {
                throw new AssertionError("dev mode exited with " + devMode.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/_s3d/status")).timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (status.statusCode() == 200 && wanted.test(status.body())) {
                    return status.body();
                }
            } catch (IOException notYet) {
                // still compiling or starting
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("dev mode did not answer as expected within " + timeout + ":\n" + tail(log));
    }

    /** A Maven repository of symbolic links to every group of {@code source} except {@code io/s3d}. */
    private static Path repositoryWithoutS3d(Path source, Path target) throws IOException {
        Files.createDirectories(target.resolve("io"));
        try (Stream<Path> groups = Files.list(source)) {
            for (Path group : (Iterable<Path>) groups::iterator) {
                if (!group.getFileName().toString().equals("io")) {
                    Files.createSymbolicLink(target.resolve(group.getFileName().toString()), group);
                }
            }
        }
        if (Files.isDirectory(source.resolve("io"))) {
            try (Stream<Path> groups = Files.list(source.resolve("io"))) {
                for (Path group : (Iterable<Path>) groups::iterator) {
                    if (!group.getFileName().toString().equals("s3d")) {
                        Files.createSymbolicLink(target.resolve("io").resolve(group.getFileName().toString()), group);
                    }
                }
            }
        }
        return target;
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle child : tree) {
            child.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> {
                child.destroyForcibly();
                return child;
            }).join();
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        // Symbolic links are deleted, never followed: the repository behind them is the build's own.
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
