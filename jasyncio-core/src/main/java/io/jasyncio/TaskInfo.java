package io.jasyncio;

import java.util.List;

/**
 * One task as seen from outside its loop: what {@link EventLoopMXBean#getTasks()} returns (as open data
 * through JMX) and what {@code ./jasyncio ps} and {@code pstree} print.
 *
 * @param id        the task's number in its loop ({@link Task#getId()})
 * @param name      its name
 * @param state     {@code running}, {@code ready} (queued to run), {@code waiting} (suspended on something)
 * @param awaiting  what it waits for in words ({@code "Lock.acquire on Lock[locked by b]"}), or "" when not waiting
 * @param location  the user's frame it is suspended at ({@code "app.Main.work(Main.java:12)"}), or ""
 * @param stack     its stack at the suspension point, user frames only, innermost first
 * @param awaitedBy ids of the tasks awaiting it (directly, through a gather or a shield, or as TaskGroup parent)
 * @param cancelling cancellation requests not taken back ({@link Task#cancelling()})
 */
public record TaskInfo(long id, String name, String state, String awaiting, String location, List<String> stack,
                       long[] awaitedBy, int cancelling) {

    /** Snapshots every live task of {@code loop}; on the loop's thread (or while it does not run). */
    static List<TaskInfo> of(EventLoop loop) {
        var index = CallGraph.awaitedByIndex(loop);
        List<TaskInfo> out = new java.util.ArrayList<>();
        for (Task<?> t : loop.allTasks()) {
            List<String> stack = CallGraph.userFrames(t).stream().map(StackTraceElement::toString).toList();
            String awaits = CallGraph.describeAwait(t);
            String state = t == loop.currentTask() ? "running" : awaits != null ? "waiting" : "ready";
            long[] by = index.getOrDefault(t, List.of()).stream().mapToLong(Task::getId).toArray();
            out.add(new TaskInfo(t.getId(), t.getName(), state, awaits == null ? "" : awaits,
                    stack.isEmpty() ? "" : stack.get(0), stack, by, t.cancelling()));
        }
        return out;
    }
}
