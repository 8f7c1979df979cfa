package io.s3d.bench.suite;

import io.s3d.bench.load.Result;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured repeat of one workload on one target: a line of the raw results.
 *
 * @param table    the table it belongs to (scenario id plus table name)
 * @param target   the server or limit measured
 * @param role     what the target stands for
 * @param workload the workload label, e.g. {@code GET 4 KiB c16}
 * @param repeat   1-based repeat number
 * @param metrics  metric name to value, see {@link Metric}
 * @param error    the first error, or null
 */
public record Sample(String table, String target, Role role, String workload, int repeat, Map<Metric, Double> metrics,
                     String error) {

    /** The metrics of a load-generator result, plus extras. */
    static Sample of(String table, String target, Role role, int repeat, Result r, Map<Metric, Double> extra) {
        Map<Metric, Double> m = new LinkedHashMap<>();
        m.put(Metric.OPS, r.opsPerSecond());
        m.put(Metric.MBPS, r.mbPerSecond());
        m.put(Metric.P50, r.percentileMs(50));
        m.put(Metric.P90, r.percentileMs(90));
        m.put(Metric.P99, r.percentileMs(99));
        m.put(Metric.MAX, r.maxMs());
        m.put(Metric.COUNT, (double) r.ops());
        m.put(Metric.ERRORS, (double) r.errors());
        m.put(Metric.CLIENT_CPU, r.cpuMicrosPerOp());
        m.putAll(extra);
        return new Sample(table, target, role, r.workload().label(), repeat, m, r.firstError());
    }

    /** One value, or NaN. */
    public double get(Metric metric) {
        Double v = metrics.get(metric);
        return v == null ? Double.NaN : v;
    }
}
