package io.jasyncio;

import java.util.ArrayDeque;

/**
 * A flag tasks can wait for: asyncio's {@code Event}. {@link #set()} wakes every waiter;
 * {@link #clear()} resets it. asyncio's {@code wait()} is {@link #await()} (Java's
 * {@code Object.wait()} is final; DESIGN naming rule 10).
 */
public final class Event extends LoopBound {
    private boolean value;
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();

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
        loop();
        if (!value) {
            value = true;
            for (Future<Boolean> f : waiters) {
                if (!f.done()) {
                    f.setResult(true);
                }
            }
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
        EventLoop loop = loop();
        if (value) {
            return true;
        }
        Future<Boolean> fut = loop.createFuture();
        waiters.add(fut);
        try {
            fut.await();
            return true;
        } finally {
            waiters.remove(fut);
        }
    }

    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters=" + waiters.size()) + "]";
    }
}
