package io.s3d.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s3d prefetch bucket[/prefix]}: fetches a prefix into s3d's read cache now, optionally pinning it. */
@Command(name = "prefetch", mixinStandardHelpOptions = true,
        description = {"Fetch every object of bucket, or under bucket/prefix, into s3d's read cache now, "
                        + "so that reads of them need no remote.",
                "",
                "Objects already cached are not fetched again (those older than the cache's max age are "
                        + "revalidated). --pin also pins the prefix on this s3d: its objects, those cached "
                        + "later included, are never evicted until 's3d unpin'. Fails (exit 1) when some "
                        + "objects could not be fetched or when --timeout runs out first; running it again "
                        + "goes on where it stopped. Needs an s3d with the read cache on. The result goes "
                        + "to standard error; with --json the daemon's answer goes to standard output."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d prefetch photos/raw/                 everything under photos/raw/",
                "  s3d prefetch models --pin                the whole bucket, never evicted",
                "  s3d prefetch logs/2026/ --timeout 1h     wait up to an hour (at most 6h)",
                "  s3d prefetch photos/raw/ --json | jq .fetchedBytes"})
public class PrefetchCommand extends S3Command {
    static final String PATH = "/_s3d/cache/prefetch";
    static final Duration MAX_TIMEOUT = Duration.ofHours(6);

    @Parameters(index = "0", paramLabel = "bucket[/prefix]", description = "What to fetch: a bucket, or the keys under a prefix.")
    String location;

    @Option(names = "--pin", description = "Also pin the prefix on this s3d: its objects are never evicted ('s3d unpin' takes it back).")
    boolean pin;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait: seconds, or with s, m or h; at most 6h; default ${DEFAULT-VALUE}.")
    String timeout;

    @Override
    protected int execute() throws IOException {
        QueueScope scope = QueueScope.parse(location);
        target = scope.target();
        Duration wait = Durations.timeout(timeout, MAX_TIMEOUT, "6h");
        Map<String, String> query = scope.query();
        query.put("timeout", wait.toSeconds() + "s");
        if (pin) {
            query.put("pin", "true");
        }
        // the daemon answers when the prefix is fetched or its timeout is up: wait a little longer
        AdminClient.Response r = endpoint.admin().post(PATH, query, wait.plus(AdminClient.READ_TIMEOUT));
        Map<?, ?> json = r.json();
        if (json == null || !(json.get("complete") instanceof Boolean complete)
                || (r.status() != 200 && r.status() != 502 && r.status() != 504)) {
            throw Errors.admin(r, PATH, target, endpoint.endpoint());
        }
        if (output.json) {
            out().println(Json.write(json));
            out().flush();
        }
        long objects = Json.toLong(json.get("objects"));
        long failed = Json.toLong(json.get("failed"));
        boolean pinned = Boolean.TRUE.equals(json.get("pinned"));
        String sizes = " (" + Sizes.human(Json.toLong(json.get("bytes"))) + ", "
                + Sizes.human(Json.toLong(json.get("fetchedBytes"))) + " fetched)";
        if (r.status() == 200 && complete && failed == 0) {
            if (!output.json && !output.quiet) {
                err().println(objects == 0
                        ? "nothing to prefetch: no objects under " + scope.arg() + (pinned ? "; pinned all the same" : "")
                        : "prefetched " + objects(objects) + sizes + " from " + scope.arg() + (pinned ? ", pinned" : ""));
                err().flush();
            }
            return ExitCodes.OK;
        }
        if (!output.json) {
            listFailures(err(), scope, json.get("errors"), failed);
        }
        String cached = objects(objects) + " cached" + (pinned ? " and pinned" : "") + sizes;
        String again = "cached objects are not fetched again";
        if (!complete) {
            // 504: the daemon's time ran out; what it fetched so far stays cached
            throw new CliException("not all prefetched: timed out after " + Durations.human(wait.toSeconds())
                    + " with " + cached + " from " + scope.arg() + (failed > 0 ? ", " + failed + " failed" : ""),
                    "run it again to go on (" + again + "), or raise --timeout");
        }
        // 502: some objects could not be fetched
        throw new CliException("not all prefetched: " + failed + " of " + objects(objects + failed) + " under "
                + scope.arg() + " failed, " + cached, "run it again to retry the failed ones; " + again);
    }

    /** The daemon's {@code "key: message"} errors as {@code failed: bucket/key: message} lines. */
    static void listFailures(PrintWriter err, QueueScope scope, Object errors, long failed) {
        List<?> list = errors instanceof List<?> l ? l : List.of();
        for (Object e : list) {
            err.println("failed: " + scope.bucket() + "/" + String.valueOf(e).replaceAll("\\s+", " "));
        }
        if (!list.isEmpty() && failed > list.size()) {
            err.println("... and " + (failed - list.size()) + " more");
        }
        err.flush();
    }

    static String objects(long n) {
        return n == 1 ? "1 object" : n + " objects";
    }
}
