package io.s3d.cli;

/**
 * An error meant for the user: one line with what failed and, when obvious, a hint what to do.
 * Commands throw it; {@link ErrorHandler} prints it and turns it into an exit code.
 */
public class CliException extends RuntimeException {
    private final String hint;
    private final int exitCode;

    public CliException(String message) {
        this(message, null, ExitCodes.ERROR, null);
    }

    public CliException(String message, String hint) {
        this(message, hint, ExitCodes.ERROR, null);
    }

    public CliException(String message, String hint, int exitCode, Throwable cause) {
        super(message, cause);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    public static CliException usage(String message) {
        return new CliException(message, null, ExitCodes.USAGE, null);
    }

    public String hint() {
        return hint;
    }

    public int exitCode() {
        return exitCode;
    }
}
