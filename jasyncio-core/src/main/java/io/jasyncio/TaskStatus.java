package io.jasyncio;

import java.util.function.Consumer;

/**
 * How a child started with {@link TaskGroup#start} says it is ready: trio's {@code task_status}.
 * {@link #started(Object)} hands a value (a bound port, an opened connection) to the task waiting in
 * {@code start}, and from then on the child belongs to the group like any other.
 *
 * <p>Threading: loop-confined; call it from the child's own code, once.
 *
 * @param <V> the readiness value's type
 */
public final class TaskStatus<V> {
    private final Future<V> ready;
    private final Consumer<Task<?>> adopt;
    private Task<?> child;

    TaskStatus(Future<V> ready, Consumer<Task<?>> adopt) {
        this.ready = ready;
        this.adopt = adopt;
    }

    void bind(Task<?> task) {
        this.child = task;
    }

    /**
     * The child is ready: {@code start} returns {@code value}, and the child joins the group.
     * @throws IllegalStateException if called twice, or after the group finished
     */
    public void started(V value) {
        if (ready.done()) {
            throw new IllegalStateException("started() was already called (or start() gave up waiting): it is called once");
        }
        adopt.accept(child);
        ready.setResult(value);
    }

    /** {@link #started(Object)} without a value. */
    public void started() {
        started(null);
    }

    @Override
    public String toString() {
        return "TaskStatus[" + (ready.done() ? "started" : "starting") + "]";
    }
}
