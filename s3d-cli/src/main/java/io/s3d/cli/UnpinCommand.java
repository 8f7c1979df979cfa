package io.s3d.cli;

import java.io.IOException;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code s3d unpin bucket[/prefix]}: takes back a pin made by {@code s3d prefetch --pin}. */
@Command(name = "unpin", mixinStandardHelpOptions = true,
        description = {"Take back the pin 's3d prefetch --pin' put on bucket or bucket/prefix on this s3d.",
                "",
                "The objects stay cached, but may be evicted again. Name the prefix exactly as it was "
                        + "pinned ('s3d cache status' lists the pins); fails (exit 1) when there is no such "
                        + "pin. Objects pinned by an s3d.cache=pin tag stay pinned until the tag goes "
                        + "('s3d set ... --remove-tag s3d.cache'). The result goes to standard error; with "
                        + "--json the daemon's answer goes to standard output."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d unpin photos/raw/           the pin of 's3d prefetch photos/raw/ --pin'",
                "  s3d unpin models                the pin of a whole bucket"})
public class UnpinCommand extends S3Command {
    static final String PATH = "/_s3d/cache/unpin";

    @Parameters(index = "0", paramLabel = "bucket[/prefix]", description = "The pinned bucket or prefix.")
    String location;

    @Override
    protected int execute() throws IOException {
        QueueScope scope = QueueScope.parse(location);
        target = scope.target();
        AdminClient.Response r = endpoint.admin().post(PATH, scope.query(), AdminClient.READ_TIMEOUT);
        Map<?, ?> json = r.json();
        if (r.status() != 200 || json == null || !(json.get("unpinned") instanceof Boolean unpinned)) {
            throw Errors.admin(r, PATH, target, endpoint.endpoint());
        }
        if (output.json) {
            out().println(Json.write(json));
            out().flush();
        }
        if (!unpinned) {
            throw new CliException(scope.arg() + " is not pinned on this s3d",
                    "'s3d cache status' lists the pins, named as given to 's3d prefetch --pin'");
        }
        if (!output.json && !output.quiet) {
            err().println("unpinned " + scope.arg() + ": its objects stay cached, evictable again");
            err().flush();
        }
        return ExitCodes.OK;
    }
}
