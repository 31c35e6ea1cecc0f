package io.jasyncio;

import java.util.ArrayDeque;

/**
 * A counter of permits for tasks: asyncio's {@code Semaphore}. Not
 * {@link java.util.concurrent.Semaphore}: it suspends tasks, never threads.
 *
 * <pre>{@code
 * Semaphore limit = new Semaphore(10);
 * try (Held permit = limit.acquire()) {
 *     fetch(url);            // at most 10 at a time
 * }
 * }</pre>
 *
 * <p>Fairness: FIFO; a newcomer does not overtake tasks already waiting.
 *
 * <p>Implementation notes (asyncio 3.13's locks.py): {@code release} increments the value and
 * hands one permit to the first waiter at once (decrementing the value on its behalf). A waiter
 * cancelled after being handed a permit gives it back and wakes the next one; after every
 * acquire attempt, waiters are woken while permits remain, so none is stranded.
 */
public class Semaphore extends LoopBound {
    int value;
    private ArrayDeque<Future<Boolean>> waiters;
    private final Held held = this::release;

    /** A semaphore with {@code value} permits. */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, not " + value);
        }
        this.value = value;
    }

    /** True when {@link #acquire()} would suspend. */
    public boolean locked() {
        return value == 0 || hasLiveWaiter(waiters);
    }

    /**
     * Takes a permit, suspending until one is free.
     * Cancellation: a cancelled waiter holds no permit afterwards; one it was handed goes to the next waiter.
     */
    public Held acquire() {
        EventLoop loop = loop();
        if (!locked()) {
            value--;
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
            if (fut.done() && !fut.cancelled()) {
                value++; // we were handed a permit we will not use
            }
            throw cancelled;
        } finally {
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return held;
    }

    /** Returns a permit and wakes the first waiter. */
    public void release() {
        loop();
        value++;
        wakeUpNext();
    }

    private boolean wakeUpNext() {
        if (waiters == null) {
            return false;
        }
        for (Future<Boolean> f : waiters) {
            if (!f.done()) {
                value--;
                f.setResult(true);
                return true;
            }
        }
        return false;
    }

    /** Permits available now (asyncio's private {@code _value}). */
    public int availablePermits() {
        return value;
    }

    @Override
    public String toString() {
        int n = waiters == null ? 0 : waiters.size();
        return getClass().getSimpleName() + "[value=" + value + (n > 0 ? ", waiters=" + n : "") + "]";
    }
}
