package io.jasyncio;

/**
 * A histogram of durations in nanoseconds with a bounded relative error, for the loop's lag percentiles:
 * HdrHistogram's idea in 4 KB and no dependency. A value falls in the bucket of its highest set bit
 * (a power of two) and of the next {@value #SUB_BITS} bits below it, so a percentile read back is at most
 * 1/{@code 2^SUB_BITS} (12.5 %) above the value recorded; the maximum is kept exactly.
 *
 * <p>Threading: written by the loop thread only; {@link #percentile} and {@link #max()} are read there too
 * (a snapshot is taken on the loop thread and handed out).
 */
final class LagHistogram {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;

    private final long[] counts = new long[64 * SUB];
    private long total;
    private long max;

    /** Records one duration; negative ones count as zero. */
    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[indexOf(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    private static int indexOf(long v) {
        if (v < SUB) {
            return (int) v; // the first buckets are exact
        }
        int top = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int sub = (int) (v >>> (top - SUB_BITS)) & (SUB - 1);
        return (top - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code index}. */
    private static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int top = index / SUB + SUB_BITS - 1;
        int sub = index % SUB;
        long base = (1L << top) | ((long) sub << (top - SUB_BITS));
        return base + (1L << (top - SUB_BITS)) - 1;
    }

    /** The value below which {@code fraction} (0..1) of the samples fall, or 0 with no samples. */
    long percentile(double fraction) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(Math.min(1.0, Math.max(0.0, fraction)) * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    long max() {
        return max;
    }

    /** Forgets every sample (the loop's per-second window starts over). */
    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    long count() {
        return total;
    }
}
