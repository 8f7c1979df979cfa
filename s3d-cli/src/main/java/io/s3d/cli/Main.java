package io.s3d.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine;

/**
 * The fast entry point the {@code ./s3d} launcher uses: the same commands as the Quarkus entry
 * ({@code java -jar quarkus-run.jar}), started as a plain class-path application. Skipping the
 * Quarkus boot and its class loader lets the JVM's class-data sharing (AppCDS / AOT cache) cover
 * every class, which roughly halves start-up for a one-shot command.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // the AWS SDK logs through SLF4J to JBoss LogManager: only errors, and to stderr
        Logger.getLogger("").setLevel(Level.SEVERE);
        int code = S3dCommand.configure(new CommandLine(new S3dCommand())).execute(args);
        System.out.flush();
        System.exit(code);
    }
}
