package io.s3d.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code s3d cache status}: the read cache's figures. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        subcommands = {CacheStatusCommand.class},
        description = {"Look into s3d's read cache: the copies of remote objects it keeps on local disk.",
                "",
                "Needs an s3d with the read cache on. 's3d prefetch' fetches a prefix into the cache "
                        + "(--pin keeps it there), 's3d unpin' lets it go; 's3d status' sums the cache up."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d cache status                       entries, size, hits, pins",
                "  s3d cache status --json | jq .hitRatio"})
public class CacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
