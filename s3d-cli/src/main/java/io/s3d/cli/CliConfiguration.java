package io.s3d.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import picocli.CommandLine;

/** Gives the Quarkus-created command line the same error handling as tests use. */
@Singleton
public class CliConfiguration {

    @Produces
    @Singleton
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return S3dCommand.configure(factory.create());
    }
}
