package io.jasyncio;

/**
 * A block of a task's code that may cancel its task and then wants to see that cancellation as
 * its own exception: {@link Timeout} (a {@link TimeoutException}) and {@link TaskGroup} (a
 * {@link TaskGroupException}). Scopes of one task form a stack, innermost first.
 *
 * <p>Implementation notes. asyncio converts the {@code CancelledError} into the scope's error in
 * {@code __aexit__}, after the task has unwound to the end of the block. Java's try-with-resources
 * cannot replace an exception on its way out of a block (an exception thrown by {@code close()} is
 * only attached as suppressed), so the conversion is decided where the cancellation is delivered,
 * at the suspension point, by replaying asyncio's exit rule on the scope stack: walking outwards,
 * each scope that requested a cancellation gives one back ({@code uncancel}); the first scope
 * after which no more cancellation requests remain than when it was entered owns the
 * cancellation, and its exception is thrown instead. If none does, the cancellation came (also)
 * from outside, which wins, and a plain {@link CancelledError} is thrown. The real
 * {@code uncancel} calls still happen in each scope's {@code close()}, keeping the counters
 * balanced exactly as in asyncio.
 */
abstract class CancelScope {
    /** The enclosing scope of the same task, or null. */
    CancelScope outer;
    /** {@link Task#cancelling()} when the scope was entered. */
    int baseline;

    /** True while this scope has a cancellation request of its own outstanding on its task. */
    abstract boolean cancelRequested();

    /** The exception to throw instead of {@code cancelled} when this scope owns the cancellation. */
    abstract Throwable ownCancellation(CancelledError cancelled);
}
