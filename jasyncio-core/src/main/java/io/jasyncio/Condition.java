package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

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
 * Renames forced by {@code Object}'s final methods (DESIGN naming rule 10): asyncio's
 * {@code wait()} is {@link #await()}, {@code wait_for(predicate)} is {@link #awaitFor},
 * {@code notify(n=1)} is {@link #notify(int)} and {@link #notifyOne()}, {@code notify_all()} is
 * {@link #notifyAllWaiters()}.
 *
 * <p>Cancellation: {@link #await()} always re-acquires the lock before it returns or throws, even
 * when cancelled; a waiter that was notified and then cancelled passes its notification on to
 * another waiter, so no notification is lost (a spurious wake-up is possible, as the condition
 * variable protocol allows).
 */
public final class Condition extends LoopBound {
    private final Lock lock;
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();

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
            throw new IllegalStateException("cannot await on an un-acquired condition: acquire() it first");
        }
        Throwable failure = null;
        lock.release();
        try {
            Future<Boolean> fut = loop.createFuture();
            waiters.add(fut);
            try {
                fut.await();
                return true;
            } finally {
                waiters.remove(fut);
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            // Re-acquire even if cancelled; keep the most recent cancellation to rethrow.
            Throwable cancelledAgain = null;
            while (true) {
                try {
                    lock.acquire();
                    break;
                } catch (CancelledError | TimeoutException | TaskGroupException e) {
                    cancelledAgain = e;
                }
            }
            if (failure != null) {
                notifyInternal(1); // we may have been notified: pass it on
            }
            if (cancelledAgain != null && failure == null) {
                throw io.jasyncio.internal.Sneaky.raise(cancelledAgain);
            }
        }
    }

    /**
     * Awaits until {@code predicate} is true (checked first, and after every wake-up) and returns
     * its last value. asyncio's {@code wait_for}.
     */
    public boolean awaitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await();
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Wakes up to {@code n} waiting tasks. The lock must be held.
     * @throws IllegalStateException if the lock is not held
     */
    public void notify(int n) {
        loop();
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on an un-acquired condition: acquire() it first");
        }
        notifyInternal(n);
    }

    /** Wakes one waiting task: asyncio's {@code notify()}. */
    public void notifyOne() {
        notify(1);
    }

    /** Wakes every waiting task: asyncio's {@code notify_all()}. */
    public void notifyAllWaiters() {
        notify(waiters.size());
    }

    private void notifyInternal(int n) {
        int woken = 0;
        for (Future<Boolean> f : waiters) {
            if (woken >= n) {
                break;
            }
            if (!f.done()) {
                woken++;
                f.setResult(false);
            }
        }
    }

    @Override
    public String toString() {
        return "Condition[" + (lock.locked() ? "locked" : "unlocked") + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }
}
