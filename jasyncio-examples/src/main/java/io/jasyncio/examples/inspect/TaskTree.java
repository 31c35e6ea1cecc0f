package io.jasyncio.examples.inspect;

import io.jasyncio.TaskInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of {@code ./jasyncio pstree}: the tree of who awaits whom, like {@code python -m asyncio pstree}.
 * A root is a task nobody awaits; under each task come the tasks it awaits (its TaskGroup children, the task
 * it awaits, the tasks of its gather). Each line names the task, what it waits for and its user line.
 *
 * <p>Tasks that await each other in a cycle (a deadlock) have no root: they are printed afterwards, each
 * cycle once, marked {@code (cycle)} where the walk comes back to a task on its own path.
 */
public final class TaskTree {
    private TaskTree() {}

    /** The tree of {@code tasks}; each line ends with a newline. */
    public static String format(List<TaskInfo> tasks) {
        Map<Long, TaskInfo> byId = new LinkedHashMap<>();
        for (TaskInfo t : tasks) {
            byId.put(t.id(), t);
        }
        Map<Long, List<TaskInfo>> awaits = new LinkedHashMap<>(); // awaiter id -> the tasks it awaits
        for (TaskInfo t : tasks) {
            for (long by : t.awaitedBy()) {
                if (byId.containsKey(by)) {
                    awaits.computeIfAbsent(by, k -> new ArrayList<>()).add(t);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        Set<Long> printed = new HashSet<>();
        for (TaskInfo t : tasks) {
            boolean awaited = false;
            for (long by : t.awaitedBy()) {
                awaited |= byId.containsKey(by);
            }
            if (!awaited) {
                print(t, "", true, awaits, new HashSet<>(), printed, out);
            }
        }
        for (TaskInfo t : tasks) {
            if (!printed.contains(t.id())) {
                print(t, "", true, awaits, new HashSet<>(), printed, out); // a cycle without a root
            }
        }
        return out.toString();
    }

    private static void print(TaskInfo t, String prefix, boolean last, Map<Long, List<TaskInfo>> awaits,
                              Set<Long> path, Set<Long> printed, StringBuilder out) {
        out.append(prefix).append(last ? "└── " : "├── ").append(t.name()).append(" (id ").append(t.id()).append(")");
        if (path.contains(t.id())) {
            out.append(" (cycle: awaited by a task it awaits)\n");
            return;
        }
        printed.add(t.id());
        out.append(' ').append(t.state());
        if (!t.awaiting().isEmpty()) {
            out.append(": ").append(t.awaiting());
        }
        if (!t.location().isEmpty()) {
            out.append(" at ").append(t.location());
        }
        out.append('\n');
        path.add(t.id());
        List<TaskInfo> children = awaits.getOrDefault(t.id(), List.of());
        String childPrefix = prefix + (last ? "    " : "│   ");
        for (int i = 0; i < children.size(); i++) {
            print(children.get(i), childPrefix, i == children.size() - 1, awaits, path, printed, out);
        }
        path.remove(t.id());
    }
}
