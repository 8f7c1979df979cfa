package io.s3d.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code s3d} command. Holds what every subcommand shares with the outside world (standard
 * streams, environment, terminal) so that tests can replace them.
 */
@TopCommand
@Command(name = "s3d", mixinStandardHelpOptions = true, versionProvider = S3dCommand.Version.class,
        subcommands = {RunCommand.class, StatusCommand.class, LsCommand.class, GetCommand.class,
                PutCommand.class, SetCommand.class, FlushCommand.class, QueueCommand.class, PrefetchCommand.class,
                UnpinCommand.class, CacheCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        description = {"s3d, the S3 daemon: a local S3 server and gateway, and a client for any S3 endpoint.",
                "",
                "The endpoint comes from --endpoint, else $S3D_ENDPOINT, else http://localhost:33333.",
                "Credentials come from $S3D_ACCESS_KEY_ID/$S3D_SECRET_ACCESS_KEY, else --profile, "
                        + "$AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY, ~/.aws (AWS_PROFILE); "
                        + "without any, requests are sent unsigned."},
        footerHeading = "%nExamples:%n",
        footer = {"  ./s3d run --local-dir ~/.s3d          start the daemon in the foreground",
                "  s3d put photos/cat.jpg cat.jpg         upload a file",
                "  tar c dir | s3d put backups/dir.tar    upload from standard input",
                "  s3d get photos/cat.jpg > cat.jpg       download to standard output",
                "  s3d ls photos/ --recursive             list objects",
                "  s3d status                             daemon health, queue and cache",
                "  s3d flush photos/                      wait until photos/ is on the remote",
                "  s3d queue ls --parked                  uploads that failed",
                "  s3d prefetch photos/raw/ --pin         fetch into the read cache, keep it there",
                "",
                "Exit codes: 0 success, 1 error, 2 usage error."})
public class S3dCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Standard input, for {@code put} from a pipe. */
    public InputStream stdin = System.in;
    /** Standard output as bytes, for {@code get} data. Text goes through {@code getOut()}. */
    public OutputStream stdout = System.out;
    /** The environment the command reads S3D_* and AWS_* variables from. */
    public Map<String, String> env = System.getenv();
    /** The home directory holding {@code .aws/}. */
    public Path home = Path.of(System.getProperty("user.home", "."));
    private Terminal terminal;

    public Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.detect();
        }
        return terminal;
    }

    public void terminal(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Applies the error handling every entry point (Quarkus or a test) must share. */
    public static CommandLine configure(CommandLine cl) {
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // 's3d run --jvm-option=-Dx=y' passes a JVM option that looks like run's own -D
        CommandLine run = cl.getSubcommands().get("run");
        if (run != null) {
            run.setAllowOptionsAsOptionParameters(true);
        }
        return cl;
    }

    /** Reads the version Maven wrote into {@code version.properties}. */
    public static class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"s3d " + version()};
        }

        public static String version() {
            try (InputStream in = S3dCommand.class.getResourceAsStream("version.properties")) {
                Properties p = new Properties();
                if (in != null) {
                    p.load(in);
                }
                return p.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
