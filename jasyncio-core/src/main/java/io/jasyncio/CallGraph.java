package io.jasyncio;

import io.jasyncio.internal.LabelledFuture;
import io.jasyncio.internal.WaitQueue;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The await chain of one future or task, upward: what it awaits, where it is suspended, and who awaits it,
 * recursively: CPython 3.14's {@code asyncio.capture_call_graph} and {@code FutureCallGraph}. Unlike CPython,
 * every level carries the task's real suspended Java stack, trimmed to the user's frames.
 *
 * <pre>{@code
 * * Task[name=fetch-2, state=PENDING, awaiting=Lock.acquire on Lock[locked by fetch-1, waiters=1] at Crawler.java:42]
 * |   at app.Crawler.fetch(Crawler.java:42)
 * + awaited by:
 *    * Task[name=main, state=PENDING, awaiting=TaskGroup join on TaskGroup[joining, tasks=2] at Crawler.java:20]
 *    |   at app.Crawler.main(Crawler.java:20)
 * }</pre>
 *
 * <h2>Who awaits whom</h2>
 * A task awaits the future it is suspended on; a {@linkplain Asyncio#gather gather} awaits each of its
 * futures; the task that opened a {@link TaskGroup} awaits each child of the group from the child's
 * creation on (as CPython records it). A task suspended on a {@link io.jasyncio.Lock}, {@link Event},
 * {@link Condition}, {@link Semaphore}, {@link Queue}, a stream read or drain, a socket, a thread-pool job
 * or a {@code CompletionStage} is described by what it waits for ({@link #awaiting()}).
 *
 * <p>Threading: {@link #capture} reads the loop's tasks, so call it on the future's loop thread (inside a
 * task or callback of that loop). The result is an immutable snapshot, safe to keep and print anywhere.
 *
 * <p>Implementation notes: the "awaited by" edges are computed once per capture from every live task of
 * the loop (an index future -> awaiting tasks), so a capture costs O(tasks). A cycle of tasks awaiting
 * each other (a deadlock) is cut where the walk meets a future already on the path: that level is
 * {@linkplain #repeated() repeated}, with no stack and nobody under it.
 */
public final class CallGraph {
    private final Future<?> future;
    private final String awaiting;
    private final List<StackTraceElement> callStack;
    private final List<CallGraph> awaitedBy;
    private final boolean repeated;

    private CallGraph(Future<?> future, String awaiting, List<StackTraceElement> callStack,
                      List<CallGraph> awaitedBy, boolean repeated) {
        this.future = future;
        this.awaiting = awaiting;
        this.callStack = callStack;
        this.awaitedBy = awaitedBy;
        this.repeated = repeated;
    }

    // ---------------------------------------------------------------- capturing

    /**
     * The call graph of the current task: CPython's {@code capture_call_graph()} with no argument.
     * @throws IllegalStateException outside a task
     */
    public static CallGraph capture() {
        return capture(Task.currentOrThrow("captureCallGraph()"));
    }

    /**
     * The call graph of {@code future} (usually a {@link Task}): what it awaits, its user stack, and who
     * awaits it, recursively.
     * @throws IllegalStateException when not called on the future's loop thread while that loop runs
     */
    public static CallGraph capture(Future<?> future) {
        Objects.requireNonNull(future, "future");
        EventLoop loop = future.loop;
        if (loop.isRunning() && EventLoop.current() != loop) {
            throw new IllegalStateException("captureCallGraph() must run on the future's own loop thread: use"
                    + " loop.callSoonThreadsafe(...) or Asyncio.runCoroutineThreadsafe(...) from other threads");
        }
        return build(future, awaitedByIndex(loop), new IdentityHashMap<>());
    }

    private static CallGraph build(Future<?> f, Map<Future<?>, List<Task<?>>> index, Map<Future<?>, Boolean> path) {
        if (path.containsKey(f)) {
            return new CallGraph(f, null, List.of(), List.of(), true);
        }
        path.put(f, Boolean.TRUE);
        List<CallGraph> up = new ArrayList<>();
        for (Task<?> waiter : index.getOrDefault(f, List.of())) {
            up.add(build(waiter, index, path));
        }
        path.remove(f);
        if (f instanceof Task<?> t) {
            return new CallGraph(f, describeAwait(t), userFrames(t), List.copyOf(up), false);
        }
        return new CallGraph(f, null, List.of(), List.copyOf(up), false);
    }

    /**
     * For every future of {@code loop} that some live task awaits, those tasks, in the loop's task order:
     * direct awaits, through a gather, and TaskGroup parents of their children.
     */
    static Map<Future<?>, List<Task<?>>> awaitedByIndex(EventLoop loop) {
        Map<Future<?>, List<Task<?>>> index = new IdentityHashMap<>();
        for (Task<?> t : loop.allTasks()) {
            Future<?> w = t.awaiting();
            if (w != null) {
                add(index, w, t);
                if (w instanceof LabelledFuture<?> l && l.subject() instanceof Future<?> through) {
                    add(index, through, t); // a shield or a wait on that future: the task awaits it
                }
                if (w instanceof GatheringFuture<?> g) {
                    for (Future<?> child : g.children()) {
                        if (!child.done()) {
                            add(index, child, t);
                        }
                    }
                }
            }
            for (Scope s = t.innermostScope(); s != null; s = s.outer) {
                if (s instanceof TaskGroup g) {
                    for (Task<?> child : g.children()) {
                        if (child != w) {
                            add(index, child, t);
                        }
                    }
                }
            }
        }
        return index;
    }

    private static void add(Map<Future<?>, List<Task<?>>> index, Future<?> awaited, Task<?> by) {
        List<Task<?>> l = index.computeIfAbsent(awaited, k -> new ArrayList<>(2));
        if (!l.contains(by)) {
            l.add(by);
        }
    }

    // ---------------------------------------------------------------- what a task awaits

    /**
     * What {@code t} is suspended on, in words ("task fetch-1", "Event.await on Event[unset, waiters=1]",
     * "sleep until 12.500 (in 2.000 s)"), or null when it is not suspended on anything (ready, running,
     * not started, done). Loop thread.
     */
    static String describeAwait(Task<?> t) {
        if (t.done()) {
            return null;
        }
        Future<?> w = t.awaiting();
        if (w != null) {
            return describeFuture(w);
        }
        WaitQueue line = t.waitingInLine();
        if (line != null) {
            return line.describe();
        }
        TimerHandle sleep = t.sleepTimer();
        if (sleep != null) {
            double when = sleep.when();
            return String.format(java.util.Locale.ROOT, "sleep until %.3f (in %.3f s)", when, Math.max(0, when - t.loop.time()));
        }
        return null;
    }

    private static String describeFuture(Future<?> w) {
        if (w instanceof Task<?> other) {
            return name(other);
        }
        if (w instanceof LabelledFuture<?> l) {
            // A future as subject is named, not printed: its toString() could describe this task again.
            return l.subject() instanceof Future<?> f ? l.describe(name(f)) : l.describe();
        }
        if (w instanceof GatheringFuture<?> g) {
            StringBuilder sb = new StringBuilder("gather of [");
            int i = 0;
            for (Future<?> child : g.children()) {
                sb.append(i++ == 0 ? "" : ", ").append(child instanceof Task<?> ct ? ct.getName() : child.getClass().getSimpleName())
                        .append(child.done() ? " (done)" : "");
            }
            return sb.append(']').toString();
        }
        return name(w);
    }

    private static String name(Future<?> f) {
        return f instanceof Task<?> t ? "task " + t.getName() : f.getClass().getSimpleName() + f.loop.creationSiteText(f);
    }

    /** The task's suspended (or running) stack without the frames of jasyncio and the JDK. */
    static List<StackTraceElement> userFrames(Task<?> t) {
        List<StackTraceElement> frames = new ArrayList<>();
        for (StackTraceElement e : t.getStack()) {
            if (!Task.isLibraryFrame(e)) {
                frames.add(e);
            }
        }
        return List.copyOf(frames);
    }

    // ---------------------------------------------------------------- accessors

    /** The future or task at this level. */
    public Future<?> future() {
        return future;
    }

    /** What this level's task is suspended on, in words; null for a plain future or a task not suspended. */
    public String awaiting() {
        return awaiting;
    }

    /** The task's stack at its suspension point, innermost first, user frames only; empty for a future. */
    public List<StackTraceElement> callStack() {
        return callStack;
    }

    /** The levels awaiting this one (CPython's {@code awaited_by}). */
    public List<CallGraph> awaitedBy() {
        return awaitedBy;
    }

    /** True where the walk met this future again higher up the same chain: a cycle, hence a deadlock. */
    public boolean repeated() {
        return repeated;
    }

    // ---------------------------------------------------------------- formatting

    /** The graph as text, CPython's {@code format_call_graph}. */
    public String format() {
        StringBuilder out = new StringBuilder();
        format(this, "", out);
        return out.toString();
    }

    /** Prints {@link #format()} to {@code out}: CPython's {@code print_call_graph}. */
    public void print(PrintStream out) {
        out.print(format());
        out.flush();
    }

    private static void format(CallGraph g, String indent, StringBuilder out) {
        out.append(indent).append("* ").append(title(g.future));
        if (g.repeated) {
            out.append(" (already shown above: the tasks await each other in a cycle)\n");
            return;
        }
        out.append('\n');
        for (StackTraceElement e : g.callStack) {
            out.append(indent).append("|   at ").append(e).append('\n');
        }
        if (!g.awaitedBy.isEmpty()) {
            out.append(indent).append("+ awaited by:\n");
            for (CallGraph up : g.awaitedBy) {
                format(up, indent + "   ", out);
            }
        }
    }

    private static String title(Future<?> f) {
        return f instanceof Task<?> t ? t.toString() : f.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
