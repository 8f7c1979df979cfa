package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The command as Quarkus boots it: the same commands, error handling and exit codes. */
@QuarkusMainTest
class QuarkusEntryPointTest {

    @Test
    void helpVersionAndUsage(QuarkusMainLauncher launcher) {
        LaunchResult help = launcher.launch("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.getOutput().contains("Examples:"), help.getOutput());
        assertTrue(launcher.launch("--version").getOutput().startsWith("s3d 0.1.0"), "version from the build");
        LaunchResult usage = launcher.launch("ls", "--bogus");
        assertEquals(2, usage.exitCode());
        assertTrue(usage.getErrorOutput().contains("s3d ls: Unknown option: '--bogus'"), usage.getErrorOutput());
    }

    @Test
    void errorsAreOneLineWithExitCode1(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("ls", "--endpoint", "http://127.0.0.1:1");
        assertEquals(1, r.exitCode());
        assertEquals("s3d ls: cannot connect to http://127.0.0.1:1: connection refused (hint: is the daemon running? "
                + "start it with ./s3d run, or set --endpoint/S3D_ENDPOINT)", r.getErrorOutput().strip());
    }
}
