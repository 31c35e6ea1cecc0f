package io.jasyncio.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measured rounds, the one way every workload harness takes them: warm-up rounds, then the measured
 * ones each after a GC, their median, and (on request) one JSON line per measured round and one
 * with the median, {@code {"peer": ..., "workload": ..., "median": ..., "unit": ..., "rounds": ...}}
 * (the format the peers' kit prints, which {@link PeerComparison} reads back).
 *
 * <p>Threading: the rounds run on the calling thread, one after the other.
 */
final class Rounds {
    private Rounds() {}

    /** One round of a workload: its figure and unit. */
    interface Round {
        PeerWorkloads.Figure run() throws Exception;
    }

    /** Runs {@code warmup} rounds, then {@code rounds} measured ones (a GC before each), and returns their median. */
    static double median(String peer, String workload, int warmup, int rounds, boolean print, Round round) throws Exception {
        for (int i = 0; i < warmup; i++) {
            round.run();
        }
        double[] values = new double[rounds];
        String unit = "";
        for (int r = 0; r < rounds; r++) {
            System.gc();
            PeerWorkloads.Figure f = round.run();
            values[r] = f.value();
            unit = f.unit();
            if (print) {
                System.out.printf(Locale.ROOT, "{\"peer\": \"%s\", \"workload\": \"%s\", \"round\": %d, \"value\": %.2f, \"unit\": \"%s\"}%n",
                        peer, workload, r, f.value(), f.unit());
            }
        }
        double median = median(values);
        if (print) {
            System.out.printf(Locale.ROOT, "{\"peer\": \"%s\", \"workload\": \"%s\", \"median\": %.2f, \"unit\": \"%s\", \"rounds\": %d}%n",
                    peer, workload, median, unit, rounds);
        }
        return median;
    }

    /** The median of {@code values} (the mean of the middle two for an even count); sorts a copy. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
