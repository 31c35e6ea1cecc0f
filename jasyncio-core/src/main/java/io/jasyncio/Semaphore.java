package io.jasyncio;

import io.jasyncio.internal.WaitQueue;

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
 * cancelled after being handed a permit gives it back ({@link WaitQueue}'s pass-on rule); after
 * every acquire attempt, waiters are woken while permits remain, so none is stranded.
 */
public class Semaphore extends LoopBound {
    int value;
    private final WaitQueue waiters = new WaitQueue(getClass().getSimpleName() + ".acquire", this);
    private final Held held = this::release;

    /** A semaphore with one permit (asyncio's default). */
    public Semaphore() {
        this(1);
    }

    /** A semaphore with {@code value} permits. */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a Semaphore's initial value must be >= 0, not " + value);
        }
        this.value = value;
    }

    /** True when {@link #acquire()} would suspend. */
    public boolean locked() {
        return value == 0 || waiters.hasWaiters();
    }

    /**
     * Takes a permit, suspending until one is free.
     * Cancellation: a cancelled waiter holds no permit afterwards; one it was handed goes to the next waiter.
     */
    public Held acquire() {
        if (!locked()) {
            value--;
            return held;
        }
        EventLoop loop = loop();
        try {
            waiters.park(loop, () -> value++); // handed a permit it will not use: give it back
        } finally {
            while (value > 0 && handOnePermit()) {
                // keep handing permits while there are some and tasks wait for them
            }
        }
        return held;
    }

    /** Returns a permit and hands it to the first waiter, if any. */
    public void release() {
        value++;
        handOnePermit();
    }

    private boolean handOnePermit() {
        if (waiters.wakeOne()) {
            value--;
            return true;
        }
        return false;
    }

    /** Permits available now (asyncio's private {@code _value}). */
    public int availablePermits() {
        return value;
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return getClass().getSimpleName() + "[value=" + value + (n > 0 ? ", waiters=" + n : "") + "]";
    }
}
