package io.s3d.cli;

import picocli.CommandLine.Option;

/** {@code --json}, {@code --verbose} and {@code --quiet}, shared by every command. */
public class OutputOptions {

    @Option(names = "--json", description = "Print machine-readable JSON instead of text.")
    public boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Say more; print stack traces of errors.")
    public boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing but data and errors.")
    public boolean quiet;
}
