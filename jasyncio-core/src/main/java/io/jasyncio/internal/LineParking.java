package io.jasyncio.internal;

import io.jasyncio.EventLoop;
import io.jasyncio.Task;

/**
 * What a {@link WaitQueue} needs of a {@link Task} that package {@code io.jasyncio} keeps to itself:
 * parking the current task in the line with no future of its own, waking it, and delivering its
 * cancellation. Task's class initialiser installs the one implementation
 * ({@link WaitQueue#install}), the way the JDK's {@code SharedSecrets} reach into other packages.
 *
 * <p>Why no future: a task parked through a fresh waiter future cost that future's allocation and
 * its completion (callback list, a second dispatch) on every wait of every Lock, Queue, Event...
 * The task itself is the waiter; the future stays for {@link WaitQueue#join}, where one task waits
 * in several lines at once.
 *
 * <p>Threading: every method runs on the loop's thread, for a task of that loop.
 */
public interface LineParking {

    /**
     * The task calling {@code action} ("Queue.get") now; throws {@link IllegalStateException} when
     * it is not called from a task, or from a task of another loop than {@code loop}.
     */
    Task<?> current(EventLoop loop, String action);

    /** True while a cancellation is on its way to {@code task} and has not been thrown yet. */
    boolean cancellationOnItsWay(Task<?> task);

    /**
     * Suspends {@code task} (the current one), which {@code line} has just added, until the line
     * {@linkplain #wake wakes} it or a cancellation takes it out of the line. Returns true if the
     * line woke it. Throws no {@code CancelledError}: the line first hands on a wake-up the task will
     * not use, then calls {@link #throwPendingCancellation}.
     */
    boolean suspendInLine(Task<?> task, WaitQueue line);

    /** Makes {@code task}, just taken off {@code line} by a wake-up, runnable again. */
    void wake(Task<?> task);

    /**
     * Lets the other ready callbacks run once, then throws the cancellation on its way, if any: for a
     * task cancelled before it waited, as asyncio's waiter future that is cancelled at once.
     */
    void yieldToLoop(Task<?> task);

    /** Throws the cancellation on its way to {@code task}, if any; otherwise returns. */
    void throwPendingCancellation(Task<?> task);
}
