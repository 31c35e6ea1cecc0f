package io.jasyncio.testsupport;

/**
 * How much work a {@code *StressTest} does: {@code -Djasyncio.stress.scale=N} multiplies it (1, the
 * default, is CI's small run; a large one is asked for on demand).
 */
public final class StressScale {
    private StressScale() {}

    /** The system property that scales every stress test. */
    public static final String PROPERTY = "jasyncio.stress.scale";

    /** The factor, at least 1. */
    public static int factor() {
        return Math.max(1, Integer.getInteger(PROPERTY, 1));
    }
}
