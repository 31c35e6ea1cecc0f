package io.jasyncio;

import io.jasyncio.internal.WaitQueue;

/**
 * A flag tasks can wait for: asyncio's {@code Event}. {@link #set()} wakes every waiter;
 * {@link #clear()} resets it. asyncio's {@code wait()} is {@link #await()}: {@code Object.wait()}
 * is final.
 */
public final class Event extends LoopBound {
    private boolean value;
    private final WaitQueue waiters = new WaitQueue("Event.await", this);

    /** An event that is not set; it binds to the loop that first uses it. */
    public Event() {
        // nothing to set up: the loop is bound on first use
    }

    /** True once set (until cleared). */
    public boolean isSet() {
        return value;
    }

    /** Sets the flag and wakes every waiting task. */
    public void set() {
        if (!value) {
            value = true;
            waiters.wakeAll();
        }
    }

    /** Resets the flag: later {@link #await()} calls wait again. */
    public void clear() {
        value = false;
    }

    /**
     * Suspends until the flag is set; returns true at once if it is. asyncio's {@code wait()}.
     * Cancellation: nothing is lost; the event is untouched.
     */
    public boolean await() {
        if (value) {
            return true;
        }
        waiters.park(loop());
        return true;
    }

    @Override
    public String toString() {
        int n = waiters.size();
        return "Event[" + (value ? "set" : "unset") + (n == 0 ? "" : ", waiters=" + n) + "]";
    }
}
