package io.jasyncio;

import io.jasyncio.internal.WaitQueue;
import java.lang.System.Logger.Level;

/**
 * A mutual-exclusion lock for tasks of one loop: asyncio's {@code Lock}. Not
 * {@link java.util.concurrent.locks.Lock}: it never blocks a thread, only suspends a task.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=lock}
 *
 * <p>Fairness: waiters acquire in FIFO order; a task arriving while others wait (or while a woken
 * waiter has not run yet) queues behind them. Ownership: as in asyncio, any task or callback may
 * {@link #release()} a locked lock; the lock remembers its holder for {@link #toString()}, and in
 * debug mode a release by another task is logged as a warning.
 *
 * <p>Implementation notes (asyncio's locks.py): {@code release} marks the lock free and wakes the
 * first waiter; the woken task takes the lock when it resumes, after checking it is still free.
 * Waiting goes through {@link WaitQueue}, whose rule keeps the wake-up of a waiter cancelled after
 * it was woken: it is passed to the next waiter, so exactly one task ends up holding the lock.
 */
public final class Lock extends LoopBound {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private boolean locked;
    private Task<?> owner;
    private final WaitQueue waiters = new WaitQueue("Lock.acquire", this);
    private final Held held = this::release;

    /** An unlocked lock; it binds to the loop that first uses it. */
    public Lock() {
        // nothing to set up: the loop is bound on first use
    }

    /**
     * Acquires the lock, suspending while another task holds it.
     *
     * <p>Cancellation: a task cancelled while waiting does not get the lock and takes no one's
     * turn: if it had just been woken, the next waiter is woken instead.
     */
    public Held acquire() {
        if (!locked && !waiters.hasWaiters()) {
            take();
            return held;
        }
        EventLoop loop = loop();
        Task<?> me = Task.currentOrNull();
        if (me != null) {
            me.setBlockedOnLock(this); // observability hook, read by DeadlockDetector
            if (loop.isDebug()) {
                DeadlockDetector.reportIfCycleThrough(me);
            }
        }
        try {
            do {
                waiters.park(loop, this::wakeFirstIfFree);
            } while (locked); // a wake-up is a hint: take the lock only if it is still free
        } finally {
            if (me != null) {
                me.setBlockedOnLock(null);
            }
        }
        take();
        return held;
    }

    private void take() {
        locked = true;
        owner = Task.currentOrNull();
    }

    private void wakeFirstIfFree() {
        if (!locked) {
            waiters.wakeOne();
        }
    }

    /**
     * Releases the lock and wakes the first waiter. Any task or callback may call it (asyncio).
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException("release() of a Lock that is not acquired: every release() needs a"
                    + " matching acquire()");
        }
        EventLoop loop = boundLoop();
        if (loop != null && loop.isDebug() && owner != null && Task.currentOrNull() != owner) {
            LOG.log(Level.WARNING, "{0} released by {1}, not by the task that acquired it", this,
                    Task.currentOrNull() == null ? "a callback" : Task.currentOrNull().getName());
        }
        locked = false;
        owner = null;
        waiters.wakeOne();
    }

    /** Observability hook: the task holding the lock, or null (read by {@link DeadlockDetector}). */
    Task<?> owner() {
        return owner;
    }

    /** True while some task holds the lock. */
    public boolean locked() {
        return locked;
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "Lock[" + (locked ? "locked" + (owner != null ? " by " + owner.getName() : "") : "unlocked")
                + (n > 0 ? ", waiters=" + n : "") + "]";
    }
}
