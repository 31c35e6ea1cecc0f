package io.jasyncio.bench;

import java.awt.Color;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * jasyncio beside a peer measured in the same run: runs the peer kit's Kotlin workloads
 * ({@code peers.KotlinMicro} of docs/benchmarks/PEERS.md's kit, built with its {@code scripts/build.sh})
 * in a child JVM with the same rounds and heap as jasyncio's short run, one workload after the
 * other, and writes the table and a bar chart of the ratios (PNG, drawn with JFreeChart). The child
 * inherits this process's CPU affinity, so a run pinned with {@code taskset} pins the peer too.
 *
 * <p>Ratio = peer / jasyncio for every workload (lower is better for all of W1-W5), so a bar above
 * 1 is a workload where jasyncio leads.
 */
final class PeerComparison {
    private PeerComparison() {}

    private static final Pattern MEDIAN = Pattern.compile("\"median\": ([0-9.]+)");

    /** The kit's JVM peers are built: its classes and the dependency class path exist. */
    static boolean kitBuilt(Path kit) {
        return Files.isDirectory(kit.resolve("jvm/target/classes")) && Files.isRegularFile(kit.resolve("jvm/cp.txt"));
    }

    /** The Kotlin peer's median for {@code workload}, or NaN if it has none or failed (said on stderr). */
    static double kotlinMedian(Path kit, String workload, int warmup, int rounds) throws IOException, InterruptedException {
        String cp = kit.resolve("jvm/target/classes") + java.io.File.pathSeparator
                + Files.readString(kit.resolve("jvm/cp.txt")).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xms2g", "-Xmx2g", "-cp", cp, "peers.KotlinMicro", workload,
                Integer.toString(warmup), Integer.toString(rounds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        double median = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                Matcher m = MEDIAN.matcher(line);
                if (m.find()) {
                    median = Double.parseDouble(m.group(1));
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0) {
            System.err.println("bench: the Kotlin peer failed on " + workload + " (exit " + rc + ")");
            return Double.NaN;
        }
        return median;
    }

    /**
     * One row of the comparison; {@code floor} is the JDK's own cost under the workload
     * ({@link JdkFloors}), NaN where none is measured.
     */
    record Row(String workload, String unit, double jasyncio, double peer, double floor) {
        double ratio() {
            return peer / jasyncio;
        }
    }

    /** The table, in Markdown (readable as plain text too), with a line on what the floor column means. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| workload | unit | jasyncio | Kotlin (same run) | Kotlin / jasyncio | JDK floor |\n"
                + "|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %s | %s |%n", r.workload(), r.unit(), r.jasyncio(),
                    figure(r.peer(), "%.1f"), figure(r.ratio(), "%.2f"), // no peer figure: a NaN ratio
                    figure(r.floor(), "%.1f")));
        }
        return sb.append("\nJDK floor: the same workload on the bare mechanism jasyncio's engine is built on, nothing of"
                + " jasyncio's (io.jasyncio.bench.JdkFloors); where Kotlin is below it, no stackful library on this JDK can"
                + " match Kotlin there.\n").toString();
    }

    private static String figure(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** A PNG bar chart of the ratios, with a line at 1: green bars where jasyncio leads, red where it trails. */
    static void writeChart(List<Row> rows, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Boolean> leads = new java.util.ArrayList<>();
        for (Row r : rows) {
            if (!Double.isNaN(r.peer()) && r.jasyncio() > 0) {
                data.addValue(r.ratio(), "Kotlin / jasyncio", r.workload() + " (" + r.unit() + ")");
                leads.add(r.ratio() >= 1);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("jasyncio beside Kotlin coroutines, same run (above 1: jasyncio leads)",
                "workload", "Kotlin / jasyncio", data, PlotOrientation.VERTICAL, false, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer bars = new BarRenderer() {
            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return leads.get(column) ? new Color(0x2e7d32) : new Color(0xc62828);
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new java.text.DecimalFormat("0.00")));
        bars.setDefaultItemLabelsVisible(true);
        plot.setRenderer(bars);
        plot.addRangeMarker(new ValueMarker(1.0, Color.BLACK, new java.awt.BasicStroke(2f)));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 450);
    }

    /** Workload -> unit, in the order of the short run. */
    static Map<String, String> units() {
        Map<String, String> u = new LinkedHashMap<>();
        u.put("w1", "ns/yield");
        u.put("w2", "ns/hop");
        u.put("w3", "ns/task");
        u.put("w3y", "ns/task");
        u.put("w4", "bytes/task");
        u.put("w5", "ms overhead");
        return u;
    }
}
