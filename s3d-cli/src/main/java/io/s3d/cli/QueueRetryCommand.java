package io.s3d.cli;

import java.io.IOException;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code s3d queue retry [bucket[/prefix]]}: un-parks parked items so they are pushed again. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Queue the parked items (for bucket or bucket/prefix, else all) for upload again.",
                "",
                "An item is parked when its upload to the remote failed too often; 's3d queue ls --parked' "
                        + "shows why. The count goes to standard error; with --json the daemon's answer "
                        + "goes to standard output."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d queue retry                              every parked item",
                "  s3d queue retry photos/2026/                 those under photos/2026/",
                "  s3d queue retry photos && s3d flush photos   retry, then wait for them"})
public class QueueRetryCommand extends S3Command {
    static final String PATH = "/_s3d/queue/retry";

    @Parameters(index = "0", arity = "0..1", paramLabel = "bucket[/prefix]",
            description = "Only parked items of this bucket or under this prefix; all when absent.")
    String location;

    @Override
    protected int execute() throws IOException {
        QueueScope scope = QueueScope.parse(location);
        target = scope.target();
        AdminClient.Response r = endpoint.admin().post(PATH, scope.query(), AdminClient.READ_TIMEOUT);
        Map<?, ?> json = r.json();
        if (r.status() != 200 || json == null || !(json.get("retried") instanceof Number retried)) {
            throw Errors.admin(r, PATH, target, endpoint.endpoint());
        }
        if (output.json) {
            out().println(Json.write(json));
            out().flush();
        } else if (!output.quiet) {
            long n = retried.longValue();
            err().println("retried " + n + " parked item" + (n == 1 ? "" : "s") + scope.suffix("under"));
            err().flush();
        }
        return ExitCodes.OK;
    }
}
