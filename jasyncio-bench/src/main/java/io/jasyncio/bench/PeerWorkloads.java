package io.jasyncio.bench;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.Queue;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W1-W5 of docs/benchmarks/WORKLOADS.md, with the same N, rounds and timing rules as the
 * peers (KotlinMicro.kt, VtMicro.java): each round runs on a fresh loop ({@code Asyncio.run},
 * like {@code runBlocking}), timed inside the loop; the figure is the median of the measured
 * rounds. Run pinned to one core: {@code taskset -c 0 java -Xms2g -Xmx2g -jar jasyncio-bench.jar w1}.
 *
 * <pre>
 * usage: PeerWorkloads WORKLOAD [warmup rounds]   WORKLOAD = w1|w2|w3|w3e|w3y|w4|w5
 *        PeerWorkloads --short                    every workload, few rounds, beside the peers' recorded figures
 *        PeerWorkloads --short --peers KIT [--chart FILE.png]   beside the kit's Kotlin peer measured in the same run
 * </pre>
 * Output: one JSON line per round and one with the median, in the peers' format.
 */
public final class PeerWorkloads {
    static final int W1_N = 500_000, W2_N = 200_000, W3_N = 100_000, W4_N = 100_000, W5_N = 100_000;

    /** Peer medians from docs/benchmarks/PEERS.md (2026-11-23, this kind of machine). */
    private static final Map<String, String> PEERS = Map.of(
            "w1", "Kotlin 17.0 | vthreads 151 | asyncio 4,049",
            "w2", "Kotlin 141 | vthreads 263 | asyncio 7,490",
            "w3", "Kotlin 443 | vthreads 1,073 | asyncio 14,659",
            "w3e", "(no peer; w3 with eager tasks)",
            "w3y", "Kotlin 332 | vthreads 636 | asyncio 17,883",
            "w4", "Kotlin 310 | vthreads 748 | asyncio 1,486 (RSS)",
            "w5", "Kotlin 136 | vthreads 71.5 | asyncio 2,473");

    private PeerWorkloads() {}

    static long delayMs(int i) {
        return ((i * 2654435761L) & 0xFFFFFFFFL) % 1000L;
    }

    record Figure(double value, String unit) {}

    static Figure w1() {
        long t0 = System.nanoTime();
        for (int i = 0; i < W1_N; i++) {
            yieldNow();
        }
        return new Figure((System.nanoTime() - t0) / (double) W1_N, "ns/yield");
    }

    static Figure w2() {
        Queue<Integer> q1 = new Queue<>(1), q2 = new Queue<>(1);
        long t0 = System.nanoTime();
        Task<Void> b = createTask(() -> {
            for (int i = 0; i < W2_N; i++) {
                q2.put(q1.get() + 1);
            }
            return null;
        });
        int v = 0;
        for (int i = 0; i < W2_N; i++) {
            q1.put(v);
            v = q2.get();
        }
        b.await();
        long dt = System.nanoTime() - t0;
        check(v == W2_N, "w2 result");
        return new Figure(dt / (2.0 * W2_N), "ns/hop");
    }

    static Figure w3(boolean yieldOnce) {
        long t0 = System.nanoTime();
        List<Task<Integer>> tasks = new ArrayList<>(W3_N);
        for (int i = 0; i < W3_N; i++) {
            int n = i;
            tasks.add(yieldOnce ? createTask(() -> {
                yieldNow();
                return n;
            }) : createTask(() -> n));
        }
        List<Integer> res = gather(tasks);
        long dt = System.nanoTime() - t0;
        long sum = 0;
        for (int r : res) {
            sum += r;
        }
        check(sum == (long) W3_N * (W3_N - 1) / 2, "w3 sum");
        return new Figure(dt / (double) W3_N, "ns/task");
    }

    static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static Figure w4() throws InterruptedException {
        long before = usedHeap();
        List<Task<Void>> tasks = new ArrayList<>(W4_N);
        for (int i = 0; i < W4_N; i++) {
            tasks.add(createTask(() -> {
                sleep(3600);
                return null;
            }));
        }
        sleep(0.05); // every task starts and suspends
        long after = usedHeap();
        tasks.forEach(Task::cancel);
        Asyncio.gatherSettled(tasks);
        return new Figure((after - before) / (double) W4_N, "bytes/task (heap delta after GC)");
    }

    static Figure w5() {
        long t0 = System.nanoTime();
        List<Task<Void>> tasks = new ArrayList<>(W5_N);
        for (int i = 0; i < W5_N; i++) {
            long d = delayMs(i);
            tasks.add(createTask(() -> {
                sleep(d / 1000.0);
                return null;
            }));
        }
        gather(tasks);
        long dt = System.nanoTime() - t0;
        return new Figure(dt / 1e6 - 1000.0, "ms overhead (wall-1s)");
    }

    static Figure once(String workload) {
        return once(workload, LoopOptions.defaults().withHandleSigint(false), false);
    }

    /**
     * One round of {@code workload} on a fresh loop with {@code options} (eager tasks added for w3e); with
     * {@code measureLag} the loop's lag measurement is switched on first, as a monitor would ({@link HookCost}).
     */
    static Figure once(String workload, LoopOptions options, boolean measureLag) {
        LoopOptions opts = options.withEagerTasks(workload.equals("w3e"));
        return Asyncio.run(() -> {
            if (measureLag) {
                getRunningLoop().metrics();
            }
            return run(workload);
        }, opts);
    }

    private static Figure run(String workload) throws Exception {
        return switch (workload) {
            case "w1" -> w1();
            case "w2" -> w2();
            case "w3", "w3e" -> w3(false);
            case "w3y" -> w3(true);
            case "w4" -> w4();
            case "w5" -> w5();
            default -> throw new IllegalArgumentException("unknown workload " + workload + ": use w1|w2|w3|w3e|w3y|w4|w5");
        };
    }

    static double median(String workload, int warmup, int rounds, boolean print) throws Exception {
        return Rounds.median("jasyncio-" + engine(), workload, warmup, rounds, print, () -> once(workload));
    }

    static String engine() {
        return Asyncio.run(() -> getRunningLoop().engine(), LoopOptions.defaults().withHandleSigint(false));
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }

    /**
     * The short run beside the peer kit's Kotlin workloads measured now, one workload after the
     * other with the same rounds; prints the table and writes the ratio chart to {@code chart}.
     */
    private static void sideBySide(java.nio.file.Path kit, java.nio.file.Path chart) throws Exception {
        if (!PeerComparison.kitBuilt(kit)) {
            System.err.println("bench: the peer kit at " + kit + " is not built (run its scripts/build.sh)");
            System.exit(2);
        }
        String engine = engine();
        System.out.printf("jasyncio %s engine beside Kotlin coroutines (peer kit %s), measured in this run, %d CPU(s)"
                + " visible; short runs (1-2 warm-up, 3 measured rounds)%n", engine, kit, Runtime.getRuntime().availableProcessors());
        List<PeerComparison.Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> w : PeerComparison.units().entrySet()) {
            boolean heavy = w.getKey().equals("w4") || w.getKey().equals("w5");
            int warmup = heavy ? 1 : 2;
            System.err.printf("bench: %s jasyncio ...%n", w.getKey());
            double ours = median(w.getKey(), warmup, 3, false);
            System.err.printf("bench: %s Kotlin ...%n", w.getKey());
            double peer = PeerComparison.kotlinMedian(kit, w.getKey(), warmup, 3);
            String floorWorkload = JdkFloors.floorOf(w.getKey(), engine);
            double floor = Double.NaN;
            if (floorWorkload != null) {
                System.err.printf("bench: %s JDK floor ...%n", w.getKey());
                floor = JdkFloors.median(floorWorkload, warmup, 3, false);
            }
            rows.add(new PeerComparison.Row(w.getKey(), w.getValue(), ours, peer, floor));
        }
        String table = PeerComparison.table(rows);
        System.out.print(table);
        System.setProperty("java.awt.headless", "true"); // drawing needs no display
        PeerComparison.writeChart(rows, chart);
        java.nio.file.Path tableFile = chart.resolveSibling(chart.getFileName().toString().replaceFirst("\\.png$", "") + ".md");
        java.nio.file.Files.writeString(tableFile, table);
        System.out.println("chart of the ratios: " + chart.toAbsolutePath() + " (table beside it: " + tableFile.toAbsolutePath() + ")");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: PeerWorkloads WORKLOAD [warmup rounds] | --short   (WORKLOAD = w1|w2|w3|w3e|w3y|w4|w5)");
            return;
        }
        if (args[0].equals("--short")) {
            java.nio.file.Path kit = args.length > 2 && args[1].equals("--peers") ? java.nio.file.Path.of(args[2]) : null;
            if (kit != null) {
                sideBySide(kit, args.length > 4 && args[3].equals("--chart") ? java.nio.file.Path.of(args[4])
                        : java.nio.file.Path.of("bench-report.png"));
                return;
            }
            System.out.printf("jasyncio %s engine, %d CPU(s) visible; short runs (1-2 warm-up, 3 measured rounds)%n",
                    engine(), Runtime.getRuntime().availableProcessors());
            System.out.printf("%-5s %12s  %-34s %s%n", "", "jasyncio", "unit", "peers (PEERS.md, same unit)");
            for (String w : List.of("w1", "w2", "w3", "w3e", "w3y", "w4", "w5")) {
                boolean heavy = w.equals("w4") || w.equals("w5");
                double m = median(w, heavy ? 1 : 2, 3, false);
                Figure unit = new Figure(0, switch (w) {
                    case "w1" -> "ns/yield";
                    case "w2" -> "ns/hop";
                    case "w4" -> "bytes/task";
                    case "w5" -> "ms overhead";
                    default -> "ns/task";
                });
                System.out.printf(Locale.ROOT, "%-5s %12.1f  %-34s %s%n", w, m, unit.unit(), PEERS.get(w));
            }
            return;
        }
        String workload = args[0];
        boolean heavy = workload.equals("w4") || workload.equals("w5");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : heavy ? 1 : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : heavy ? 3 : 5;
        median(workload, warmup, rounds, true);
    }
}
