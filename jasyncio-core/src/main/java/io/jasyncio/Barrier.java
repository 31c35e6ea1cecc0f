package io.jasyncio;

/**
 * Lets a fixed number of tasks wait for each other: asyncio's {@code Barrier}. asyncio's
 * {@code wait()} is {@link #await()}: {@code Object.wait()} is final.
 *
 * <h2>States</h2>
 * <pre>
 *  state     | meaning                                         | next
 *  FILLING   | tasks arrive and wait                           | DRAINING (last one arrived), RESETTING, BROKEN
 *  DRAINING  | the released tasks leave; newcomers wait        | FILLING (all left)
 *  RESETTING | reset() while tasks waited: they get Broken...  | FILLING (all left)
 *  BROKEN    | abort(): every await() fails until reset()      | FILLING (reset)
 * </pre>
 * Cancellation: a cancelled waiter leaves (the count goes down) without breaking the barrier, as
 * in asyncio (unlike {@code threading.Barrier}).
 */
public final class Barrier extends LoopBound {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    private int count;

    /** A barrier for {@code parties} tasks. */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier parties must be >= 1, not " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@code parties} tasks are waiting, then releases them all. Returns the arrival
     * index, 0 to parties-1.
     * @throws BrokenBarrierException if the barrier is broken or reset while waiting
     */
    public int await() {
        loop();
        try (Held held = cond.acquire()) {
            cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
            if (state == State.BROKEN) {
                throw new BrokenBarrierException("await() on a Barrier that was aborted: call reset() before using it again");
            }
            try {
                int index = count++;
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.notifyAllWaiters();
                } else {
                    cond.awaitFor(() -> state != State.FILLING);
                    if (state == State.BROKEN || state == State.RESETTING) {
                        throw new BrokenBarrierException("the Barrier was " + (state == State.BROKEN ? "aborted" : "reset") + " while this task waited at it");
                    }
                }
                return index;
            } finally {
                count--;
                if (count == 0) {
                    if (state == State.RESETTING || state == State.DRAINING) {
                        state = State.FILLING;
                    }
                    cond.notifyAllWaiters();
                }
            }
        }
    }

    /** Returns the barrier to its empty state; tasks waiting get {@link BrokenBarrierException}. */
    public void reset() {
        loop();
        try (Held held = cond.acquire()) {
            if (count > 0) {
                state = State.RESETTING;
            } else {
                state = State.FILLING;
            }
            cond.notifyAllWaiters();
        }
    }

    /** Breaks the barrier: current and future {@link #await()} calls fail until {@link #reset()}. */
    public void abort() {
        loop();
        try (Held held = cond.acquire()) {
            state = State.BROKEN;
            cond.notifyAllWaiters();
        }
    }

    public int parties() {
        return parties;
    }

    /** Tasks waiting now (while filling). */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    public boolean broken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        return "Barrier[" + state.name().toLowerCase() + ", waiters=" + nWaiting() + "/" + parties + "]";
    }
}
