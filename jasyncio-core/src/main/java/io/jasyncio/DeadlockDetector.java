package io.jasyncio;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds tasks of one loop that wait for each other in a cycle and so can never finish. The wait-for graph
 * has one edge per blocked task: to the task it awaits, or to the owner of the {@link Lock} it is waiting
 * to acquire. Every cycle in that graph is a deadlock. In debug mode each deadlock is also logged the moment
 * it forms (when the last task of the cycle starts to wait), with the cycle and every task's user line.
 *
 * <p>Threading: call on the loop's thread (inside a task or callback of that loop); the result is a
 * snapshot.
 */
public final class DeadlockDetector {

    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private DeadlockDetector() {
    }

    /** Each deadlock as the list of tasks in its cycle; empty when there is none. */
    public static List<List<Task<?>>> find(EventLoop loop) {
        List<List<Task<?>>> cycles = new ArrayList<>();
        Map<Task<?>, Boolean> seen = new IdentityHashMap<>();
        for (Task<?> start : loop.allTasks()) {
            Map<Task<?>, Integer> path = new IdentityHashMap<>();
            List<Task<?>> order = new ArrayList<>();
            for (Task<?> t = start; t != null && !seen.containsKey(t); t = waitsFor(t)) {
                if (path.containsKey(t)) {
                    cycles.add(List.copyOf(order.subList(path.get(t), order.size())));
                    break;
                }
                path.put(t, order.size());
                order.add(t);
            }
            for (Task<?> t : order) {
                seen.put(t, Boolean.TRUE);
            }
        }
        return cycles;
    }

    /** One line per deadlock: "deadlock: a (waits for Lock held by b) -> b (...) -> a". */
    public static String describe(EventLoop loop) {
        StringBuilder out = new StringBuilder();
        for (List<Task<?>> cycle : find(loop)) {
            describeCycle(cycle, out);
        }
        return out.toString();
    }

    /**
     * Debug mode, called as {@code blocked} starts to wait on a Lock or a task: if that wait closes a cycle,
     * logs it at once (a deadlock can only appear at such a moment, so checking here finds every one as it
     * forms). Costs a walk along the chain of waits from {@code blocked}.
     */
    static void reportIfCycleThrough(Task<?> blocked) {
        Map<Task<?>, Boolean> seen = new IdentityHashMap<>();
        List<Task<?>> order = new ArrayList<>();
        for (Task<?> t = blocked; t != null; t = waitsFor(t)) {
            if (seen.put(t, Boolean.TRUE) != null) {
                if (t == blocked) {
                    StringBuilder out = new StringBuilder();
                    describeCycle(order, out);
                    LOG.log(System.Logger.Level.WARNING, out.toString().stripTrailing()
                            + " (found as the last of these tasks started to wait; no task of the cycle can ever go on)");
                }
                return; // a cycle that does not pass through this task was reported when it formed
            }
            order.add(t);
        }
    }

    private static void describeCycle(List<Task<?>> cycle, StringBuilder out) {
        out.append("deadlock:");
        for (Task<?> t : cycle) {
            out.append(' ').append(t.getName()).append(" (").append(reason(t));
            String at = t.pausedAt();
            if (at != null) {
                out.append(" at ").append(at);
            }
            out.append(") ->");
        }
        out.append(' ').append(cycle.get(0).getName()).append('\n');
    }

    private static Task<?> waitsFor(Task<?> t) {
        if (t.done()) {
            return null;
        }
        Lock lock = t.blockedOnLock();
        if (lock != null) {
            return lock.owner();
        }
        return t.awaiting() instanceof Task<?> target ? target : null;
    }

    private static String reason(Task<?> t) {
        Lock lock = t.blockedOnLock();
        Task<?> next = waitsFor(t);
        String name = next == null ? "?" : next.getName();
        return lock != null ? "waits for a Lock held by " + name : "awaits task " + name;
    }
}
