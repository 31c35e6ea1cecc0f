package io.jasyncio;

import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for tasks of one loop: asyncio's {@code Lock}. Not
 * {@link java.util.concurrent.locks.Lock}: it never blocks a thread, only suspends a task.
 *
 * <pre>{@code
 * try (Held held = lock.acquire()) {
 *     ... // one task at a time
 * }
 * }</pre>
 *
 * <p>Fairness: waiters acquire in FIFO order; a task arriving while others wait queues behind them.
 * Ownership: the lock remembers the task that holds it; {@link #release()} from any other task
 * (or when unlocked) throws {@link IllegalStateException}.
 *
 * <p>Implementation notes (asyncio's locks.py): {@code release} marks the lock free and wakes the
 * first waiter's future; the woken task takes the lock when it resumes. If it is cancelled in
 * between, its {@code acquire} sees the lock still free and wakes the next waiter before
 * rethrowing, so no wake-up is lost.
 */
public final class Lock extends LoopBound {
    private boolean locked;
    private Task<?> owner;
    private ArrayDeque<Future<Boolean>> waiters;
    private final Held held = this::release;

    /** An unlocked lock; it binds to the loop that first uses it. */
    public Lock() {
        // nothing to set up: the loop is bound on first use
    }

    /**
     * Acquires the lock, suspending while another task holds it.
     *
     * <p>Cancellation: a task cancelled while waiting does not get the lock and takes no one's
     * turn: if it had just been chosen, the next waiter is woken instead.
     */
    public Held acquire() {
        EventLoop loop = loop();
        if (!locked && !hasLiveWaiter(waiters)) {
            take(loop);
            return held;
        }
        if (waiters == null) {
            waiters = new ArrayDeque<>();
        }
        Future<Boolean> fut = loop.createFuture();
        waiters.add(fut);
        try {
            try {
                fut.await();
            } finally {
                waiters.remove(fut);
            }
        } catch (Throwable cancelled) {
            // Woken but cancelled before taking the lock: hand the turn to the next waiter.
            if (!locked) {
                wakeFirst(waiters, true);
            }
            throw cancelled;
        }
        take(loop);
        return held;
    }

    private void take(EventLoop loop) {
        locked = true;
        owner = loop.currentTask();
    }

    /**
     * Releases the lock and wakes the first waiter.
     * @throws IllegalStateException if the lock is not held, or held by another task
     */
    public void release() {
        EventLoop loop = loop();
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired: release() needs a matching acquire()");
        }
        Task<?> current = loop.currentTask();
        if (owner != null && current != owner) {
            throw new IllegalStateException("Lock is held by task " + owner.getName() + ", not by "
                    + (current == null ? "this callback" : "task " + current.getName()) + ": only the holder may release it");
        }
        locked = false;
        owner = null;
        wakeFirst(waiters, true);
    }

    /** True while some task holds the lock. */
    public boolean locked() {
        return locked;
    }

    @Override
    public String toString() {
        int n = waiters == null ? 0 : waiters.size();
        return "Lock[" + (locked ? "locked" + (owner != null ? " by " + owner.getName() : "") : "unlocked")
                + (n > 0 ? ", waiters=" + n : "") + "]";
    }
}
