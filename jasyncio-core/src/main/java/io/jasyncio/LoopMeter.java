package io.jasyncio;

/**
 * The recording side of {@link LoopMetrics}: counts steps always, and once switched on measures each
 * turn's lag and the step rate.
 *
 * <p>Threading: loop-confined. The loop calls {@link #turnRan} once per turn after running its batch,
 * only while {@link #measuring} is on (so a loop nobody watches pays one boolean test per turn).
 */
final class LoopMeter {
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    /** Whether lag and rate are measured (switched on by the first reader). */
    boolean measuring;
    long steps;
    long slowSteps;
    private LagHistogram lag;
    private long windowStart;
    private long windowSteps;
    private double stepsPerSecond;

    void start() {
        if (!measuring) {
            measuring = true;
            lag = new LagHistogram();
            windowStart = System.nanoTime();
            windowSteps = steps;
        }
    }

    /** One turn ran its batch from {@code startNanos} to {@code endNanos} (System.nanoTime). */
    void turnRan(long startNanos, long endNanos) {
        lag.record(endNanos - startNanos);
        long elapsed = endNanos - windowStart;
        if (elapsed >= RATE_WINDOW_NANOS) {
            stepsPerSecond = (steps - windowSteps) * 1e9 / elapsed;
            windowStart = endNanos;
            windowSteps = steps;
        }
    }

    LoopMetrics snapshot(int tasksAlive, int readyQueueLength) {
        if (lag == null) {
            return new LoopMetrics(tasksAlive, readyQueueLength, steps, 0, 0, 0, 0, 0, slowSteps, false);
        }
        return new LoopMetrics(tasksAlive, readyQueueLength, steps, stepsPerSecond, lag.percentile(0.50),
                lag.percentile(0.99), lag.max(), lag.count(), slowSteps, true);
    }
}
