package io.s3d.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines that run the s3d command as a separate JVM, as the ./s3d launcher does ({@link Main}). */
final class ProcessRunner {
    private ProcessRunner() {
    }

    static List<String> javaCommand(String... args) {
        return javaCommand(List.of(), args);
    }

    static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        // the test classpath carries JBoss LogManager (as the Quarkus jar does); select it as Quarkus would
        cmd.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName()); // the entry point the ./s3d launcher runs
        cmd.addAll(List.of(args));
        return cmd;
    }
}
