package io.s3d.bench.suite;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws the report's PNG charts with JFreeChart, headless. */
final class Charts {

    private static final Color[] PALETTE = {new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3),
        new Color(0xe7298a), new Color(0x66a61e), new Color(0xa6761d), new Color(0x666666), new Color(0x1f78b4)};

    private Charts() {
    }

    /**
     * Latency percentiles (median over repeats) as horizontal bars, one group per target and
     * workload, on a log axis; returns false when there is nothing to draw.
     */
    static boolean latency(Results results, TableSpec table, Path png) throws IOException {
        DefaultCategoryDataset ds = new DefaultCategoryDataset();
        int groups = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (var byWorkload : results.grouped(table.id()).entrySet()) {
            if (!table.chartWorkloads().isEmpty() && !table.chartWorkloads().contains(byWorkload.getKey())) {
                continue;
            }
            for (var byTarget : byWorkload.getValue().entrySet()) {
                List<Sample> s = byTarget.getValue();
                if (s.get(0).role() == Role.LIMIT || Double.isNaN(Results.median(s, Metric.P50))) {
                    continue;
                }
                String col = byTarget.getKey() + " | " + byWorkload.getKey();
                ds.addValue(Math.max(0.001, Results.median(s, Metric.P50)), "p50", col);
                ds.addValue(Math.max(0.001, Results.median(s, Metric.P90)), "p90", col);
                ds.addValue(Math.max(0.001, Results.median(s, Metric.P99)), "p99", col);
                min = Math.min(min, Math.max(0.001, Results.median(s, Metric.P50)));
                max = Math.max(max, Results.median(s, Metric.P99));
                groups++;
            }
        }
        if (groups == 0) {
            return false;
        }
        JFreeChart chart = ChartFactory.createBarChart(table.title() + ": latency", null, "ms (log scale)", ds,
                PlotOrientation.HORIZONTAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        LogAxis axis = new LogAxis("ms (log scale)");
        axis.setSmallestValue(0.001);
        axis.setNumberFormatOverride(new DecimalFormat("0.###"));
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setRange(Math.max(0.001, min / 2), max * 2);
        plot.setRangeAxis(axis);
        style(chart);
        plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.6f);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(0x2b8cbe));
        r.setSeriesPaint(1, new Color(0x7bccc4));
        r.setSeriesPaint(2, new Color(0xf03b20));
        Files.createDirectories(png.getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 140 + 46 * groups);
        return true;
    }

    /** Throughput against concurrency: one line per target and operation for one object size. */
    static boolean throughputVsConcurrency(Results results, String table, String sizeLabel, Metric metric, Path png)
            throws IOException {
        XYSeriesCollection ds = new XYSeriesCollection();
        Map<String, Map<String, List<Sample>>> g = results.grouped(table);
        java.util.Map<String, XYSeries> series = new java.util.LinkedHashMap<>();
        for (var byWorkload : g.entrySet()) {
            String[] w = byWorkload.getKey().split(" ");
            // "GET 4 KiB c16" -> op, size, unit, concurrency
            if (w.length != 4 || !(w[1] + " " + w[2]).equals(sizeLabel) || !w[3].startsWith("c")) {
                continue;
            }
            int c = Integer.parseInt(w[3].substring(1));
            for (var byTarget : byWorkload.getValue().entrySet()) {
                if (byTarget.getValue().get(0).role() == Role.LIMIT) {
                    continue;
                }
                String name = byTarget.getKey() + " " + w[0];
                series.computeIfAbsent(name, XYSeries::new).add(c, Results.median(byTarget.getValue(), metric));
            }
        }
        series.values().stream().filter(s -> s.getItemCount() > 1).forEach(ds::addSeries);
        if (ds.getSeriesCount() == 0) {
            return false;
        }
        JFreeChart chart = ChartFactory.createXYLineChart(sizeLabel + " objects: throughput vs concurrency",
                "concurrency (log scale)", metric.heading() + " (log scale)", ds, PlotOrientation.VERTICAL, true, false,
                false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("concurrency (log scale)");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new DecimalFormat("0"));
        x.setRange(0.8, 80);
        plot.setDomainAxis(x);
        LogAxis y = new LogAxis(metric.heading() + " (log scale)");
        y.setSmallestValue(1);
        y.setNumberFormatOverride(new DecimalFormat("0"));
        y.setTickUnit(new NumberTickUnit(1));
        plot.setRangeAxis(y);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < ds.getSeriesCount(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new java.awt.BasicStroke(2f));
        }
        plot.setRenderer(r);
        style(chart);
        Files.createDirectories(png.getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
        return true;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xf7f7f7));
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    }
}
