package io.jasyncio.bench;

import io.jasyncio.LoopOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;

/**
 * What the observability hooks cost: W1-W3 of {@link PeerWorkloads} (yield, queue ping-pong, task spawn) with
 * each kind of recording off and on. Issue 15 asks for no measurable cost when recording is off; this prints
 * the figures to check it and what switching each on costs.
 *
 * <pre>
 * configuration | what runs
 * off           | nothing: no JFR recording, lag not measured, debug off (the default program)
 * jfr-foreign   | a JFR recording with jasyncio's events disabled (another tool records): the hooks see a
 *               | recording and ask JFR, which drops the events
 * jfr           | a JFR recording with jasyncio's events as annotated (TaskCreated, TaskFinished, LoopLag...;
 *               | TaskStep stays off), kept in memory
 * metrics       | the loop measures its lag and step rate (what ./jasyncio monitor and the web page switch on)
 * debug         | debug mode: every step timed, creation sites, leak and deadlock detectors
 * </pre>
 *
 * Rounds of the configurations are interleaved (off, jfr-foreign, jfr, metrics, debug, off, ...) so drift of a
 * busy machine spreads over all of them; the figure is each configuration's median, and the ratio is to
 * {@code off}. The "off" row is also the one to compare with the same workloads measured on a commit from
 * before the hooks (or docs/benchmarks/PEERS.md): the hooks left in place must not move it.
 *
 * <p>Usage: {@code java -cp jasyncio-bench.jar io.jasyncio.bench.HookCost [rounds] [warmup]} (defaults 7 and
 * 2; pin it to one core with {@code taskset -c 0} as for the other workloads). {@code HookCost 1 0} is a
 * seconds-long smoke run that only checks that every configuration works.
 */
public final class HookCost {
    private static final List<String> WORKLOADS = List.of("w1", "w2", "w3");
    private static final List<String> CONFIGURATIONS = List.of("off", "jfr-foreign", "jfr", "metrics", "debug");

    private HookCost() {}

    /** One round of {@code workload} under {@code configuration}. */
    static double round(String workload, String configuration) {
        LoopOptions plain = LoopOptions.defaults().withHandleSigint(false);
        return switch (configuration) {
            case "off" -> PeerWorkloads.once(workload, plain, false).value();
            case "metrics" -> PeerWorkloads.once(workload, plain, true).value();
            // the detectors' cost, not that of printing one slow-step warning for a workload that is one long step
            case "debug" -> PeerWorkloads.once(workload, plain.withDebug(true).withSlowCallbackDuration(Duration.ofHours(1)), false).value();
            case "jfr", "jfr-foreign" -> {
                try (Recording r = new Recording()) {
                    if (configuration.equals("jfr")) {
                        for (String event : List.of("TaskCreated", "TaskFinished", "SlowStep", "LoopLag")) {
                            r.enable("io.jasyncio." + event);
                        }
                    } else {
                        r.enable("jdk.GarbageCollection"); // some other tool's recording; jasyncio's events stay off
                        for (String event : List.of("TaskCreated", "TaskFinished", "TaskStep", "SlowStep", "LoopLag")) {
                            r.disable("io.jasyncio." + event);
                        }
                    }
                    r.setToDisk(false);
                    r.start();
                    double v = PeerWorkloads.once(workload, plain, false).value();
                    r.stop();
                    yield v;
                }
            }
            default -> throw new IllegalArgumentException("unknown configuration " + configuration);
        };
    }

    static double median(List<Double> values) {
        return Rounds.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Medians per workload and configuration, rounds interleaved. */
    static Map<String, Map<String, Double>> measure(int rounds, int warmup) {
        Map<String, Map<String, Double>> result = new LinkedHashMap<>();
        for (String w : WORKLOADS) {
            Map<String, List<Double>> samples = new LinkedHashMap<>();
            for (int r = -warmup; r < rounds; r++) {
                for (String c : CONFIGURATIONS) {
                    System.gc();
                    double v = round(w, c);
                    if (r >= 0) {
                        samples.computeIfAbsent(c, k -> new ArrayList<>()).add(v);
                    }
                }
                System.err.printf(Locale.ROOT, "hook cost: %s round %d of %d%n", w, r + warmup + 1, rounds + warmup);
            }
            Map<String, Double> medians = new LinkedHashMap<>();
            samples.forEach((c, v) -> medians.put(c, median(v)));
            result.put(w, medians);
        }
        return result;
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: HookCost [rounds (default 7)] [warm-up rounds (default 2)]");
            System.out.println("W1-W3 with JFR recording off/on, lag measurement on and debug mode on; medians and ratios to 'off'.");
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (rounds < 1 || warmup < 0) {
            throw new IllegalArgumentException("rounds must be 1 or more and warm-up rounds 0 or more, not " + rounds + " and " + warmup);
        }
        Map<String, Map<String, Double>> m = measure(rounds, warmup);
        System.out.printf(Locale.ROOT, "jasyncio %s engine, %d CPU(s) visible, %d rounds (+%d warm-up), medians%n",
                PeerWorkloads.engine(), Runtime.getRuntime().availableProcessors(), rounds, warmup);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-4s %-9s", "", "unit"));
        for (String c : CONFIGURATIONS) {
            head.append(String.format(Locale.ROOT, " %20s", c));
        }
        System.out.println(head);
        for (Map.Entry<String, Map<String, Double>> w : m.entrySet()) {
            String unit = w.getKey().equals("w1") ? "ns/yield" : w.getKey().equals("w2") ? "ns/hop" : "ns/task";
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-4s %-9s", w.getKey(), unit));
            double off = w.getValue().get("off");
            for (String c : CONFIGURATIONS) {
                double v = w.getValue().get(c);
                line.append(String.format(Locale.ROOT, " %11.1f (x%5.2f)", v, v / off));
            }
            System.out.println(line);
        }
    }
}
