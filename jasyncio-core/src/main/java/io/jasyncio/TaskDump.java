package io.jasyncio;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text tree of every live task of one loop, like {@code pstree} for tasks (and like
 * {@code ./jasyncio pstree PID} from outside): each line names a task, its state, what it awaits and the
 * user's source line it is paused at. A root is a task no other task awaits; under each task come the tasks
 * it awaits (the task it awaits directly, the tasks of its gather or shield, its TaskGroup children: see
 * {@link CallGraph}), so the tree reads top-down from the waiting to the work waited for.
 *
 * <p>Threading: {@link #of(EventLoop)} reads the loop's task list and each task's suspension point, so it
 * must run on the loop's thread (inside a task or a callback of that loop). The returned string is an
 * immutable snapshot.
 *
 * <p>Implementation note: tasks that await each other in a cycle (a deadlock) have no root; they are
 * printed afterwards, and a task met again on its own path is marked {@code (cycle)} instead of recursing.
 */
public final class TaskDump {

    private TaskDump() {
    }

    /** The tree of the live tasks of {@code loop}; an empty string when it has none. */
    public static String of(EventLoop loop) {
        List<Task<?>> tasks = loop.allTasks();
        Map<Task<?>, List<Task<?>>> awaits = new IdentityHashMap<>();
        Set<Task<?>> awaited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<Future<?>, List<Task<?>>> e : CallGraph.awaitedByIndex(loop).entrySet()) {
            if (e.getKey() instanceof Task<?> target && !target.done()) {
                awaited.add(target);
                for (Task<?> waiter : e.getValue()) {
                    awaits.computeIfAbsent(waiter, k -> new ArrayList<>()).add(target);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        Map<Task<?>, Boolean> printed = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            if (!awaited.contains(t)) {
                print(t, 0, awaits, new IdentityHashMap<>(), printed, out);
            }
        }
        for (Task<?> t : tasks) {
            if (!printed.containsKey(t)) {
                print(t, 0, awaits, new IdentityHashMap<>(), printed, out);
            }
        }
        return out.toString();
    }

    private static void print(Task<?> t, int depth, Map<Task<?>, List<Task<?>>> awaits, Map<Task<?>, Boolean> path,
                              Map<Task<?>, Boolean> printed, StringBuilder out) {
        out.append("  ".repeat(depth)).append(depth == 0 ? "" : "└ awaits ");
        if (path.containsKey(t)) {
            out.append(t.getName()).append(" (cycle)\n");
            return;
        }
        printed.put(t, Boolean.TRUE);
        out.append(t).append('\n'); // toString() names what it awaits and the user's line it is paused at
        path.put(t, Boolean.TRUE);
        for (Task<?> target : awaits.getOrDefault(t, List.of())) {
            print(target, depth + 1, awaits, path, printed, out);
        }
        path.remove(t);
    }
}
