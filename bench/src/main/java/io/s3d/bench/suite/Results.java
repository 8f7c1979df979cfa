package io.s3d.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Everything one run measured, in the order it was measured; written raw as CSV. */
public final class Results {

    /** A peak-memory reading of one server process after one scenario. */
    public record Memory(String scenario, String process, double idleRssMiB, double peakRssMiB, double peakHeapMiB,
                         double peakHeapAfterGcMiB) {
    }

    final List<TableSpec> tables = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();
    final Map<String, List<String>> notes = new LinkedHashMap<>();
    final List<Memory> memory = new ArrayList<>();

    synchronized void table(TableSpec spec) {
        tables.add(spec);
    }

    synchronized void add(Sample s) {
        samples.add(s);
        System.out.printf(Locale.ROOT, "  %-22s %-28s #%d %s%n", s.workload(), s.target(), s.repeat(),
                s.metrics().entrySet().stream().filter(e -> e.getKey() != Metric.COUNT)
                        .map(e -> e.getKey().heading() + "=" + e.getKey().format(e.getValue()))
                        .collect(Collectors.joining(" "))
                        + (s.error() != null ? "  ERROR " + s.error() : ""));
    }

    /** A line under a table: a skipped row and why, or a caveat. */
    synchronized void note(String table, String text) {
        notes.computeIfAbsent(table, k -> new ArrayList<>()).add(text);
        System.out.println("  note: " + text);
    }

    synchronized void memory(Memory m) {
        memory.add(m);
    }

    /**
     * The samples of a table, one list per (workload, target), workloads in the order servers were
     * measured on them (limits measured first do not set the order), targets in first-seen order.
     */
    Map<String, Map<String, List<Sample>>> grouped(String table) {
        Map<String, Map<String, List<Sample>>> g = new LinkedHashMap<>();
        for (Sample s : samples) {
            if (s.table().equals(table) && s.role() != Role.LIMIT) {
                g.computeIfAbsent(s.workload(), k -> new LinkedHashMap<>());
            }
        }
        for (Sample s : samples) {
            if (s.table().equals(table) && s.role() == Role.LIMIT) {
                g.computeIfAbsent(s.workload(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.target(), k -> new ArrayList<>()).add(s);
            }
        }
        for (Sample s : samples) {
            if (s.role() == Role.LIMIT) {
                continue;
            }
            if (s.table().equals(table)) {
                g.computeIfAbsent(s.workload(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(s.target(), k -> new ArrayList<>()).add(s);
            }
        }
        return g;
    }

    /** Workloads of a table in first-seen order. */
    Set<String> workloads(String table) {
        return samples.stream().filter(s -> s.table().equals(table)).map(Sample::workload)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The median of a metric over repeats. */
    static double median(List<Sample> repeats, Metric m) {
        double[] v = repeats.stream().mapToDouble(s -> s.get(m)).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** (max - min) / median of a metric over repeats, in percent; NaN with one repeat. */
    static double spreadPercent(List<Sample> repeats, Metric m) {
        double[] v = repeats.stream().mapToDouble(s -> s.get(m)).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length < 2) {
            return Double.NaN;
        }
        double med = median(repeats, m);
        return med == 0 ? Double.NaN : (Arrays.stream(v).max().orElseThrow() - Arrays.stream(v).min().orElseThrow()) / med * 100;
    }

    /** Writes every sample as one CSV line. */
    void writeCsv(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("table,target,role,workload,repeat," + Arrays.stream(Metric.values())
                .map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(",")) + ",error");
        for (Sample s : samples) {
            StringBuilder b = new StringBuilder();
            b.append(csv(s.table())).append(',').append(csv(s.target())).append(',').append(s.role()).append(',')
                    .append(csv(s.workload())).append(',').append(s.repeat());
            for (Metric m : Metric.values()) {
                double v = s.get(m);
                b.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v));
            }
            b.append(',').append(s.error() == null ? "" : csv(s.error()));
            lines.add(b.toString());
        }
        lines.add("");
        lines.add("# memory: scenario,process,idle_rss_mib,peak_rss_mib,peak_heap_mib,peak_heap_after_gc_mib");
        for (Memory m : memory) {
            lines.add("# " + csv(m.scenario()) + "," + csv(m.process()) + ","
                    + String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", m.idleRssMiB(), m.peakRssMiB(), m.peakHeapMiB(),
                    m.peakHeapAfterGcMiB()));
        }
        Files.write(file, lines);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"" : s;
    }
}
