package io.jasyncio;

import java.time.Duration;
import java.util.Objects;

/**
 * A deadline for a block of code: asyncio's {@code asyncio.timeout()} / {@code timeout_at()}.
 * The block is a lambda, so that the deadline can be turned into a {@link TimeoutException} where
 * the block ends, exactly as asyncio's {@code __aexit__} does:
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=timeout}
 *
 * <h2>How the deadline reaches the code (the rule that makes deadlines compose)</h2>
 * When the deadline passes, the scope cancels its task. Inside the block the cancellation travels
 * as a {@link CancelledError}, which {@code catch (Exception e)} and {@code catch (TimeoutException
 * e)} cannot catch, so code written for an inner timeout (a retry loop around
 * {@link Asyncio#waitFor}) can never swallow an outer deadline. Where the block ends, the scope
 * takes its cancellation back ({@link Task#uncancel()}) and throws {@link TimeoutException}
 * (cause: the {@code CancelledError}) only if no other cancellation request remains: a
 * cancellation from outside that races the deadline wins and stays a {@code CancelledError}, and
 * nested scopes report only their own expiry. A task that had a cancellation on its way when the
 * scope was entered ({@code cancel()} then {@code timeout(Duration.ZERO, ...)}) gets that
 * cancellation, not a timeout.
 *
 * <p>Why not try-with-resources: Java cannot replace the exception leaving a try block from
 * {@code close()} (it would only be attached as suppressed), and turning the deadline into a
 * {@code TimeoutException} where the task is paused instead let inner code catch an outer deadline.
 * Kotlin's {@code withTimeout}, whose {@code TimeoutCancellationException} is catchable as an
 * ordinary exception inside, shows the cost of that choice.
 *
 * <h2>States</h2>
 * <pre>
 *  state    | meaning                                       | next
 *  ENTERED  | open; the deadline (if any) is scheduled      | EXPIRING (deadline passed), EXITED (block ended in time)
 *  EXPIRING | deadline passed; its task has been cancelled  | EXPIRED (block ended)
 *  EXPIRED  | the block ended after the deadline passed     | -
 *  EXITED   | the block ended before the deadline           | -
 * </pre>
 * Invariants: the deadline's timer exists only in ENTERED; the scope requests exactly one
 * cancellation (on entering EXPIRING) and takes exactly that one back (on entering EXPIRED).
 *
 * <p>Threading: loop-confined; a scope belongs to the task that opened it.
 */
public final class Timeout extends Scope {

    /** A block that wants its scope: to {@link #reschedule} the deadline or ask whether it {@link #expired}. */
    @FunctionalInterface
    public interface Body<T> {
        T call(Timeout scope) throws Exception;
    }

    private enum State { ENTERED, EXPIRING, EXPIRED, EXITED }

    private final EventLoop loop;
    private final Task<?> task;
    private final int cancellingAtEntry;
    private final boolean cancellationOnItsWayAtEntry;
    private State state = State.ENTERED;
    /** The deadline in loop nanoseconds; Long.MAX_VALUE for none. */
    private long whenNanos = Long.MAX_VALUE;
    private TimerHandle handle;

    private Timeout(Task<?> task, long whenNanos) {
        this.task = task;
        this.loop = task.loop;
        this.cancellingAtEntry = task.cancelling();
        this.cancellationOnItsWayAtEntry = task.cancellationOnItsWay();
        task.pushScope(this);
        schedule(whenNanos);
    }

    // ---------------------------------------------------------------- running a block

    /** Runs {@code body} with a deadline {@code delay} from now (null: none). */
    static <T> T runAfter(Duration delay, Body<T> body) {
        Task<?> task = Task.currentOrThrow("timeout()");
        long when = delay == null ? Long.MAX_VALUE : task.loop.nowNanos() + EventLoop.saturatedNanos(delay);
        return run(task, when, body);
    }

    /** Runs {@code body} with a deadline at loop time {@code when} (seconds; infinity: none). */
    static <T> T runAt(double when, Body<T> body) {
        Task<?> task = Task.currentOrThrow("timeoutAt()");
        return run(task, toNanos(when), body);
    }

    private static <T> T run(Task<?> task, long whenNanos, Body<T> body) {
        Objects.requireNonNull(body, "body");
        Timeout scope = new Timeout(task, whenNanos);
        T value;
        try {
            value = body.call(scope);
        } catch (Throwable failure) {
            throw io.jasyncio.internal.Sneaky.raise(scope.exit(failure));
        }
        scope.exit(null);
        return value;
    }

    /**
     * Ends the block: cancels the deadline and, if it expired, takes its cancellation back and
     * decides what leaves the block (asyncio's {@code __aexit__}). Returns the exception to throw,
     * {@code failure} itself unless this scope's own expiry turns it into a timeout.
     */
    private Throwable exit(Throwable failure) {
        cancelTimer();
        task.popScope(this);
        if (state == State.ENTERED) {
            state = State.EXITED;
            return failure;
        }
        assert state == State.EXPIRING : this;
        state = State.EXPIRED;
        int left = task.uncancel();
        boolean outsideCancellationWaiting = cancellationOnItsWayAtEntry && left > 0;
        if (failure instanceof CancelledError cancelled && left <= cancellingAtEntry && !outsideCancellationWaiting) {
            return new TimeoutException("the deadline of a timeout() block passed (loop time "
                    + String.format("%.3f", whenNanos / 1e9) + " s)", this, cancelled);
        }
        return failure;
    }

    // ---------------------------------------------------------------- the deadline

    /** The deadline in loop time (seconds), or {@link Double#POSITIVE_INFINITY} for none. */
    public double when() {
        return whenNanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : whenNanos / 1e9;
    }

    @Override
    long deadlineNanos() {
        return state == State.ENTERED ? whenNanos : Long.MAX_VALUE;
    }

    /**
     * Moves the deadline to loop time {@code when} ({@link Double#POSITIVE_INFINITY}: none). A
     * deadline in the past expires the scope on the next loop turn.
     * @throws IllegalStateException once the scope expired or its block ended
     */
    public void reschedule(double when) {
        if (state != State.ENTERED) {
            throw new IllegalStateException("cannot reschedule a timeout that is " + state.name().toLowerCase()
                    + ": reschedule() works only while the block runs and before the deadline passed");
        }
        cancelTimer();
        schedule(toNanos(when));
    }

    private void schedule(long when) {
        whenNanos = when;
        if (when == Long.MAX_VALUE) {
            return;
        }
        handle = when <= loop.nowNanos() ? null : loop.callAtNanos(when, this::onDeadline);
        if (handle == null) {
            loop.callSoon(this::onDeadline);
        }
    }

    private void cancelTimer() {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
    }

    private static long toNanos(double when) {
        return when == Double.POSITIVE_INFINITY ? Long.MAX_VALUE : EventLoop.secondsToNanos(when);
    }

    /** True once the deadline passed (even if the block has not finished unwinding). */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void onDeadline() {
        if (state != State.ENTERED || whenNanos > loop.nowNanos()) {
            return; // rescheduled or ended meanwhile
        }
        handle = null;
        state = State.EXPIRING;
        task.cancel(null, this);
    }

    @Override
    public String toString() {
        return "Timeout[" + state.name().toLowerCase() + (whenNanos != Long.MAX_VALUE ? ", when=" + when() : "") + "]";
    }
}
