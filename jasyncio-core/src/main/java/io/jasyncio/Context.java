package io.jasyncio;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import io.jasyncio.internal.Sneaky;

/**
 * A set of {@link ContextVar} values: Python's {@code contextvars.Context}.
 *
 * <p>Every task runs in its own copy of the context that was current when it was created, so a
 * value set inside a task is seen by that task and the tasks it creates later, never by its
 * creator or its siblings. Callbacks run in the context current when they were scheduled;
 * {@link Asyncio#toThread} carries the caller's context to the worker thread.
 *
 * <p>Implementation notes: the values live in an immutable map that is replaced on every
 * {@code set}, so {@link #copy()} is O(1) and a copy never sees later changes to its original. Which
 * context is current is a field of the running loop (set around each task step and callback),
 * or, on threads without a running loop, a per-thread slot: it never depends on which thread a
 * task's code happens to run on, so both coroutine engines behave the same.
 */
public final class Context {
    private static final ThreadLocal<Context> OFF_LOOP = new ThreadLocal<>();
    /** Every binding added, copied on write (read on every task switch: no lock there). */
    private static volatile ThreadBinding[] bindings = new ThreadBinding[0];

    Map<ContextVar<?>, Object> values;
    private boolean entered;

    /** An empty context. */
    public Context() {
        this(Map.of());
    }

    private Context(Map<ContextVar<?>, Object> values) {
        this.values = values;
    }

    /** A copy of the current context: Python's {@code copy_context()}. */
    public static Context copyContext() {
        Context c = currentOrNull();
        return c == null ? new Context() : c.copy();
    }

    /** A copy of this context (later changes to either are not seen by the other). */
    public Context copy() {
        return new Context(values);
    }

    /** The current context, or null when none was needed yet (equivalent to an empty one). */
    static Context currentOrNull() {
        EventLoop loop = EventLoop.runningOrNull();
        return loop != null ? loop.currentContext : OFF_LOOP.get();
    }

    /** The current context, created if there is none yet. */
    static Context current() {
        EventLoop loop = EventLoop.runningOrNull();
        if (loop != null) {
            Context c = loop.currentContext;
            if (c == null) {
                c = new Context();
                loop.currentContext = c;
            }
            return c;
        }
        Context c = OFF_LOOP.get();
        if (c == null) {
            c = new Context();
            OFF_LOOP.set(c);
        }
        return c;
    }

    /** A copy of the current context for a new task or callback, or null if it holds nothing. */
    static Context captureForChild() {
        Context c = currentOrNull();
        return c == null || c.values.isEmpty() ? null : c.copy();
    }

    /**
     * Runs {@code body} with this context as the current one, then restores the previous one.
     * Changes {@code body} makes to variables stay in this context.
     * @throws IllegalStateException if this context is already entered (running)
     */
    public <T> T run(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        if (entered) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        EventLoop loop = EventLoop.runningOrNull();
        Context previous = loop != null ? loop.currentContext : OFF_LOOP.get();
        entered = true;
        setCurrent(loop, this);
        Object[] saved = installBindings(this);
        try {
            return body.call();
        } catch (Exception e) {
            throw Sneaky.raise(e);
        } finally {
            restoreBindings(saved);
            setCurrent(loop, previous);
            entered = false;
        }
    }

    private static void setCurrent(EventLoop loop, Context c) {
        if (loop != null) {
            loop.currentContext = c;
        } else if (c == null) {
            OFF_LOOP.remove();
        } else {
            OFF_LOOP.set(c);
        }
    }

    // ---------------------------------------------------------------- thread bindings

    /**
     * Makes thread-bound state follow the context from now on, for every loop of this JVM: see
     * {@link ThreadBinding}. Add bindings at start-up, before tasks run.
     */
    public static synchronized void addThreadBinding(ThreadBinding binding) {
        Objects.requireNonNull(binding, "binding");
        ThreadBinding[] next = java.util.Arrays.copyOf(bindings, bindings.length + 1);
        next[next.length - 1] = binding;
        bindings = next;
    }

    /** Removes a binding added before; false if it was not there. */
    public static synchronized boolean removeThreadBinding(ThreadBinding binding) {
        java.util.List<ThreadBinding> list = new java.util.ArrayList<>(java.util.List.of(bindings));
        boolean removed = list.remove(binding);
        bindings = list.toArray(new ThreadBinding[0]);
        return removed;
    }

    /** Installs every binding for {@code context} on this thread; null (nothing to restore) when there are none. */
    static Object[] installBindings(Context context) {
        ThreadBinding[] bs = bindings;
        if (bs.length == 0) {
            return null;
        }
        Object[] saved = new Object[bs.length + 1];
        saved[0] = bs;
        for (int i = 0; i < bs.length; i++) {
            saved[i + 1] = bs[i].install(context);
        }
        return saved;
    }

    /** Undoes {@link #installBindings}, in reverse order. */
    static void restoreBindings(Object[] saved) {
        if (saved == null) {
            return;
        }
        ThreadBinding[] bs = (ThreadBinding[]) saved[0];
        for (int i = bs.length - 1; i >= 0; i--) {
            bs[i].restore(saved[i + 1]);
        }
    }

    /** A variable changed in the current context: bindings show the new state (their saved state stays). */
    static void refreshBindings(Context context) {
        for (ThreadBinding b : bindings) {
            b.install(context);
        }
    }

    /** The value of {@code var} in this context, or null if it has none here. */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var) {
        return (T) values.get(var);
    }

    /** True if {@code var} has a value in this context. */
    public boolean containsKey(ContextVar<?> var) {
        return values.containsKey(var);
    }

    /** The variables set in this context and their values (a snapshot). */
    public Map<ContextVar<?>, Object> items() {
        return Collections.unmodifiableMap(values);
    }

    void put(ContextVar<?> var, Object value) {
        Map<ContextVar<?>, Object> next = new HashMap<>(values);
        next.put(var, value);
        values = Map.copyOf(next);
    }

    void remove(ContextVar<?> var) {
        if (values.containsKey(var)) {
            Map<ContextVar<?>, Object> next = new HashMap<>(values);
            next.remove(var);
            values = Map.copyOf(next);
        }
    }

    @Override
    public String toString() {
        return "Context" + values;
    }
}
