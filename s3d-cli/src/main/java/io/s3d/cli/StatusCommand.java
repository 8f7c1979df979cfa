package io.s3d.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code s3d status [bucket[/key]]}: the daemon's health, or where a bucket or object stands. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the daemon's version, uptime, mode, local-store usage and, when enabled, "
                        + "remote reachability, write-queue and read-cache figures, the FUSE mount and sync folders.",
                "With bucket or bucket/key: whether it exists, its size, and for an object its state: "
                        + "local, pending (queued, not yet on the remote), pushed, parked (upload failed, "
                        + "see 's3d queue retry'), cached, pinned, remote (not cached) or absent.",
                "-v adds the write queue per bucket.",
                "Reads the daemon's admin endpoint /_s3d/status, so it works only against s3d."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d status                         the daemon",
                "  s3d status photos                  a bucket: objects and bytes",
                "  s3d status photos/cat.jpg          an object: pending, pushed, cached, ...",
                "  s3d status -v                      with the write queue per bucket",
                "  s3d status --json | jq .writeQueue"})
public class StatusCommand extends S3Command {

    @Parameters(index = "0", arity = "0..1", paramLabel = "bucket[/key]", description = "A bucket or object; the daemon when absent.")
    String location;

    @Override
    protected int execute() throws IOException {
        S3Location loc = location == null || location.isEmpty() ? null : S3Location.parse(location);
        target = loc == null ? null : loc.toString();
        AdminClient.Response r = endpoint.admin().get(AdminClient.path(loc));
        Map<?, ?> json = r.json();
        if (r.status() != 200 || json == null) {
            throw Errors.admin(r, AdminClient.path(null), target, endpoint.endpoint());
        }
        PrintWriter out = out();
        if (output.json) {
            out.println(Json.write(json));
        } else if (loc == null) {
            out.print(formatDaemon(json, endpoint.endpoint(), output.verbose));
        } else if (loc.hasKey()) {
            out.print(formatObject(json, loc));
        } else {
            out.print(formatBucket(json, loc));
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String formatDaemon(Map<?, ?> s, String endpoint) {
        return formatDaemon(s, endpoint, false);
    }

    /** @param verbose adds the write queue per bucket */
    static String formatDaemon(Map<?, ?> s, String endpoint, boolean verbose) {
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
                    + (Boolean.TRUE.equals(rm.get("reachable")) ? "reachable" : "UNREACHABLE")
                    + (rm.get("lastError") == null ? "" : " (last error: " + rm.get("lastError") + ")"));
        } else {
            row(sb, "remote", "none (standalone)");
        }
        if (s.get("writeQueue") instanceof Map<?, ?> q) {
            writeQueue(sb, q, verbose);
        } else {
            row(sb, "write queue", "off");
        }
        if (s.get("readCache") instanceof Map<?, ?> c) {
            readCache(sb, c);
        } else {
            row(sb, "read cache", "off");
        }
        if (s.get("fuse") instanceof Map<?, ?> f) {
            row(sb, "fuse mount", str(f.get("mountPoint")) + "  " + (Boolean.TRUE.equals(f.get("mounted")) ? "mounted" : "NOT MOUNTED")
                    + ", " + count(num(f.get("openFiles")), "open file", "open files"));
        }
        if (s.get("sync") instanceof Map<?, ?> sync && sync.get("folders") instanceof java.util.List<?> folders) {
            for (Object o : folders) {
                if (o instanceof Map<?, ?> folder) {
                    syncFolder(sb, folder);
                }
            }
        }
        return sb.toString();
    }

    /** One sync folder: where, which way, its state, last pass and counts, and the last error while it fails. */
    private static void syncFolder(StringBuilder sb, Map<?, ?> f) {
        String state = str(f.get("state"));
        row(sb, "sync " + str(f.get("name")), str(f.get("localDir")) + " <-> s3://" + str(f.get("bucket")) + "/" + str(f.get("prefix"))
                + "  " + str(f.get("direction")) + ", " + ("error".equals(state) ? "FAILING" : state)
                + (f.get("lastSyncTime") == null ? ", no pass completed yet" : ", last pass " + str(f.get("lastSyncTime"))));
        row(sb, "  transfers", num(f.get("uploaded")) + " up, " + num(f.get("downloaded")) + " down, "
                + num(f.get("deletedLocal")) + " deleted here, " + num(f.get("deletedRemote")) + " deleted there, "
                + count(num(f.get("conflicts")), "conflict", "conflicts") + ", " + num(f.get("skipped")) + " skipped");
        if ("error".equals(state) && f.get("lastError") != null) {
            row(sb, "  last error", str(f.get("lastError")));
        }
    }

    /**
     * What is queued (against the limits when the daemon gives them), then, when the daemon has
     * the figures, what has been pushed and the last error; per bucket with {@code verbose}.
     */
    private static void writeQueue(StringBuilder sb, Map<?, ?> q, boolean verbose) {
        long items = num(q.get("items"));
        String bytes = Sizes.human(num(q.get("bytes")));
        String line = q.get("maxFiles") != null && q.get("maxSize") != null
                ? items + " of " + num(q.get("maxFiles")) + " items, " + bytes + " of " + Sizes.human(num(q.get("maxSize")))
                : count(items, "item", "items") + ", " + bytes;
        long parked = num(q.get("parked"));
        line += ", oldest " + uptime(num(q.get("oldestAgeSeconds"))) + ", parked " + parked;
        if (parked > 0) {
            line += " (see 's3d queue ls --parked')";
        }
        row(sb, "write queue", line);
        if (q.get("pushed") != null) {
            String pushed = count(num(q.get("pushed")), "item", "items") + ", " + Sizes.human(num(q.get("bytesPushed")));
            if (q.get("pushRatePerSecond") instanceof Number rate) {
                pushed += String.format(java.util.Locale.ROOT, ", %.1f items/s", rate.doubleValue());
            }
            pushed += ", " + count(num(q.get("failures")), "failure", "failures")
                    + ", " + count(num(q.get("retries")), "retry", "retries");
            row(sb, "  pushed", pushed);
        }
        if (q.get("lastError") != null) {
            row(sb, "  last error", str(q.get("lastError")));
        }
        if (verbose && q.get("buckets") instanceof Map<?, ?> buckets) {
            for (Map.Entry<?, ?> b : buckets.entrySet()) {
                Map<?, ?> m = b.getValue() instanceof Map<?, ?> x ? x : Map.of();
                row(sb, "  " + b.getKey(), count(num(m.get("items")), "item", "items") + ", " + Sizes.human(num(m.get("bytes")))
                        + ", parked " + num(m.get("parked")));
            }
        }
    }

    /**
     * What is cached (against the size limit and with the pinned count when the daemon gives them)
     * and the hits, then, when the daemon has the figures, the bytes served and fetched and the
     * prefixes pinned on this s3d. 's3d cache status' has every figure.
     */
    private static void readCache(StringBuilder sb, Map<?, ?> c) {
        long hits = num(c.get("hits"));
        long misses = num(c.get("misses"));
        long pinned = num(c.get("pinnedEntries"));
        String ratio = hits + misses == 0 ? "" : " (" + CacheStatusCommand.percent(c) + " hits)";
        row(sb, "read cache", count(num(c.get("entries")), "entry", "entries") + (pinned > 0 ? " (" + pinned + " pinned)" : "")
                + ", " + Sizes.human(num(c.get("bytes"))) + (c.get("maxSize") == null ? "" : " of " + Sizes.human(num(c.get("maxSize"))))
                + ", " + hits + " hits, " + misses + " misses" + ratio);
        if (c.get("bytesFromCache") != null) {
            long stale = num(c.get("staleServed"));
            row(sb, "  bytes", Sizes.human(num(c.get("bytesFromCache"))) + " from the cache, "
                    + Sizes.human(num(c.get("bytesFetched"))) + " fetched, " + count(num(c.get("evictions")), "eviction", "evictions")
                    + (stale > 0 ? ", " + stale + " served stale" : ""));
        }
        if (c.get("localPins") instanceof java.util.List<?> pins && !pins.isEmpty()) {
            row(sb, "  local pins", CacheStatusCommand.pins(pins));
        }
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
        row(sb, "state", describe(str(s.get("state")), loc));
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

    /** An object's state with what it means; unknown states as they are. */
    static String describe(String state, S3Location loc) {
        String meaning = switch (state) {
            case "local" -> "in the local store; there is no remote";
            case "pending" -> "queued, not yet on the remote";
            case "pushing" -> "being uploaded to the remote";
            case "pushed" -> "on the remote, uploaded through the write queue";
            case "parked" -> "its upload failed; push it again with 's3d queue retry " + loc.bucket() + "/" + loc.key() + "'";
            case "cached" -> "on the remote, with a copy in the read cache";
            case "pinned" -> "on the remote, in the read cache and never evicted: an s3d.cache=pin tag or 's3d prefetch --pin' pins it";
            case "remote" -> "on the remote, not cached";
            case "absent" -> "no such object";
            default -> null;
        };
        return meaning == null ? state : state + " (" + meaning + ")";
    }

    static void row(StringBuilder sb, String name, String value) {
        sb.append(name).append(' ').append(" ".repeat(Math.max(0, 13 - name.length()))).append(value).append('\n');
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String str(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static long num(Object o) {
        return Json.toLong(o);
    }

    static String uptime(long seconds) {
        return Durations.human(seconds);
    }
}
