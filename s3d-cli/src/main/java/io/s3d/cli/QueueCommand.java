package io.s3d.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code s3d queue ls|retry}: the write queue's items, and a second chance for parked ones. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        subcommands = {QueueLsCommand.class, QueueRetryCommand.class},
        description = {"Look into s3d's write queue: the writes waiting to be pushed to the remote, and the "
                        + "parked ones whose upload failed too often.",
                "",
                "Needs an s3d with the write queue on. 's3d flush' waits for the queue to drain; "
                        + "'s3d status' sums it up."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d queue ls                        what is queued, oldest first",
                "  s3d queue ls photos/2026/ --parked  the parked items under photos/2026/",
                "  s3d queue retry photos              retry the parked items of bucket photos"})
public class QueueCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
