package io.s3d.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code s3d queue ls [bucket[/prefix]]}: the queued writes, oldest first. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the writes queued for the remote (for bucket or bucket/prefix, else all), oldest first.",
                "",
                "One line per item: state (pending, pushing, parked, or held: tagged s3d.upload=false), operation (PUT, DELETE or TAGS), "
                        + "size, when it was queued, upload attempts, bucket/key and the last error. Sizes "
                        + "are human-readable on a terminal and exact bytes when piped."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d queue ls                     everything queued",
                "  s3d queue ls photos/2026/        what is queued under photos/2026/",
                "  s3d queue ls --parked            uploads that failed, with the error",
                "  s3d queue ls --max 10            the 10 oldest",
                "  s3d queue ls --json | jq -r '.items[] | .bucket + \"/\" + .key'"})
public class QueueLsCommand extends S3Command {
    static final String PATH = "/_s3d/queue";
    private static final String[] HEADER = {"STATE", "OP", "SIZE", "QUEUED", "ATTEMPTS", "KEY", "ERROR"};

    @Parameters(index = "0", arity = "0..1", paramLabel = "bucket[/prefix]",
            description = "Only items of this bucket or under this prefix; all when absent.")
    String location;

    @Option(names = "--parked", description = "Only parked items: their upload failed too often.")
    boolean parked;

    @Option(names = {"--max", "--max-items"}, paramLabel = "N",
            description = "List at most N items; the daemon's default when absent.")
    Integer max;

    @Override
    protected int execute() throws IOException {
        QueueScope scope = QueueScope.parse(location);
        target = scope.target();
        if (max != null && max < 1) {
            throw CliException.usage("--max must be at least 1, got " + max);
        }
        Map<String, String> query = scope.query();
        if (parked) {
            query.put("state", "parked");
        }
        if (max != null) {
            query.put("max-items", max.toString());
        }
        AdminClient.Response r = endpoint.admin().get(PATH, query);
        Map<?, ?> json = r.json();
        if (r.status() != 200 || json == null || !(json.get("items") instanceof List<?> items)) {
            throw Errors.admin(r, PATH, target, endpoint.endpoint());
        }
        PrintWriter out = out();
        if (output.json) {
            out.println(Json.write(json));
        } else if (!items.isEmpty()) {
            out.print(table(items, root().terminal().stdoutIsTerminal()));
        }
        out.flush();
        if (!output.json && !output.quiet) {
            if (items.isEmpty()) {
                err().println("nothing " + (parked ? "parked" : "queued") + scope.suffix("under"));
            } else if (Boolean.TRUE.equals(json.get("truncated"))) {
                err().println("more items are queued than listed here; raise --max or narrow bucket/prefix");
            }
            err().flush();
        }
        return ExitCodes.OK;
    }

    /** The items as aligned columns under a header; sizes and attempts right-aligned. */
    static String table(List<?> items, boolean humanSizes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Object o : items) {
            Map<?, ?> m = o instanceof Map<?, ?> map ? map : Map.of();
            long size = Json.toLong(m.get("size"));
            rows.add(new String[] {str(m.get("state")), str(m.get("op")),
                    humanSizes ? Sizes.human(size) : String.valueOf(size), queuedAt(m.get("queuedAt")),
                    String.valueOf(Json.toLong(m.get("attempts"))), str(m.get("bucket")) + "/" + str(m.get("key")),
                    m.get("error") == null ? "" : m.get("error").toString().replaceAll("\\s+", " ")});
        }
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(width[i] - row[i].length());
                boolean right = i == 2 || i == 4;
                line.append(i == 0 ? "" : "  ").append(right ? pad + row[i] : row[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String queuedAt(Object value) {
        if (value == null) {
            return "-";
        }
        try {
            return LsCommand.DATE.format(Instant.parse(value.toString()));
        } catch (DateTimeParseException e) {
            return value.toString();
        }
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }
}
