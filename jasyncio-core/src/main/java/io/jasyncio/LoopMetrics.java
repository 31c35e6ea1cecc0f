package io.jasyncio;

/**
 * A snapshot of one loop's health, from {@link EventLoop#metrics()} or the loop's management bean
 * ({@link EventLoopMXBean}).
 *
 * <p>Plain numbers (durations in nanoseconds), so the record travels through JMX as open data.
 *
 * <p>What is measured: {@code steps} counts every callback and task step the loop ran from its ready queue
 * (always on, one addition per loop turn; a {@code yieldNow()} that goes on at once because nothing else is
 * ready never reaches the queue and is not counted). Lag and the step rate are measured once somebody asked for metrics (the first
 * {@code metrics()} call, the management bean, {@code ./jasyncio monitor}) or with
 * {@code -Djasyncio.metrics=true} from the start: each loop turn then reads the clock twice. The lag of a
 * turn is how long the work that was ready when the turn began waited for the turn to finish: the longest
 * any ready callback could have waited for the loop, one sample per turn (a loop blocked by a long step
 * shows it here). Slow steps (longer than the slow callback duration) are counted in debug mode, where
 * every step is timed.
 *
 * @param tasksAlive       tasks not done yet
 * @param readyQueueLength callbacks and task wake-ups queued for the next turn
 * @param steps            callbacks and task steps run since the loop was created
 * @param stepsPerSecond   steps per second over the last full second measured (0 before one)
 * @param lagP50Nanos      median lag of the turns measured, in nanoseconds (at most 12.5 % above the true value)
 * @param lagP99Nanos      99th percentile lag, in nanoseconds
 * @param lagMaxNanos      the longest lag measured, in nanoseconds (exact)
 * @param lagSamples       turns measured
 * @param recentLagP50Nanos median lag of the turns of the last full window of about a second (the window of
 *                         {@code stepsPerSecond}; 0 before one): what a lag plot over time shows
 * @param recentLagP99Nanos 99th percentile lag of that window
 * @param recentLagMaxNanos the longest lag of that window
 * @param slowSteps        steps longer than the slow callback duration (debug mode)
 * @param measuring        whether lag and rate are being measured
 */
public record LoopMetrics(int tasksAlive, int readyQueueLength, long steps, double stepsPerSecond,
                          long lagP50Nanos, long lagP99Nanos, long lagMaxNanos, long lagSamples,
                          long recentLagP50Nanos, long recentLagP99Nanos, long recentLagMaxNanos, long slowSteps,
                          boolean measuring) {
}
