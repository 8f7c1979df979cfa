package io.s3d.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;

/** {@code s3d cache status}: the read cache's entries, size, hits and pins. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the read cache's figures: entries and size against the limits, pinned objects, "
                        + "hit ratio, bytes served from the cache and fetched from the remote, evictions, "
                        + "revalidations, answers served stale and the prefixes pinned on this s3d.",
                "",
                "Counters run from the daemon's start. Objects pinned by an s3d.cache=pin tag count as "
                        + "pinned but are not among the local pins, which 's3d prefetch --pin' makes."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d cache status",
                "  s3d cache status --json | jq .localPins"})
public class CacheStatusCommand extends S3Command {
    static final String PATH = "/_s3d/cache";

    @Override
    protected int execute() throws IOException {
        AdminClient.Response r = endpoint.admin().get(PATH);
        Map<?, ?> json = r.json();
        if (r.status() != 200 || json == null || !(json.get("entries") instanceof Number)) {
            throw Errors.admin(r, PATH, target, endpoint.endpoint());
        }
        PrintWriter out = out();
        out.print(output.json ? Json.write(json) + "\n" : format(json));
        out.flush();
        return ExitCodes.OK;
    }

    /** The figures of {@code GET /_s3d/cache}, one per line; rare troubles only when there are any. */
    static String format(Map<?, ?> c) {
        StringBuilder sb = new StringBuilder();
        StatusCommand.row(sb, "dir", str(c.get("dir")));
        String entries = String.valueOf(num(c.get("entries")));
        if (c.get("maxFiles") != null) {
            entries += ", at most " + num(c.get("maxFiles")) + " unpinned";
        }
        StatusCommand.row(sb, "entries", entries);
        StatusCommand.row(sb, "size", Sizes.human(num(c.get("bytes")))
                + (c.get("maxSize") == null ? "" : " of " + Sizes.human(num(c.get("maxSize")))));
        StatusCommand.row(sb, "pinned", entries(num(c.get("pinnedEntries"))) + ", " + Sizes.human(num(c.get("pinnedBytes"))));
        long hits = num(c.get("hits"));
        long misses = num(c.get("misses"));
        StatusCommand.row(sb, "hit ratio", (hits + misses == 0 ? "-" : percent(c)) + " (" + hits + " hits, " + misses + " misses)");
        StatusCommand.row(sb, "bytes", Sizes.human(num(c.get("bytesFromCache"))) + " from the cache, "
                + Sizes.human(num(c.get("bytesFetched"))) + " fetched from the remote");
        StatusCommand.row(sb, "evictions", String.valueOf(num(c.get("evictions"))));
        Map<?, ?> rv = c.get("revalidations") instanceof Map<?, ?> m ? m : Map.of();
        StatusCommand.row(sb, "revalidations", num(rv.get("unchanged")) + " unchanged, " + num(rv.get("changed"))
                + " changed, " + num(rv.get("failed")) + " failed");
        StatusCommand.row(sb, "stale served", String.valueOf(num(c.get("staleServed"))));
        long bypassed = num(c.get("bypassed"));
        if (bypassed > 0) {
            StatusCommand.row(sb, "bypassed", bypassed + (bypassed == 1 ? " read" : " reads")
                    + " not cached: the disk was at s3d's free-space floor");
        }
        long corrupt = num(c.get("corruptBlocks"));
        if (corrupt > 0) {
            StatusCommand.row(sb, "corrupt", corrupt + (corrupt == 1 ? " block" : " blocks")
                    + " failed verification, fetched again");
        }
        if (c.get("maxAgeSeconds") != null) {
            StatusCommand.row(sb, "max age", Durations.human(num(c.get("maxAgeSeconds"))) + ", then revalidated");
        }
        if (c.get("blockSize") != null) {
            StatusCommand.row(sb, "block size", Sizes.human(num(c.get("blockSize"))));
        }
        StatusCommand.row(sb, "local pins", pins(c.get("localPins")));
        return sb.toString();
    }

    /** The hit ratio as {@code 75%}: the daemon's, else from hits and misses. */
    static String percent(Map<?, ?> c) {
        double ratio;
        if (c.get("hitRatio") instanceof Number n) {
            ratio = n.doubleValue();
        } else {
            long hits = num(c.get("hits"));
            long total = hits + num(c.get("misses"));
            ratio = total == 0 ? 0 : (double) hits / total;
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
    }

    /** {@code photos/raw/, models/}, or {@code none}. */
    static String pins(Object localPins) {
        List<?> list = localPins instanceof List<?> l ? l : List.of();
        return list.isEmpty() ? "none" : String.join(", ", list.stream().map(String::valueOf).toList());
    }

    static String entries(long n) {
        return n == 1 ? "1 entry" : n + " entries";
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static long num(Object o) {
        return Json.toLong(o);
    }
}
