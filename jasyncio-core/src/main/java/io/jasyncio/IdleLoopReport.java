package io.jasyncio;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Debug mode's report of a loop that is stuck: idle, with tasks pending, and nothing that could ever wake
 * them: no ready callback, no timer, no watched channel, no work outside the loop (a thread-pool job, a
 * cross-thread stage). Then the tasks wait for each other (a deadlock) or for something nobody will do (a
 * forgotten {@link Event}); the report logs the full wait-for graph: every task under the task it awaits,
 * with what it awaits and its user line, and every deadlock cycle.
 *
 * <p>When: after the loop has sat so for {@link EventLoop#getIdleReportDuration()} (default 1 s, or
 * {@code -Djasyncio.debug.idleReportMillis}); once per idle stretch: the next report needs the loop to have
 * run something first. Only another thread ({@code callSoonThreadsafe}) could still wake such a loop, so the
 * report says "probably".
 *
 * <p>Threading: called on the loop's thread.
 */
final class IdleLoopReport {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private IdleLoopReport() {}

    static void log(EventLoop loop, long idleNanos, int pendingTasks) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "the event loop has been idle for %.1f s with %d pending task(s) and nothing that can wake them"
                        + " (no timer, no I/O, no outside work): they are probably stuck; wait-for graph:%n",
                idleNanos / 1e9, pendingTasks));
        sb.append(TaskDump.of(loop));
        sb.append(DeadlockDetector.describe(loop));
        LOG.log(Level.WARNING, sb.toString().stripTrailing());
    }
}
