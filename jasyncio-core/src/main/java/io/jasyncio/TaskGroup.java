package io.jasyncio;

import io.jasyncio.internal.LabelledFuture;
import io.jasyncio.internal.Sneaky;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Structured concurrency: asyncio's {@code TaskGroup}. Tasks created in the group cannot outlive
 * it: the group's block ends only when all of them are done.
 *
 * <h2>Two forms</h2>
 * <b>{@link #run(Body)}</b> has asyncio's rules exactly, and is the form to use:
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=taskgroup}
 * <ol>
 *   <li>When a child fails (raises anything but {@link CancelledError}), or the body throws, every
 *       other child is cancelled, no new child may be created, and the body is cancelled at its
 *       current suspension point: it sees a {@link CancelledError} (which {@code catch (Exception e)}
 *       cannot swallow) and unwinds; where the block ends, the group turns that into one
 *       {@link TaskGroupException} holding every failure in the order they happened (the body's own
 *       exception among them, never a cancellation and never a deadline's expiry).</li>
 *   <li>A cancellation from outside (of the task running the body: {@code task.cancel()}, an
 *       enclosing {@code timeout}, {@code waitFor}, Ctrl-C) cancels the children too and propagates
 *       once they are done; if a child failed as well, the group's exception wins and the task's
 *       cancellation stays pending for its next suspension point (asyncio 3.13).</li>
 *   <li>{@link #cancel()} (asyncio 3.15) cancels the children and the body; the block then ends
 *       normally, without an exception.</li>
 * </ol>
 *
 * <p><b>try-with-resources</b>, {@code try (TaskGroup tg = new TaskGroup()) { ... }}, keeps rules
 * 1-3 for the children but cannot interrupt the body: Java cannot replace the exception leaving a
 * try block from {@code close()}, so a body cancelled on the group's behalf could only leave as a
 * {@code CancelledError}. So in this form a child's failure (or {@link #cancel()}) cancels the
 * other children and the body runs on until the block ends; {@code close()} then waits for the
 * children and throws the {@code TaskGroupException}, like Java's {@code StructuredTaskScope}. An
 * exception thrown by the body does not cancel the children (close() cannot see it). A
 * cancellation of the task from outside does: {@code close()} treats any cancellation request of
 * its task that is still outstanding as "the block is being cancelled", cancels the children at
 * once, waits for them and lets the cancellation propagate.
 *
 * <h2>States</h2>
 * <pre>
 *  state           | body     | children                        | next
 *  OPEN            | running  | run; new ones may be created    | ABORTING (a child failed, cancel()), JOINING (block ended)
 *  ABORTING        | running  | cancelled; no new ones          | JOINING_ABORTED (block ended)
 *  JOINING         | ended    | awaited                         | JOINING_ABORTED (failure, cancel, outside cancel), EXITED
 *  JOINING_ABORTED | ended    | cancelled and awaited           | EXITED
 *  EXITED          | ended    | all done                        | -
 * </pre>
 * Invariants: (1) every child not done is in {@code tasks}; (2) the group requests at most one
 * cancellation of its task ({@code parentCancelRequested}, only in the {@code run} form) and takes
 * it back exactly once, in {@link #exit}; (3) the scope is popped from its task exactly once, on
 * entering EXITED.
 *
 * <p>Threading: loop-confined; create and close it in the same task.
 */
public final class TaskGroup extends Scope implements AutoCloseable {

    /** The body of {@link #run(Body)}: creates the group's tasks, may suspend and throw. */
    @FunctionalInterface
    public interface Body {
        void run(TaskGroup group) throws Exception;
    }

    private enum State { OPEN, ABORTING, JOINING, JOINING_ABORTED, EXITED }

    private final Task<?> parent;
    private final EventLoop loop;
    /** The run() form: the body may be cancelled on the group's behalf (rule 1). */
    private final boolean bodyCancellable;
    /** The supervise() form: a child's failure is reported, never a reason to abort. */
    private final boolean supervising;
    /** supervise(): children that failed, to report at exit unless someone read their failure. */
    private java.util.List<Task<?>> failedChildren;
    private final int cancellingAtEntry;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private State state = State.OPEN;
    /** Null until the first failure. */
    private TaskGroupException errors;
    private boolean parentCancelRequested;
    /** Completed when the last child is done, while exit() waits. */
    private Future<Void> onCompleted;

    /** Observability hook: the task that opened the group and awaits its children (read by {@link CallGraph}). */
    Task<?> parentTask() {
        return parent;
    }

    /** Observability hook: the children not done yet (read by {@link CallGraph}). */
    Set<Task<?>> children() {
        return tasks;
    }

    /** Opens a group in the current task, for try-with-resources (see the class comment). */
    public TaskGroup() {
        this(false, false);
    }

    private TaskGroup(boolean bodyCancellable, boolean supervising) {
        this.parent = Task.currentOrThrow("new TaskGroup()");
        this.loop = parent.loop;
        this.bodyCancellable = bodyCancellable;
        this.supervising = supervising;
        this.cancellingAtEntry = parent.cancelling();
        parent.pushScope(this);
    }

    /**
     * Runs {@code body} inside a new group and returns once every child is done, with asyncio's
     * rules (class comment, rules 1-3).
     * @throws TaskGroupException when children or the body failed
     * @throws CancelledError when the task was cancelled from outside
     */
    public static void run(Body body) {
        runGroup(new TaskGroup(true, false), body);
    }

    /**
     * Runs {@code body} inside a supervising group (Kotlin's {@code supervisorScope}): a child's
     * failure cancels nobody, neither its siblings nor the body. Its exception stays with its task
     * for whoever awaits it; one that nobody read by the time the group ends is reported to the
     * loop's exception handler ("Task failed in a supervising TaskGroup"), never lost. What reaches
     * the body is only what it awaits itself. The body's own exception, or a cancellation from
     * outside, cancels the children and propagates unchanged once they are done.
     */
    public static void supervise(Body body) {
        runGroup(new TaskGroup(true, true), body);
    }

    private static void runGroup(TaskGroup tg, Body body) {
        Objects.requireNonNull(body, "body");
        Throwable bodyFailure = null;
        try {
            body.run(tg);
        } catch (Throwable t) {
            bodyFailure = t;
        }
        Throwable outcome = tg.exit(bodyFailure);
        if (outcome != null) {
            throw Sneaky.raise(outcome);
        }
    }

    // ---------------------------------------------------------------- children

    /** Starts {@code coroutine} as a child task. */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(null, coroutine);
    }

    /**
     * Starts {@code coroutine} as a child task with a name.
     * @throws IllegalStateException once the group is shutting down or finished
     */
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        refuseNewTasks();
        Task<T> task = loop.createTask(name, coroutine);
        // Always through the callback, even if an eager task is already done: reacting inline would
        // cancel the body before createTask returns (cpython gh-128550).
        tasks.add(task);
        task.addDoneCallback(this::onTaskDone);
        if (aborting() && !task.done()) {
            task.cancel(); // an eager child aborted the group before it was added (cpython gh-155418)
        }
        return task;
    }

    /** The body of a child started with {@link #start}: it must call {@code status.started(...)} once ready. */
    @FunctionalInterface
    public interface Starter<V> {
        void run(TaskStatus<V> status) throws Exception;
    }

    /** {@link #start(String, Starter)} with a generated task name. */
    public <V> V start(Starter<V> starter) {
        return start(null, starter);
    }

    /**
     * Starts a child and suspends until it says it is ready (trio's {@code nursery.start()}): returns
     * the value it passed to {@link TaskStatus#started(Object)}, e.g. the port a server task bound.
     * Until then the child is not yet the group's: if it fails or returns first, this call throws its
     * exception (or {@link IllegalStateException} if it returned without calling {@code started}) and
     * the group is untouched. From {@code started} on it is a child like any other.
     *
     * <p>Cancellation: cancelling the task waiting here cancels the child that has not started yet.
     * @throws IllegalStateException once the group is shutting down or finished
     */
    public <V> V start(String name, Starter<V> starter) {
        Objects.requireNonNull(starter, "starter");
        refuseNewTasks();
        Future<V> ready = loop.createFuture();
        TaskStatus<V> status = new TaskStatus<>(ready, this::adopt);
        Task<Void> child = loop.createTask(name, () -> {
            status.bind(Task.currentOrNull());
            starter.run(status);
            return null;
        });
        if (!ready.done() && !child.done()) {
            Future<Void> either = loop.createFuture();
            ready.addDoneCallback(f -> either.trySetResult(null));
            child.addDoneCallback(f -> either.trySetResult(null));
            try {
                either.await();
            } catch (CancelledError e) {
                if (!ready.done()) {
                    child.cancel();
                }
                throw e;
            }
        }
        if (ready.done()) {
            return ready.result();
        }
        if (child.cancelled()) {
            throw child.cancelledError();
        }
        Throwable failure = child.exception();
        throw failure != null ? Sneaky.raise(failure)
                : new IllegalStateException("the task given to start() returned without calling status.started()");
    }

    /** A started child joins the group (or is cancelled, if the group is already shutting down). */
    private void adopt(Task<?> child) {
        if (state == State.EXITED) {
            child.cancel();
            throw new IllegalStateException("cannot join " + this + ": the group has finished");
        }
        tasks.add(child);
        child.addDoneCallback(this::onTaskDone);
        if (aborting()) {
            child.cancel();
        }
    }

    private void refuseNewTasks() {
        if (state == State.EXITED || (exiting() && tasks.isEmpty())) {
            throw new IllegalStateException("cannot create a task in " + this + ": the group has finished");
        }
        if (aborting()) {
            throw new IllegalStateException("cannot create a task in " + this + ": the group is shutting down"
                    + " (a child failed, or it was cancelled)");
        }
    }

    private void onTaskDone(Future<?> f) {
        Task<?> task = (Task<?>) f;
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty()) {
            onCompleted.trySetResult(null);
        }
        if (task.cancelled()) {
            return;
        }
        if (supervising) {
            if (failedChildren == null) {
                failedChildren = new java.util.ArrayList<>();
            }
            failedChildren.add(task); // not read here: the body may still await it
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors().add(exc);
        if (parent.done()) {
            loop.callExceptionHandler(new ExceptionContext(
                    "Task has errored out but its parent task is already done", exc, task, null));
            return;
        }
        if (!aborting()) {
            // Example: run(tg -> { tg.createTask(crashSoon); sleep(10); }) - the sleep must end now.
            // The request is taken back in exit(), so code after the group runs uncancelled.
            abort();
            cancelBody();
        }
    }

    /**
     * Ends the group early without an error (asyncio 3.15): cancels every child, refuses new ones
     * and, in the {@link #run} form, cancels the body too; the block then ends without an
     * exception. In the try-with-resources form the body is not interrupted (class comment).
     * Idempotent; does nothing once the group has finished.
     */
    public void cancel() {
        if (state == State.EXITED || (exiting() && tasks.isEmpty())) {
            return;
        }
        if (!aborting()) {
            abort();
            cancelBody();
        }
    }

    private void cancelBody() {
        if (bodyCancellable && !parentCancelRequested) {
            parentCancelRequested = true;
            parent.cancel(null, this);
        }
    }

    private boolean aborting() {
        return state == State.ABORTING || state == State.JOINING_ABORTED;
    }

    private boolean exiting() {
        return state == State.JOINING || state == State.JOINING_ABORTED;
    }

    private TaskGroupException errors() {
        if (errors == null) {
            errors = new TaskGroupException();
        }
        return errors;
    }

    private void abort() {
        state = switch (state) {
            case OPEN -> State.ABORTING;
            case JOINING -> State.JOINING_ABORTED;
            default -> state;
        };
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    // ---------------------------------------------------------------- the end of the block

    /**
     * Waits for every child, then throws the group's failures, or the cancellation that arrived
     * meanwhile (see the class comment for what this form can and cannot do).
     */
    @Override
    public void close() {
        if (state == State.EXITED) {
            return;
        }
        if (parent.cancelling() > cancellingAtEntry && !aborting()) {
            // The block is being left because the task is being cancelled, e.g.
            //   try (var tg = new TaskGroup()) { tg.createTask(worker); sleep(10); }  // <- cancelled here
            // close() cannot see the CancelledError, but the request that caused it is still counted.
            abort();
        }
        Throwable outcome = exit(null);
        if (outcome != null) {
            throw Sneaky.raise(outcome);
        }
    }

    /** Winds the group down (asyncio's {@code _aexit}); returns what must propagate from the block, or null. */
    private Throwable exit(Throwable bodyFailure) {
        assert parent == Task.currentOrNull() : "a TaskGroup must be closed by the task that opened it";
        state = aborting() ? State.JOINING_ABORTED : State.JOINING;
        Throwable propagateCancellation = bodyFailure instanceof CancelledError ? bodyFailure : null;
        if (bodyFailure != null && !aborting()) {
            // The body failed or was cancelled from outside: run(tg -> { tg.createTask(x); 1 / 0; })
            abort();
        }
        CancelledError cancelledWhileJoining = null;
        while (!tasks.isEmpty()) {
            onCompleted = new LabelledFuture<>(loop, "TaskGroup join", this);
            try {
                onCompleted.await();
            } catch (CancelledError e) {
                cancelledWhileJoining = e;
                if (!aborting()) {
                    // The task waiting here is cancelled from outside: stop the children at once.
                    propagateCancellation = e;
                    abort();
                }
            }
            onCompleted = null;
        }
        state = State.EXITED;
        parent.popScope(this);
        if (parentCancelRequested) {
            if (parent.uncancel() == 0) {
                propagateCancellation = null; // only we had asked: nothing to propagate
            } else if (propagateCancellation == null) {
                propagateCancellation = cancelledWhileJoining; // the remaining request is not ours (cpython gh-155433)
            }
        }
        if (supervising) {
            reportUnreadFailures();
            return bodyFailure instanceof CancelledError ? propagateCancellation : bodyFailure;
        }
        if (bodyFailure != null && !(bodyFailure instanceof CancelledError)) {
            errors().add(bodyFailure);
        }
        if (errors == null) {
            return propagateCancellation;
        }
        if (parent.cancelling() > 0) {
            // Failures win over a cancellation from outside, which stays pending (count unchanged).
            parent.uncancel();
            parent.cancel();
        }
        return errors;
    }

    private void reportUnreadFailures() {
        if (failedChildren == null) {
            return;
        }
        for (Task<?> t : failedChildren) {
            if (!t.exceptionRead()) {
                loop.callExceptionHandler(new ExceptionContext("Task failed in a supervising TaskGroup and nobody"
                        + " awaited it", t.exception(), t, null));
            }
        }
    }

    @Override
    public String toString() {
        return "TaskGroup[" + state.name().toLowerCase() + ", tasks=" + tasks.size()
                + (errors != null ? ", errors=" + errors.exceptions().size() : "") + "]";
    }
}
