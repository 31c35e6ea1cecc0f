package io.jasyncio;

import io.jasyncio.internal.Sneaky;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Structured concurrency: asyncio's {@code TaskGroup}. Tasks created in the group cannot outlive
 * it: closing the group waits for all of them.
 *
 * <pre>{@code
 * try (TaskGroup tg = new TaskGroup()) {
 *     Task<String> a = tg.createTask(() -> fetch("a"));
 *     Task<String> b = tg.createTask(() -> fetch("b"));
 * }   // both are done here
 * }</pre>
 *
 * <h2>Rules (asyncio 3.13)</h2>
 * <ol>
 *   <li>When a child fails (raises anything but {@link CancelledError}), every other child is
 *       cancelled, and so is the body of the block, at its current suspension point; no new child
 *       may be created.</li>
 *   <li>Every failure surfaces together as one {@link TaskGroupException}, in the order they
 *       happened; the body receives it at its suspension point (see {@link CancelScope} for why the
 *       exception is thrown there), and failures that happen while the group winds down are added
 *       to that same object.</li>
 *   <li>A cancellation from outside (of the task running the body) cancels the children too and
 *       propagates once they are done, unless a child failed, in which case the group's exception
 *       is thrown and the task stays cancelled.</li>
 *   <li>{@link #cancel()} ends the group early without an error: children are cancelled, their
 *       cancellations are not failures.</li>
 * </ol>
 *
 * <p>Java's {@code close()} cannot see an exception thrown by the body. To have a body's own
 * exception cancel the children and join the group's exceptions (as in asyncio), use
 * {@link #run(Consumer)}; with try-with-resources the children are simply awaited before the
 * body's exception continues.
 *
 * <p>Threading: loop-confined; create and close it in the same task.
 */
public final class TaskGroup extends CancelScope implements AutoCloseable {
    private final Task<?> parent;
    private final EventLoop loop;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private TaskGroupException errors;
    private boolean deliveredToBody;
    private boolean exiting, exited, aborting, parentCancelRequested, cancelledByUser;
    private Future<Void> onCompleted;

    /** Opens a group in the current task. */
    public TaskGroup() {
        this.parent = Task.currentOrThrow("new TaskGroup()");
        this.loop = parent.loop;
        parent.pushScope(this);
    }

    /**
     * Runs {@code body} inside a new group and closes it, with asyncio's full rules: an exception
     * thrown by the body cancels the children and is reported with theirs.
     */
    public static void run(Consumer<TaskGroup> body) {
        Objects.requireNonNull(body, "body");
        TaskGroup tg = new TaskGroup();
        Throwable bodyFailure = null;
        try {
            body.accept(tg);
        } catch (Throwable t) {
            bodyFailure = t;
        }
        Throwable outcome = tg.exit(bodyFailure);
        if (outcome != null) {
            throw Sneaky.raise(outcome);
        }
    }

    /** Starts {@code coroutine} as a child task. */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(null, coroutine);
    }

    /** Starts {@code coroutine} as a child task with a name. */
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (exited || (exiting && tasks.isEmpty())) {
            throw new IllegalStateException("TaskGroup " + this + " is finished");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down");
        }
        Task<T> task = loop.createTask(name, coroutine);
        if (task.done()) {
            onTaskDone(task);
        } else {
            tasks.add(task);
            task.addDoneCallback(this::onTaskDone);
        }
        return task;
    }

    /**
     * Ends the group early without an error: cancels every child and refuses new ones. The body
     * is not interrupted: it finishes the block normally, and the group then closes at once.
     */
    public void cancel() {
        cancelledByUser = true;
        if (!aborting) {
            abort();
        }
    }

    private void onTaskDone(Future<?> f) {
        Task<?> task = (Task<?>) f;
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.done()) {
            onCompleted.setResult(null);
        }
        if (task.cancelled()) {
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
        if (!aborting && !parentCancelRequested) {
            // Abort the body as well (rule 1); the request is taken back in exit().
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    private TaskGroupException errors() {
        if (errors == null) {
            errors = new TaskGroupException();
        }
        return errors;
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    @Override
    boolean cancelRequested() {
        return parentCancelRequested;
    }

    @Override
    Throwable ownCancellation(CancelledError cancelled) {
        if (!exiting) {
            deliveredToBody = true;
        }
        return errors();
    }

    /** Waits for every child, then throws the group's failures (unless the body already has them). */
    @Override
    public void close() {
        Throwable outcome = exit(null);
        if (outcome != null) {
            throw Sneaky.raise(outcome);
        }
    }

    /** Winds the group down; returns what must propagate from the block, or null. */
    private Throwable exit(Throwable bodyFailure) {
        if (exited) {
            return null;
        }
        exiting = true;
        Throwable propagate = bodyFailure instanceof CancelledError ? bodyFailure : null;
        if (bodyFailure != null && !aborting) {
            abort();
        }
        while (!tasks.isEmpty()) {
            onCompleted = loop.createFuture();
            try {
                onCompleted.await();
            } catch (Throwable interrupted) {
                if (interrupted == errors) {
                    continue; // our own cancellation of the parent: keep waiting
                }
                // A cancellation from outside (maybe converted by an outer Timeout): cancel the
                // children, finish waiting, then let it continue (rule 3).
                if (propagate == null) {
                    propagate = interrupted;
                }
                if (!aborting) {
                    abort();
                }
            }
        }
        onCompleted = null;
        exited = true;
        parent.popScope(this);
        if (parentCancelRequested && parent.uncancel() == 0 && propagate instanceof CancelledError) {
            propagate = null; // nothing else asked for the parent's cancellation
        }
        boolean failed = errors != null && !errors.exceptions().isEmpty();
        if (bodyFailure != null && !(bodyFailure instanceof CancelledError) && bodyFailure != errors) {
            errors().add(bodyFailure);
            failed = true;
        }
        if (!failed) {
            return propagate;
        }
        if (propagate != null && parent.cancelling() > 0) {
            // Keep an outside cancellation pending for the parent's next suspension (asyncio 3.13).
            parent.uncancel();
            parent.cancel();
        }
        if (bodyFailure == null && deliveredToBody) {
            return null; // the body already throws our exception object, which holds every failure
        }
        return errors;
    }

    @Override
    public String toString() {
        return "TaskGroup[tasks=" + tasks.size() + (errors != null ? ", errors=" + errors.exceptions().size() : "")
                + (cancelledByUser ? ", cancelled" : aborting ? ", aborting" : "") + (exited ? ", exited" : "") + "]";
    }
}
