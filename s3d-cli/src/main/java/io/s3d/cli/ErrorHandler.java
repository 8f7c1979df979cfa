package io.s3d.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on standard error and a named exit code. The stack trace
 * is printed only with {@code --verbose}.
 */
public class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult fullParseResult) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        boolean verbose = cmd.getParseResult() != null && cmd.getParseResult().hasMatchedOption("--verbose");
        CliException failure = Errors.toCli(ex, null, null);
        String line = name + ": " + failure.getMessage();
        if (failure.hint() != null) {
            line += " (hint: " + failure.hint() + ")";
        }
        err.println(line);
        if (verbose) {
            ex.printStackTrace(err);
        }
        if (failure.exitCode() == ExitCodes.USAGE) {
            err.println("see '" + name + " --help'");
        }
        err.flush();
        return failure.exitCode();
    }
}
