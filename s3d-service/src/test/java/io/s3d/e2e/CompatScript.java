package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Assumptions;

/**
 * A script of scripts/compat (real clients: the AWS CLI, boto3, s3cmd, curl) run against a running
 * s3d, judged as every real-client IT judges it: skipped when the script says its client is missing
 * (exit 3), failed on a {@code FAIL} line, a missing summary line, a non-zero exit or five minutes
 * without an end — with the script's output and s3d's log in the message.
 */
final class CompatScript {
    private static final long MINUTES = 5;

    private CompatScript() {
    }

    /**
     * Runs {@code scripts/compat/<script> <endpoint> <arguments...>} with {@code env} added to this
     * process's environment and returns its output once every {@code summaries} line was seen in it.
     */
    static String run(ServiceProcess s3d, String script, Map<String, String> env, List<String> arguments,
            String... summaries) throws IOException, InterruptedException {
        Path path = Path.of(System.getProperty("s3d.repo", "..")).resolve("scripts/compat").resolve(script);
        Path output = Files.createTempFile("compat-" + script, ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of("bash", path.toString(), s3d.endpoint()),
                    arguments.stream()).toList());
            builder.environment().putAll(env);
            builder.redirectErrorStream(true).redirectOutput(output.toFile());
            Process run = builder.start();
            boolean ended = run.waitFor(MINUTES, TimeUnit.MINUTES);
            if (!ended) {
                run.destroyForcibly().waitFor();
            }
            String text = Files.readString(output);
            System.out.println(text);
            assertThat(ended).as("%s did not end within %d minutes; its output:%n%s", script, MINUTES, text).isTrue();
            Assumptions.assumeFalse(run.exitValue() == 3, text);
            AbstractStringAssert<?> judged = assertThat(text).as(text + "\n--- s3d log ---\n" + s3d.log())
                    .doesNotContain("FAIL");
            for (String summary : summaries) {
                judged.contains(summary);
            }
            assertThat(run.exitValue()).as(text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** {@link #run(ServiceProcess, String, Map, List, String...)} without extra arguments. */
    static String run(ServiceProcess s3d, String script, Map<String, String> env, String... summaries)
            throws IOException, InterruptedException {
        return run(s3d, script, env, List.of(), summaries);
    }
}
