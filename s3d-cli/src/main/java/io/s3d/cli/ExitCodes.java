package io.s3d.cli;

/** The exit codes of every {@code s3d} command. Scripts rely on them; do not renumber. */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** Something failed: the S3 endpoint refused, the object is missing, a file is unreadable. */
    public static final int ERROR = 1;
    /** The command line was wrong (unknown flag, missing argument); picocli uses 2 as well. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
