package io.s3d.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@code s3d ls [bucket[/prefix]]}: buckets, or objects and common prefixes. */
@Command(name = "ls",
        description = {"List buckets, or the objects and common prefixes under bucket[/prefix].",
                "",
                "Each object is one line: date, size, key. Prefixes (\"directories\") show DIR as "
                        + "size unless --recursive. Sizes are human-readable on a terminal and exact "
                        + "bytes when piped or with --bytes."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d ls                          list buckets",
                "  s3d ls photos                   objects and prefixes at the top of bucket photos",
                "  s3d ls photos/2024/             what is under 2024/",
                "  s3d ls photos --recursive       every object in the bucket",
                "  s3d ls photos --json | jq -r '.objects[].key'"})
public class LsCommand extends S3Command {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Parameters(index = "0", arity = "0..1", paramLabel = "bucket[/prefix]", description = "What to list; buckets when absent.")
    String location;

    @Option(names = {"-r", "--recursive"}, description = "List every object under the prefix, not just one level.")
    boolean recursive;

    @Option(names = "--bytes", description = "Print exact byte counts even on a terminal.")
    boolean bytes;

    @Option(names = {"-h", "--human-readable"}, description = "Print sizes like 1.5 MiB even when piped.")
    boolean human;

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Override
    protected int execute() {
        if (location == null || location.isEmpty()) {
            return listBuckets();
        }
        S3Location loc = S3Location.parse(location);
        target = loc.toString();
        return listObjects(loc);
    }

    private boolean humanSizes() {
        if (bytes) {
            return false;
        }
        return human || root().terminal().stdoutIsTerminal();
    }

    private int listBuckets() {
        List<Bucket> buckets = endpoint.client().listBuckets().buckets();
        PrintWriter out = out();
        if (output.json) {
            List<Object> list = new ArrayList<>();
            for (Bucket b : buckets) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", b.name());
                m.put("creationDate", b.creationDate() == null ? null : b.creationDate().toString());
                list.add(m);
            }
            out.println(Json.write(Map.of("buckets", list)));
        } else {
            for (Bucket b : buckets) {
                out.println(date(b.creationDate()) + "  " + b.name());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private int listObjects(S3Location loc) {
        PrintWriter out = out();
        boolean humanSizes = humanSizes();
        ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(loc.bucket()).prefix(loc.key());
        if (!recursive) {
            req.delimiter("/");
        }
        List<String> prefixes = new ArrayList<>();
        boolean first = true;
        if (output.json) {
            out.print("{\"bucket\":" + Json.quote(loc.bucket()) + ",\"prefix\":" + Json.quote(loc.key())
                    + ",\"objects\":[");
        }
        long count = 0;
        long total = 0;
        String token = null;
        do {
            ListObjectsV2Response page = endpoint.client().listObjectsV2(req.continuationToken(token).build());
            for (CommonPrefix p : page.commonPrefixes()) {
                prefixes.add(p.prefix());
                if (!output.json) {
                    out.println(" ".repeat(19) + "  " + pad("DIR", humanSizes) + "  " + p.prefix());
                }
            }
            for (S3Object o : page.contents()) {
                count++;
                total += o.size() == null ? 0 : o.size();
                if (output.json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", o.key());
                    m.put("size", o.size());
                    m.put("lastModified", o.lastModified() == null ? null : o.lastModified().toString());
                    m.put("etag", o.eTag());
                    m.put("storageClass", o.storageClassAsString());
                    out.print((first ? "" : ",") + Json.write(m));
                    first = false;
                } else {
                    String size = humanSizes ? Sizes.human(o.size()) : String.valueOf(o.size());
                    out.println(date(o.lastModified()) + "  " + pad(size, humanSizes) + "  " + o.key());
                }
            }
            out.flush();
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        if (output.json) {
            out.println("],\"prefixes\":" + Json.write(prefixes) + ",\"count\":" + count + ",\"bytes\":" + total + "}");
        } else if (output.verbose) {
            err().println(count + " objects, " + (humanSizes ? Sizes.human(total) : total + " bytes")
                    + (prefixes.isEmpty() ? "" : ", " + prefixes.size() + " prefixes"));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String pad(String size, boolean human) {
        int width = human ? 10 : 12;
        return size.length() >= width ? size : " ".repeat(width - size.length()) + size;
    }

    private static String date(Instant instant) {
        return instant == null ? " ".repeat(19) : DATE.format(instant);
    }
}
