package io.jasyncio;

import io.jasyncio.internal.WaitQueue;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A condition variable for tasks: asyncio's {@code Condition}. Not
 * {@link java.util.concurrent.locks.Condition}.
 *
 * <pre>{@code
 * try (Held held = cond.acquire()) {
 *     cond.awaitFor(() -> !items.isEmpty());
 *     take(items);
 * }
 * }</pre>
 *
 * Renamed because {@code Object}'s {@code wait()}, {@code notify()} and {@code notifyAll()} are
 * final and a stray {@code cond.notifyAll()} would still compile: asyncio's {@code wait()} is
 * {@link #await()}, {@code wait_for(predicate)} is {@link #awaitFor}, {@code notify(n=1)} is
 * {@link #notify(int)} and {@link #notifyOne()}, {@code notify_all()} is {@link #notifyAllWaiters()}.
 *
 * <p>Cancellation: {@link #await()} always re-acquires the lock before it returns or throws, even
 * when cancelled (again) while re-acquiring; a waiter that leaves {@code await()} with any exception
 * passes one notification on to another waiter, since it may have been notified already, so no
 * notification is lost (a spurious wake-up is possible, as the condition variable protocol allows;
 * asyncio 3.13 does the same).
 */
public final class Condition extends LoopBound {
    private final Lock lock;
    private final WaitQueue waiters = new WaitQueue("Condition.await", this);

    /** A condition with its own new lock. */
    public Condition() {
        this(new Lock());
    }

    /** A condition over an existing lock. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** Acquires the underlying lock. */
    public Held acquire() {
        return lock.acquire();
    }

    /** Releases the underlying lock. */
    public void release() {
        lock.release();
    }

    /** True while the underlying lock is held. */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, suspends until notified, re-acquires the lock. asyncio's {@code wait()}.
     * @throws IllegalStateException if the lock is not held
     */
    public boolean await() {
        EventLoop loop = loop();
        if (!lock.locked()) {
            throw new IllegalStateException("await() on a Condition whose lock is not held: call acquire() first");
        }
        lock.release();
        try {
            try {
                waiters.park(loop);
                return true;
            } finally {
                reacquire();
            }
        } catch (Throwable t) {
            waiters.wakeOne(); // we may have been notified: pass it on
            throw t;
        }
    }

    /** Takes the lock back even if cancelled meanwhile; rethrows the most recent cancellation. */
    private void reacquire() {
        CancelledError cancelledAgain = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                cancelledAgain = e;
            }
        }
        if (cancelledAgain != null) {
            throw cancelledAgain;
        }
    }

    /**
     * Awaits until {@code predicate} returns a value other than null and {@code false} (checked
     * first, and after every wake-up) and returns that value: asyncio's {@code wait_for}.
     */
    public <T> T awaitFor(Supplier<T> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        T result = predicate.get();
        while (result == null || Boolean.FALSE.equals(result)) {
            await();
            result = predicate.get();
        }
        return result;
    }

    /**
     * Wakes up to {@code n} waiting tasks. The lock must be held.
     * @throws IllegalStateException if the lock is not held
     */
    public void notify(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("notify(n) needs n >= 0, not " + n);
        }
        if (!lock.locked()) {
            throw new IllegalStateException("notify() on a Condition whose lock is not held: call acquire() first");
        }
        waiters.wake(n);
    }

    /** Wakes one waiting task: asyncio's {@code notify()}. */
    public void notifyOne() {
        notify(1);
    }

    /** Wakes every waiting task: asyncio's {@code notify_all()}. */
    public void notifyAllWaiters() {
        notify(Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "Condition[" + (lock.locked() ? "locked" : "unlocked") + (n == 0 ? "" : ", waiters=" + n) + "]";
    }
}
