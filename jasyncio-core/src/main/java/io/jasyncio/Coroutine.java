package io.jasyncio;

/**
 * The body of a coroutine: a plain method that may suspend wherever it calls a suspending
 * operation ({@link Asyncio#sleep}, {@link Future#await}, ...).
 *
 * <p>Calling {@link #call()} directly inside a task is Python's {@code await coro()}: it runs in
 * the caller's task. {@link Asyncio#createTask(Coroutine)} runs it concurrently in a new task.
 *
 * @param <T> the result type; use {@code Void} and return {@code null} for none
 */
@FunctionalInterface
public interface Coroutine<T> {
    /** Runs the body. Checked exceptions it throws travel unchanged to whoever awaits its task. */
    T call() throws Exception;
}
