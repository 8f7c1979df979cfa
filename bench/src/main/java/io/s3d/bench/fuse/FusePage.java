package io.s3d.bench.fuse;

import io.s3d.bench.limits.MachineLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The FUSE bench's Markdown section: the three targets side by side, then create/stat by directory size. */
record FusePage(FuseSizes sizes, List<FuseWorkloads> targets, String version, double busyBefore, String loadBefore,
                String loadAfter, String by) {

    void write(Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        line(md, "# FUSE mount beside a local directory and the S3 API");
        line(md, "");
        line(md, "Measured " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Instant.now()) + " with `" + by + "` (`io.s3d.bench.fuse.FuseBench`): one s3d " + version
                + " (standalone, `S3D_FUSE=true`, default metadata TTL 1 s) and the same workloads, one thread each, on"
                + " its mount, on a plain local directory of the same disk, and through its S3 API (the suite's lean"
                + " client: one request per operation, keep-alive).");
        line(md, "Sizes: " + sizes.describe() + ".");
        if (sizes.reduced()) {
            line(md, "**Reduced run**: smaller than the full run of `bench/run.sh` (" + FuseSizes.FULL.describe()
                    + "); figures of small sizes are dominated by fixed costs and cache effects.");
        }
        line(md, "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + MachineLoad.describe(busyBefore) + " over the 3 s before the run (load average " + loadBefore
                + " before and " + loadAfter + " after it).");
        if (busyBefore >= 0.5) {
            line(md, "**Measured under load**: other people's builds and tests shared the cores, so absolute figures"
                    + " are low and noisy; compare the columns of one run, not runs with each other.");
        }
        line(md, "");
        line(md, "Every read checks every byte against the content written. A file written on the local directory"
                + " is fsync'ed before close (as durable as an object s3d stored); on the mount `close` stores it."
                + " Create is an empty file (a 0-byte PUT on the API); stat is a HEAD on the API; readdir is"
                + " ListObjectsV2 pages of 1,000 on the API. Stats run " + FuseWorkloads.PAST_TTL_MILLIS
                + " ms after the creates, past the metadata TTL, so the kernel's and s3d's caches filled by the"
                + " create do not answer them. The patch opens the sequential file without truncating it, writes 4"
                + " KiB in its middle (the bytes already there) and closes it (the local directory: fsync'ed), then"
                + " the whole file is read back and checked, untimed; the S3 API has no in-place write (–)."
                + " Each target first gets " + FuseWorkloads.WARM_UP + " untimed creates,"
                + " stats, writes and reads (connections, JIT).");
        line(md, "");
        StringBuilder head = new StringBuilder("| workload |");
        StringBuilder rule = new StringBuilder("|---|");
        for (FuseWorkloads t : targets) {
            head.append(' ').append(t.label()).append(" |");
            rule.append("---:|");
        }
        line(md, head.toString());
        line(md, rule.toString());
        for (String row : FuseWorkloads.rowLabels(sizes)) {
            StringBuilder r = new StringBuilder("| " + row + " |");
            for (FuseWorkloads t : targets) {
                r.append(' ').append(t.rows.getOrDefault(row, "–")).append(" |");
            }
            line(md, r.toString());
        }
        line(md, "");
        line(md, "## Create and stat as a directory grows");
        line(md, "");
        line(md, String.format(Locale.ROOT, "At each size the directory is filled with empty files, then %,d more are"
                + " created (timed) and, after the TTL, stat'ed (timed). Flat figures down a column mean metadata does"
                + " not slow down as the directory grows.", sizes.probes()));
        line(md, "");
        StringBuilder gh = new StringBuilder("| entries in the directory |");
        StringBuilder gr = new StringBuilder("|---:|");
        for (FuseWorkloads t : targets) {
            boolean api = t.label().startsWith("S3 API");
            gh.append(' ').append(t.label()).append(api ? " PUT/s | " : " create/s | ").append(t.label())
                    .append(api ? " HEAD/s |" : " stat/s |");
            gr.append("---:|---:|");
        }
        line(md, gh.toString());
        line(md, gr.toString());
        for (int step : sizes.directorySteps()) {
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "| %,d |", step));
            for (FuseWorkloads t : targets) {
                double[] v = t.growth.get(step);
                r.append(v == null ? " – | – |" : String.format(Locale.ROOT, " %.0f | %.0f |", v[0], v[1]));
            }
            line(md, r.toString());
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
    }

    private static void line(StringBuilder md, String s) {
        md.append(s).append('\n');
    }
}
