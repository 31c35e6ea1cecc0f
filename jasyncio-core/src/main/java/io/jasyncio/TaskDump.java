package io.jasyncio;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text tree of every live task of one loop, like {@code ps}/{@code pstree} for tasks: each line names a
 * task, its state, what it awaits and the user's source line it is paused at. A task that awaits another
 * task is printed under the task it awaits, so a chain of awaits reads top-down from the task doing the
 * work to the tasks waiting for it.
 *
 * <p>Threading: {@link #of(EventLoop)} reads the loop's task list and each task's suspension point, so it
 * must run on the loop's thread (inside a task or a callback of that loop). The returned string is an
 * immutable snapshot.
 *
 * <p>Implementation note: the "awaited by" edges are found from each task's awaited future; a cycle of
 * tasks awaiting each other (a deadlock) has no root, so those tasks are printed afterwards as roots and
 * marked {@code (cycle)} where the walk meets a task already printed.
 */
public final class TaskDump {

    private TaskDump() {
    }

    /** The tree of the live tasks of {@code loop}; an empty string when it has none. */
    public static String of(EventLoop loop) {
        List<Task<?>> tasks = loop.allTasks();
        Map<Task<?>, List<Task<?>>> awaitedBy = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            if (t.awaiting() instanceof Task<?> target) {
                awaitedBy.computeIfAbsent(target, k -> new ArrayList<>()).add(t);
            }
        }
        StringBuilder out = new StringBuilder();
        Map<Task<?>, Boolean> printed = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            if (!(t.awaiting() instanceof Task<?> target) || !tasks.contains(target)) {
                print(t, 0, awaitedBy, printed, out);
            }
        }
        for (Task<?> t : tasks) {
            if (!printed.containsKey(t)) {
                print(t, 0, awaitedBy, printed, out);
            }
        }
        return out.toString();
    }

    private static void print(Task<?> t, int depth, Map<Task<?>, List<Task<?>>> awaitedBy,
                              Map<Task<?>, Boolean> printed, StringBuilder out) {
        out.append("  ".repeat(depth)).append(depth == 0 ? "" : "└ awaited by ");
        if (printed.put(t, Boolean.TRUE) != null) {
            out.append(t.getName()).append(" (cycle)\n");
            return;
        }
        out.append(t).append('\n'); // toString() names what it awaits and the user's line it is paused at
        for (Task<?> waiter : awaitedBy.getOrDefault(t, List.of())) {
            print(waiter, depth + 1, awaitedBy, printed, out);
        }
    }
}
