package io.s3d.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to an S3 endpoint. Subclasses implement {@link #execute()}; whatever
 * they throw becomes one line naming the object and the endpoint.
 */
public abstract class S3Command implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected EndpointOptions endpoint;

    @Mixin
    protected OutputOptions output;

    /** What the command works on, for error messages ({@code s3://b/k}); may be null. */
    protected String target;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (CliException e) {
            throw e;
        } catch (Exception e) {
            throw Errors.toCli(e, target, endpoint.endpoint());
        }
    }

    protected abstract int execute() throws Exception;

    protected S3dCommand root() {
        return (S3dCommand) spec.root().userObject();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
