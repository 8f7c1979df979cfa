package io.s3d.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard output and standard error are terminals. Decides between human and exact
 * sizes in {@code ls}, and whether {@code get}/{@code put} draw a progress bar.
 */
public class Terminal {
    private final boolean stdinTty;
    private final boolean stdoutTty;
    private final boolean stderrTty;
    private final int width;

    public Terminal(boolean stdoutTty, boolean stderrTty, int width) {
        this(false, stdoutTty, stderrTty, width);
    }

    public Terminal(boolean stdinTty, boolean stdoutTty, boolean stderrTty, int width) {
        this.stdinTty = stdinTty;
        this.stdoutTty = stdoutTty;
        this.stderrTty = stderrTty;
        this.width = width;
    }

    /** What the process is really attached to. */
    public static Terminal detect() {
        int width = 80;
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                width = Math.max(40, Integer.parseInt(columns.trim()));
            } catch (NumberFormatException ignored) {
                // keep 80
            }
        }
        return new Terminal(isatty(0), isatty(1), isatty(2), width);
    }

    public boolean stdinIsTerminal() {
        return stdinTty;
    }

    public boolean stdoutIsTerminal() {
        return stdoutTty;
    }

    public boolean stderrIsTerminal() {
        return stderrTty;
    }

    public int width() {
        return width;
    }

    /**
     * On Linux the descriptor's link in /proc tells exactly; elsewhere fall back to
     * {@link System#console()}, which (before JDK 22) exists only when stdin and stdout are
     * terminals, and from JDK 22 on says so through {@code Console.isTerminal()}.
     */
    static boolean isatty(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            if (Files.isSymbolicLink(link)) {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")
                        || target.equals("/dev/console");
            }
        } catch (Exception ignored) {
            // fall through to the portable check
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
