package io.s3d.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code s3d status [bucket[/key]]}: the daemon's health, or where a bucket or object stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the daemon's version, uptime, mode, local-store usage and, when enabled, "
                        + "remote reachability, write-queue and read-cache figures.",
                "With bucket or bucket/key: whether it exists, its size, and for an object its state: "
                        + "local, pending (queued for upload), pushed, parked, cached, pinned, remote or absent.",
                "Reads the daemon's admin endpoint /_s3d/status, so it works only against s3d."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d status                         the daemon",
                "  s3d status photos                  a bucket: objects and bytes",
                "  s3d status photos/cat.jpg          an object: pending, pushed, cached, ...",
                "  s3d status --json | jq .writeQueue"})
public class StatusCommand extends S3Command {

    @Parameters(index = "0", arity = "0..1", paramLabel = "bucket[/key]", description = "A bucket or object; the daemon when absent.")
    String location;

    @Override
    protected int execute() throws IOException {
        S3Location loc = location == null || location.isEmpty() ? null : S3Location.parse(location);
        target = loc == null ? null : loc.toString();
        AdminClient admin = new AdminClient(endpoint.endpointUri(), endpoint.region(), endpoint.credentials());
        AdminClient.Response r = admin.get(AdminClient.path(loc));
        Object body = null;
        try {
            body = Json.parse(r.body());
        } catch (IllegalArgumentException notJson) {
            // handled below
        }
        if (r.status() != 200 || !(body instanceof Map<?, ?>)) {
            throw failure(r, body);
        }
        Map<?, ?> json = (Map<?, ?>) body;
        PrintWriter out = out();
        if (output.json) {
            out.println(Json.write(json));
        } else if (loc == null) {
            out.print(formatDaemon(json, endpoint.endpoint()));
        } else if (loc.hasKey()) {
            out.print(formatObject(json, loc));
        } else {
            out.print(formatBucket(json, loc));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private CliException failure(AdminClient.Response r, Object body) {
        String ep = endpoint.endpoint();
        if (body instanceof Map<?, ?> m && m.get("error") instanceof String code) {
            String message = m.get("message") instanceof String s ? s : "HTTP status " + r.status();
            String hint = switch (code) {
                case "NoSuchBucket" -> "list the buckets with 's3d ls'";
                case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch" -> Errors.CREDENTIALS_HINT;
                default -> null;
            };
            return new CliException((target == null ? "" : target + ": ") + code + ": " + message, hint);
        }
        if (r.status() == 403 || r.status() == 401) {
            return new CliException("access to " + ep + "/_s3d/status denied (HTTP " + r.status() + ")",
                    Errors.CREDENTIALS_HINT);
        }
        return new CliException(ep + " is not an s3d daemon: " + AdminClient.path(null) + " answered HTTP "
                + r.status(), "status works only against s3d; 's3d ls' works against any S3 endpoint");
    }

    static String formatDaemon(Map<?, ?> s, String endpoint) {
        StringBuilder sb = new StringBuilder();
        row(sb, "daemon", "s3d " + str(s.get("version")) + " at " + endpoint + ", up " + uptime(num(s.get("uptimeSeconds"))));
        row(sb, "mode", str(s.get("mode")));
        String store = str(s.get("localDir"));
        if (s.get("disk") instanceof Map<?, ?> d) {
            store += "  used " + Sizes.human(num(d.get("usedBytes"))) + ", free " + Sizes.human(num(d.get("freeBytes")))
                    + " of " + Sizes.human(num(d.get("totalBytes")));
        }
        row(sb, "local store", store);
        if (s.get("buckets") != null) {
            row(sb, "buckets", str(s.get("buckets")));
        }
        if (s.get("remote") instanceof Map<?, ?> rm) {
            row(sb, "remote", str(rm.get("endpoint")) + "  "
                    + (Boolean.TRUE.equals(rm.get("reachable")) ? "reachable" : "UNREACHABLE"));
        } else {
            row(sb, "remote", "none (standalone)");
        }
        if (s.get("writeQueue") instanceof Map<?, ?> q) {
            String line = num(q.get("items")) + " items, " + Sizes.human(num(q.get("bytes")))
                    + ", oldest " + uptime(num(q.get("oldestAgeSeconds"))) + ", parked " + num(q.get("parked"));
            if (q.get("lastError") != null) {
                line += ", last error: " + q.get("lastError");
            }
            row(sb, "write queue", line);
        } else {
            row(sb, "write queue", "off");
        }
        if (s.get("readCache") instanceof Map<?, ?> c) {
            long hits = num(c.get("hits"));
            long misses = num(c.get("misses"));
            String ratio = hits + misses == 0 ? "" : String.format(java.util.Locale.ROOT, " (%.0f%% hits)", 100.0 * hits / (hits + misses));
            row(sb, "read cache", num(c.get("entries")) + " entries, " + Sizes.human(num(c.get("bytes")))
                    + ", " + hits + " hits, " + misses + " misses" + ratio);
        } else {
            row(sb, "read cache", "off");
        }
        return sb.toString();
    }

    static String formatBucket(Map<?, ?> s, S3Location loc) {
        StringBuilder sb = new StringBuilder();
        row(sb, "bucket", loc.toString());
        row(sb, "exists", Boolean.TRUE.equals(s.get("exists")) ? "yes" : "no");
        if (s.get("objects") != null) {
            row(sb, "objects", str(s.get("objects")));
        }
        if (s.get("bytes") != null) {
            long b = num(s.get("bytes"));
            row(sb, "size", Sizes.human(b) + " (" + b + " bytes)");
        }
        return sb.toString();
    }

    static String formatObject(Map<?, ?> s, S3Location loc) {
        StringBuilder sb = new StringBuilder();
        row(sb, "object", loc.toString());
        row(sb, "state", str(s.get("state")));
        if (s.get("size") != null) {
            long b = num(s.get("size"));
            row(sb, "size", Sizes.human(b) + " (" + b + " bytes)");
        }
        if (s.get("etag") != null) {
            row(sb, "etag", str(s.get("etag")));
        }
        if (s.get("lastModified") != null) {
            row(sb, "last modified", str(s.get("lastModified")));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append(name).append(' ').append(" ".repeat(Math.max(0, 13 - name.length()))).append(value).append('\n');
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    static String uptime(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + "s");
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds / 60 % 60 + "m";
        }
        return seconds / 86400 + "d " + seconds / 3600 % 24 + "h";
    }
}
