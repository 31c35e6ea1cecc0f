package io.jasyncio.internal;

/**
 * A body of code that can pause and later resume with its whole call stack intact: the unit that
 * a coroutine engine provides and a {@code Task} drives.
 *
 * <p>Threading rules: exactly one thread holds the baton of a loop at a time. {@link #resume()} is
 * called by the baton holder (the loop, or a task starting another one eagerly); it runs the body
 * until the body calls {@link #suspend()} or ends, and only then returns. {@link #suspend()} is
 * called only from inside the body. Nothing else may touch a strand.
 */
public abstract class Strand {

    /** Runs the body from the calling thread until it suspends or ends. */
    public abstract void resume();

    /**
     * Pauses the body and returns the baton to whoever called {@link #resume()}; returns when the
     * strand is resumed again.
     *
     * @throws IllegalStateException if the JVM cannot capture the stack here (a pinned frame);
     *         the strand then simply keeps running, nothing was suspended.
     */
    public abstract void suspend();

    /** The thread that runs the body while it is resumed, or null when that is the resumer's thread. */
    public abstract Thread thread();

    /** The stack of the suspended body, innermost frame first; empty when it is not suspended. */
    public abstract StackTraceElement[] suspendedStack();
}
