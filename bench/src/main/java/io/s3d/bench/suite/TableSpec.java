package io.s3d.bench.suite;

import java.util.List;

/**
 * How one table of the report looks.
 *
 * @param id          key the samples use
 * @param title       heading
 * @param description what is measured and how, in a sentence or two
 * @param latencyFirst whether p50 is the primary figure (ratios use it); otherwise throughput
 *                    (MB/s for objects of 1 MiB and more, ops/s below)
 * @param columns     the metrics shown
 * @param chartWorkloads workloads drawn in the latency chart (empty: all)
 */
public record TableSpec(String id, String title, String description, boolean latencyFirst, List<Metric> columns,
                        List<String> chartWorkloads) {

    /** The metric ratios and "best" are computed on, for a workload of this table. */
    public Metric primary(String workload) {
        if (columns.contains(Metric.LIST_SECONDS)) {
            return Metric.LIST_SECONDS;
        }
        if (latencyFirst) {
            return Metric.P50;
        }
        return workload.contains("MiB") || workload.contains("GiB") ? Metric.MBPS : Metric.OPS;
    }
}
