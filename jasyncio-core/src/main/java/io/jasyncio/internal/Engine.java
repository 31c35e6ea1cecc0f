package io.jasyncio.internal;

/**
 * A coroutine engine: what turns a plain Java method into something that can pause.
 * Two implementations exist, chosen once per JVM by {@link Engines#selected()}:
 * {@link ContinuationEngine} (the fast one) and {@link VirtualThreadEngine} (the fallback).
 * Semantics never differ between engines; only costs and thread identity do.
 *
 * <h2>Strands</h2>
 * A strand is a body of code that can pause and later resume with its whole call stack intact:
 * the unit a task drives. It is an object of the engine's own making, opaque to everyone else
 * (for the continuation engine it is the {@code jdk.internal.vm.Continuation} itself, so a parked
 * task pays for no wrapper), and only its engine's methods below may touch it.
 *
 * <p>Threading rules: exactly one thread holds the baton of a loop at a time. {@link #resume} is
 * called by the baton holder (the loop, or a task starting another one eagerly); it runs the body
 * until the body calls {@link #suspend} or ends, and only then returns. {@link #suspend} is called
 * only from inside the body of the strand it names.
 */
public interface Engine {

    /** {@code "continuation"} or {@code "virtual"}. */
    String name();

    /**
     * A new strand that will run {@code body} on its first {@link #resume}. The body may be shared
     * by every strand: it finds its task as its loop's current one.
     */
    Object newStrand(Runnable body);

    /** Runs the strand's body from the calling thread until it suspends or ends. */
    void resume(Object strand);

    /**
     * Pauses the strand (the caller's own) and returns the baton to whoever resumed it; returns when
     * the strand is resumed again.
     *
     * @throws IllegalStateException if the JVM cannot capture the stack here (a pinned frame);
     *         the strand then simply keeps running, nothing was suspended.
     */
    void suspend(Object strand);

    /** The thread that runs the strand's body while it is resumed, or null when that is the resumer's thread. */
    Thread thread(Object strand);

    /** The stack of a suspended strand, innermost frame first; empty if it cannot be read. */
    StackTraceElement[] suspendedStack(Object strand);

    /** True if each strand runs on a thread of its own (so a task's thread is not its loop's). */
    boolean tasksHaveOwnThreads();

    /**
     * Runs an event loop's body on a thread where this engine's switches are cheap, and returns
     * when the body returns (rethrowing what it throws). The calling thread is blocked meanwhile.
     */
    void runLoop(Runnable loopBody);
}
