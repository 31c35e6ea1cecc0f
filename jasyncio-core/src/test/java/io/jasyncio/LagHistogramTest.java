package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LagHistogramTest {

    @Test
    void emptyHistogramReadsZero() {
        LagHistogram h = new LagHistogram();
        assertThat(h.percentile(0.5)).isZero();
        assertThat(h.max()).isZero();
        assertThat(h.count()).isZero();
    }

    @Test
    void resetForgetsEverySample() {
        LagHistogram h = new LagHistogram();
        h.record(5_000_000);
        h.record(7);
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.max()).isZero();
        assertThat(h.percentile(0.99)).isZero();
        h.record(100);
        assertThat(h.max()).isEqualTo(100);
        assertThat(h.percentile(0.5)).isBetween(100L, 113L);
    }

    @Test
    void percentilesAreWithinTheRelativeErrorAndNeverBelowTheTruth() {
        LagHistogram h = new LagHistogram();
        long[] values = new long[10_000];
        Random r = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(r.nextDouble() * 20); // 1 ns .. ~0.5 s, spread over every power of two
            h.record(values[i]);
        }
        java.util.Arrays.sort(values);
        for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long truth = values[(int) Math.ceil(p * values.length) - 1];
            assertThat(h.percentile(p)).isBetween(truth, (long) Math.ceil(truth * 1.125) + 1);
        }
        assertThat(h.max()).isEqualTo(values[values.length - 1]);
        assertThat(h.percentile(1.0)).isEqualTo(h.max());
        assertThat(h.count()).isEqualTo(values.length);
    }

    @Test
    void extremeValuesFitInABucket() {
        LagHistogram h = new LagHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertThat(h.percentile(0.5)).isZero();
        assertThat(h.percentile(1.0)).isEqualTo(Long.MAX_VALUE);
    }
}
