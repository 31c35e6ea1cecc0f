/**
 * asyncio's names for Java: the event loop, tasks, futures, structured concurrency, deadlines,
 * synchronization primitives, queues and context variables.
 *
 * <h2>Where to start reading</h2>
 * <ul>
 *   <li>{@link io.jasyncio.Asyncio}: the static facade users import ({@code import static
 *       io.jasyncio.Asyncio.*}); it only delegates.</li>
 *   <li>{@link io.jasyncio.EventLoop}: one turn of the loop ({@code runOnce}, asyncio's
 *       {@code _run_once}) and the scheduling API.</li>
 *   <li>{@link io.jasyncio.Task} and {@link io.jasyncio.Future}: the two state machines everything
 *       else builds on (run states, cancellation delivery, callbacks).</li>
 *   <li>{@link io.jasyncio.Timeout} and {@link io.jasyncio.TaskGroup}: why deadlines and groups are
 *       lambda-scoped, and how a cancellation becomes a timeout or a group failure only where the
 *       block ends.</li>
 *   <li>{@link io.jasyncio.Lock}, {@link io.jasyncio.Semaphore}, {@link io.jasyncio.Condition},
 *       {@link io.jasyncio.Event}, {@link io.jasyncio.Queue}: all wait in one
 *       {@code internal.WaitQueue}, whose rule "a cancelled waiter never loses a wake-up" is written
 *       there once.</li>
 * </ul>
 *
 * <h2>Threading rule</h2>
 * Everything here is confined to the thread of the loop it belongs to. The only doors in from other
 * threads are {@link io.jasyncio.EventLoop#callSoonThreadsafe}, {@link io.jasyncio.Asyncio#runCoroutineThreadsafe}
 * and the {@code CompletableFuture}s handed out by {@link io.jasyncio.Future#toCompletableFuture()};
 * suspending operations called outside a task fail at once with an {@link IllegalStateException}.
 */
package io.jasyncio;
