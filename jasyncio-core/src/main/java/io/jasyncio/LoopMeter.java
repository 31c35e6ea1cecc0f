package io.jasyncio;

/**
 * The recording side of {@link LoopMetrics}: counts steps always, and once switched on measures each
 * turn's lag and the step rate.
 *
 * <p>The step rate and the recent lag percentiles cover one window of about a second, closed by the first
 * turn that ends after it (a loop that sleeps keeps the last window's numbers until it turns again).
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
    /** The lag of the turns of the current window; its percentiles are kept when the window closes. */
    private LagHistogram windowLag;
    private long windowStart;
    private long windowSteps;
    private double stepsPerSecond;
    private long windowP50;
    private long windowP99;
    private long windowMax;

    void start() {
        if (!measuring) {
            measuring = true;
            lag = new LagHistogram();
            windowLag = new LagHistogram();
            windowStart = System.nanoTime();
            windowSteps = steps;
        }
    }

    /** One turn ran its batch from {@code startNanos} to {@code endNanos} (System.nanoTime). */
    void turnRan(long startNanos, long endNanos) {
        long took = endNanos - startNanos;
        lag.record(took);
        windowLag.record(took);
        long elapsed = endNanos - windowStart;
        if (elapsed >= RATE_WINDOW_NANOS) {
            stepsPerSecond = (steps - windowSteps) * 1e9 / elapsed;
            windowP50 = windowLag.percentile(0.50);
            windowP99 = windowLag.percentile(0.99);
            windowMax = windowLag.max();
            windowLag.reset();
            windowStart = endNanos;
            windowSteps = steps;
        }
    }

    LoopMetrics snapshot(int tasksAlive, int readyQueueLength) {
        if (lag == null) {
            return new LoopMetrics(tasksAlive, readyQueueLength, steps, 0, 0, 0, 0, 0, 0, 0, 0, slowSteps, false);
        }
        return new LoopMetrics(tasksAlive, readyQueueLength, steps, stepsPerSecond, lag.percentile(0.50),
                lag.percentile(0.99), lag.max(), lag.count(), windowP50, windowP99, windowMax, slowSteps, true);
    }
}
