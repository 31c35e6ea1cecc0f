package io.jasyncio.http.monitor;

import io.jasyncio.LoopMetrics;
import java.util.List;

/**
 * One reading of a monitor: every loop with its metrics, its recent lag, its tasks and their wait times, and
 * its deadlocks. What {@link MonitorSampler#sample()} returns, what the page's {@code snapshot.json} carries
 * (written by Jackson, field names as below) and what {@code ./jasyncio monitor} prints. Immutable.
 *
 * @param source   what is watched ({@code "PID 12345"}, {@code "this JVM"})
 * @param takenAt  when, in milliseconds since the epoch
 * @param loops    the loops, in id order
 * @param error    why the loops could not be read this time (the JVM exited, the connection broke), or ""
 */
public record MonitorSnapshot(String source, long takenAt, List<LoopEntry> loops, String error) {

    /**
     * One loop.
     *
     * @param id        the loop's id ({@code loop-<id>})
     * @param state     {@code running}, {@code idle}, {@code closed}, or running but not responding
     * @param engine    {@code continuation} or {@code virtual}
     * @param debug     whether debug mode is on
     * @param metrics   its metrics now
     * @param lag       its recent lag, one point per sample, oldest first (at most {@link MonitorSampler#HISTORY})
     * @param tasks     its live tasks, in the loop's order
     * @param deadlocks each deadlock among its tasks, one line each
     * @param blockedAt the Java stack of the loop's thread (and of the task's own thread with the virtual-thread
     *                  engine) when the loop does not answer, being blocked in a step; "" when it answers
     */
    public record LoopEntry(long id, String state, String engine, boolean debug, LoopMetrics metrics, List<LagPoint> lag,
                            List<TaskEntry> tasks, List<String> deadlocks, String blockedAt) {}

    /**
     * The loop's lag over its last window of about a second, as sampled at {@code at}.
     *
     * @param at      seconds since the sampler's first sample
     * @param p50Ms   median lag in milliseconds
     * @param p99Ms   99th percentile lag in milliseconds
     * @param maxMs   longest lag in milliseconds
     */
    public record LagPoint(double at, double p50Ms, double p99Ms, double maxMs) {}

    /**
     * One task.
     *
     * @param id             its id in its loop
     * @param name           its name
     * @param state          {@code running}, {@code ready} or {@code waiting}
     * @param awaiting       what it waits for, or ""
     * @param location       the user line it is suspended at, or ""
     * @param stack          its user frames, innermost first
     * @param awaitedBy      ids of the tasks that await it (its parents in the task tree)
     * @param cancelling     cancellation requests not taken back
     * @param waitingSeconds how long it has waited on what it waits for now, as seen by the sampler (0 when
     *                       not waiting)
     * @param waitingAtLeast whether it was already waiting when the sampler first saw it, so it has waited
     *                       at least {@code waitingSeconds}
     */
    public record TaskEntry(long id, String name, String state, String awaiting, String location, List<String> stack,
                       long[] awaitedBy, int cancelling, double waitingSeconds, boolean waitingAtLeast) {}
}
