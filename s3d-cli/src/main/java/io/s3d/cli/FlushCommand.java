package io.s3d.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s3d flush [bucket[/prefix]]}: waits until what is queued so far is on the remote. */
@Command(name = "flush", mixinStandardHelpOptions = true,
        description = {"Wait until every write queued so far (for bucket or bucket/prefix, else all) is on the remote.",
                "",
                "A barrier: writes queued after the call are not waited for. Fails (exit 1) when matching "
                        + "items are parked after failed uploads (push them again with 's3d queue retry') or "
                        + "when --timeout runs out first. Needs an s3d with the write queue on. The result goes "
                        + "to standard error; with --json the daemon's answer goes to standard output."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d flush                            everything queued",
                "  s3d flush photos/2026/               only keys under photos/2026/",
                "  s3d flush backups --timeout 10m      wait up to 10 minutes (at most 1h)",
                "  s3d put backups/db.tar db.tar && s3d flush backups/db.tar",
                "  s3d flush --json | jq .waitedMillis"})
public class FlushCommand extends S3Command {
    static final String PATH = "/_s3d/queue/flush";
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    @Parameters(index = "0", arity = "0..1", paramLabel = "bucket[/prefix]",
            description = "What to wait for; everything queued when absent.")
    String location;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait: seconds, or with s, m or h; at most 1h; default ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    protected int execute() throws IOException {
        QueueScope scope = QueueScope.parse(location);
        target = scope.target();
        Duration wait = Durations.timeout(timeout, MAX_TIMEOUT, "1h");
        Map<String, String> query = scope.query();
        query.put("timeout", wait.toSeconds() + "s");
        // the daemon answers when the queue is flushed or its timeout is up: wait a little longer
        AdminClient.Response r = endpoint.admin().post(PATH, query, wait.plus(AdminClient.READ_TIMEOUT));
        Map<?, ?> json = r.json();
        if (json == null || !(json.get("flushed") instanceof Boolean flushed)) {
            throw Errors.admin(r, PATH, target, endpoint.endpoint());
        }
        if (output.json) {
            out().println(Json.write(json));
            out().flush();
        }
        long remaining = Json.toLong(json.get("remaining"));
        long parked = Json.toLong(json.get("parked"));
        if (r.status() == 200 && flushed) {
            if (!output.json && !output.quiet) {
                err().println("flushed: everything queued" + scope.suffix("for") + " is on the remote ("
                        + Durations.millis(Json.toLong(json.get("waitedMillis"))) + ")");
                err().flush();
            }
            return ExitCodes.OK;
        }
        if (r.status() == 504) {
            throw new CliException("not flushed: timed out after " + Durations.human(wait.toSeconds()) + " with "
                    + items(remaining) + " still queued" + scope.suffix("for") + (parked > 0 ? ", " + parked + " of them parked" : ""),
                    parked > 0 ? "push the parked ones again with '" + scope.command("s3d queue retry") + "', then flush again"
                            : "wait longer with --timeout, or watch the queue with '" + scope.command("s3d queue ls") + "'");
        }
        // 409: parked items do not reach the remote until they are retried; remaining counts them too
        throw new CliException("not flushed: " + items(parked) + " parked" + scope.suffix("under") + " after failed uploads"
                + (remaining > parked ? ", " + (remaining - parked) + " more still queued" : ""),
                "see why with '" + scope.command("s3d queue ls", "--parked") + "', push them again with '"
                        + scope.command("s3d queue retry") + "'");
    }

    static String items(long n) {
        return n == 1 ? "1 item" : n + " items";
    }
}
