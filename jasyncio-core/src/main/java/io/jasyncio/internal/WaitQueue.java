package io.jasyncio.internal;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.lang.invoke.MethodHandles;
import java.util.ArrayDeque;

/**
 * The line of tasks waiting for something, under every primitive that makes tasks wait (Lock,
 * Semaphore, Condition, Event, Queue, the server's close waiters, the stream's drain waiters):
 * trio's {@code ParkingLot}, asyncio's {@code _waiters} deque of futures.
 *
 * <p>A waiter {@linkplain #park parks}; the primitive wakes waiters in FIFO order with
 * {@link #wakeOne()} or {@link #wakeAll()} when its state lets them proceed. The primitive always
 * re-checks its state after {@code park} returns: a wake-up is a hint, not a guarantee.
 *
 * <h2>The rule, written once: a cancelled waiter never loses a wake-up</h2>
 * A waiter may be cancelled after it was woken but before it runs again (both happen in the same
 * loop turn). It will not act on the wake-up, so {@link #park} hands the wake-up back through the
 * primitive's {@code passOn} action (wake the next waiter, return a permit...) before the
 * {@link io.jasyncio.CancelledError} propagates. A waiter cancelled before it was woken just leaves
 * the line. Example: T1 holds a Lock, T2 and T3 wait; T1 releases (T2 is woken) and T2 is cancelled
 * in the same turn: T2's {@code park} runs the Lock's pass-on, which wakes T3; exactly one of them
 * ends up holding the lock.
 *
 * <h2>States of one waiter</h2>
 * <pre>
 *  waiter   | in line | counted in woken | next
 *  WAITING  | yes     | no               | WOKEN (wakeOne/wakeAll), LEFT (cancelled)
 *  WOKEN    | no      | yes              | LEFT (resumed: park returns; or cancelled: passOn, then throws)
 *  LEFT     | no      | no               | -
 * </pre>
 * {@link #hasWaiters()} counts WAITING and WOKEN waiters, as asyncio's "any waiter not cancelled":
 * a newcomer must not overtake a task that was woken but has not run yet.
 *
 * <h2>Implementation notes</h2>
 * A waiter in the line is one of two things. A task that {@linkplain #park parks} is itself the
 * waiter: no future is made for it, and a wake-up queues the task directly (through
 * {@link LineParking}; a cancellation of the task takes it out of the line, {@link #cancelled}).
 * A task waiting in several lines at once ({@link io.jasyncio.Select}) {@linkplain #join joins}
 * each with a future of its own, completed by the wake-up. A parked task in the line is always
 * WAITING (a woken one has left it); a joined future is WAITING while it is not done.
 *
 * <p>Threading: loop-confined, like the primitive that owns it.
 */
public final class WaitQueue {
    private static final Runnable NOTHING = () -> { };

    /**
     * Task's side of parking ({@link LineParking}), installed by Task's class initialiser. No
     * initialiser here: when this class is initialised first, the static block below initialises
     * Task, whose {@link #install} call sets this field while this class's initialisation is still
     * running on the same thread, and an initialiser would then overwrite it with null.
     */
    private static LineParking tasks;

    static {
        try {
            MethodHandles.lookup().ensureInitialized(Task.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String action;
    private final Object owner;
    /**
     * The waiters, first woken first: parked tasks and joined futures (implementation notes). The
     * first is held in a field of its own and the others in a deque made when a second one comes, so
     * a primitive that never has two waiters at once never makes a deque (about 110 B kept).
     */
    private Future<?> first;
    private ArrayDeque<Future<?>> rest;
    private int woken;

    /** Called once, by Task's class initialiser. */
    public static void install(LineParking parking) {
        if (tasks != null) {
            throw new IllegalStateException("LineParking is installed once, by Task");
        }
        tasks = parking;
    }

    /** A line whose waits are described as plain "wait". */
    public WaitQueue() {
        this("wait", null);
    }

    /**
     * A line whose waits are described as {@code action} on {@code owner} ("Lock.acquire" on the
     * lock), for task dumps and call graphs (see {@link LabelledFuture}).
     */
    public WaitQueue(String action, Object owner) {
        this.action = action;
        this.owner = owner;
    }

    /** Suspends the current task until it is woken; a cancellation after the wake-up runs nothing. */
    public void park(EventLoop loop) {
        park(loop, NOTHING);
    }

    /**
     * Suspends the current task until it is woken.
     *
     * <p>Cancellation: a waiter cancelled before it was woken leaves the line; one cancelled after
     * it was woken runs {@code passOn} (which must hand the wake-up to someone else) and then
     * rethrows the {@link io.jasyncio.CancelledError}. A task with a cancellation already on its way
     * does not join the line: it lets the loop turn once and throws.
     */
    public void park(EventLoop loop, Runnable passOn) {
        Task<?> task = tasks.current(loop, action);
        if (tasks.cancellationOnItsWay(task)) {
            tasks.yieldToLoop(task); // throws
        }
        add(task);
        boolean wokenHere;
        try {
            wokenHere = tasks.suspendInLine(task, this);
        } catch (Throwable suspensionFailed) { // a pinned strand: it never left the line
            remove(task);
            throw suspensionFailed;
        }
        if (wokenHere) {
            woken--;
            if (tasks.cancellationOnItsWay(task)) {
                passOn.run(); // woken, then cancelled before it ran: the wake-up goes on
            }
        }
        tasks.throwPendingCancellation(task);
    }

    /** Task.cancel of {@code task}, parked in this line and not woken: it leaves the line. */
    public void cancelled(Task<?> task) {
        remove(task);
    }

    /** What a task parked here waits for: "action on owner" (see {@link LabelledFuture}). */
    public String describe() {
        return LabelledFuture.describe(action, owner);
    }

    private void add(Future<?> waiter) {
        if (first == null) {
            first = waiter;
        } else {
            if (rest == null) {
                rest = new ArrayDeque<>();
            }
            rest.addLast(waiter);
        }
    }

    private Future<?> pollFirst() {
        Future<?> w = first;
        if (w != null) {
            first = rest == null ? null : rest.pollFirst();
        }
        return w;
    }

    private void remove(Future<?> waiter) {
        if (first == waiter) {
            pollFirst();
        } else if (rest != null) {
            rest.remove(waiter);
        }
    }

    /** How many waiters in line are still WAITING (not done), counted up to {@code limit}. */
    private int countWaiting(int limit) {
        int n = 0;
        if (first != null && !first.done()) {
            n++;
        }
        if (rest != null) {
            for (Future<?> w : rest) {
                if (n >= limit) {
                    break;
                }
                if (!w.done()) {
                    n++;
                }
            }
        }
        return Math.min(n, limit);
    }

    /**
     * Joins the line without suspending, for a task that waits in several lines at once
     * ({@link io.jasyncio.Select}): the returned future completes when this line wakes it. Every
     * joined waiter must {@link #leave} the line exactly once, woken or not.
     */
    public Future<Void> join(EventLoop loop) {
        Future<Void> waiter = new LabelledFuture<>(loop, action, owner);
        add(waiter);
        return waiter;
    }

    /**
     * Leaves the line joined with {@link #join}. Returns true if the waiter had been woken: the
     * caller then holds this line's wake-up and must act on it or hand it on (the rule above).
     * A waiter not yet woken is cancelled, so no later wake-up can go to it.
     */
    public boolean leave(Future<Void> waiter) {
        if (waiter.done() && !waiter.cancelled()) {
            woken--;
            return true;
        }
        remove(waiter);
        waiter.cancel();
        return false;
    }

    /** Wakes the first waiting task; false if none waits. */
    public boolean wakeOne() {
        Future<?> w;
        while ((w = pollFirst()) != null) {
            if (w instanceof Task<?> task) {
                tasks.wake(task);
                woken++;
                return true;
            }
            @SuppressWarnings("unchecked")
            Future<Void> joined = (Future<Void>) w;
            if (joined.trySetResult(null)) {
                woken++;
                return true;
            }
        }
        return false;
    }

    /** Wakes up to {@code n} waiting tasks; returns how many were woken. */
    public int wake(int n) {
        int count = 0;
        while (count < n && wakeOne()) {
            count++;
        }
        return count;
    }

    /** Wakes every waiting task; returns how many were woken. */
    public int wakeAll() {
        return wake(Integer.MAX_VALUE);
    }

    /** True while a task waits or was woken and has not run yet. */
    public boolean hasWaiters() {
        return woken > 0 || countWaiting(1) > 0;
    }

    /** Tasks waiting now (not yet woken). */
    public int size() {
        return countWaiting(Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "WaitQueue[waiting=" + size() + ", woken=" + woken + "]";
    }
}
